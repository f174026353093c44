using E2eChat.Ratchet;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// The steps of a <c>ratchet.json</c> transcript as JSON, in one place for both sides: the
/// <see cref="TranscriptRecorder"/> writes them and the <see cref="TranscriptPlayer"/> recomputes them
/// and compares, so the two cannot drift apart (field order included).
/// </summary>
internal static class RatchetSteps
{
    /// <summary>An <c>encrypt</c> step.</summary>
    internal static JsonObject Encrypt(RatchetParty party, string id, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> headerNonce, EncryptedRatchetMessage message) => new()
    {
        ["op"] = "encrypt",
        ["party"] = TranscriptRecorder.Name(party),
        ["id"] = id,
        ["plaintext"] = Hex.Encode(plaintext),
        ["header_nonce"] = Hex.Encode(headerNonce),
        ["header"] = Hex.Encode(message.Header),
        ["ciphertext"] = Hex.Encode(message.Ciphertext),
    };

    /// <summary>A <c>decrypt</c> step.</summary>
    internal static JsonObject Decrypt(RatchetParty party, string id, ReadOnlySpan<byte> newRatchetPrivate, ReadOnlySpan<byte> plaintext) => new()
    {
        ["op"] = "decrypt",
        ["party"] = TranscriptRecorder.Name(party),
        ["id"] = id,
        ["new_ratchet_private"] = Hex.Encode(newRatchetPrivate),
        ["plaintext"] = Hex.Encode(plaintext),
    };

    /// <summary>A <c>decrypt_fail</c> step.</summary>
    internal static JsonObject DecryptFail(RatchetParty party, ReadOnlySpan<byte> header, ReadOnlySpan<byte> ciphertext, E2eChatFailure failure) => new()
    {
        ["op"] = "decrypt_fail",
        ["party"] = TranscriptRecorder.Name(party),
        ["header"] = Hex.Encode(header),
        ["ciphertext"] = Hex.Encode(ciphertext),
        ["failure"] = failure.ToString(),
    };

    /// <summary>An <c>encrypt_fail</c> step.</summary>
    internal static JsonObject EncryptFail(RatchetParty party, ReadOnlySpan<byte> plaintext, E2eChatFailure failure) => new()
    {
        ["op"] = "encrypt_fail",
        ["party"] = TranscriptRecorder.Name(party),
        ["plaintext"] = Hex.Encode(plaintext),
        ["failure"] = failure.ToString(),
    };
}
