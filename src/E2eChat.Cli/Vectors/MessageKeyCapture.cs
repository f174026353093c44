using E2eChat.Ratchet;

namespace E2eChat.Cli.Vectors;

/// <summary>Keeps the message key of the last encryption (to build crafted ciphertexts for negative vectors).</summary>
internal sealed class MessageKeyCapture : IRatchetKeyObserver
{
    /// <summary>The last message key seen.</summary>
    internal byte[] LastMessageKey { get; private set; } = [];

    /// <inheritdoc/>
    public void OnEncrypted(ReadOnlySpan<byte> headerKey, ReadOnlySpan<byte> headerNonce, ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> plaintext) =>
        LastMessageKey = messageKey.ToArray();
}
