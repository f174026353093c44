using Google.Protobuf;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>handshake.json</c>, <c>handshake_invalid</c> vectors for Bob's step 0 (PROTOCOL.md section 4):
/// a <c>PreKeyMessage</c> body is read exactly as the relay reads it (section 8), and every body the
/// relay refuses, whatever its <c>EnvelopeFailure</c>, is <c>Malformed</c> for Bob: an empty body, a
/// missing or broken inner <c>RatchetMessage</c>, a missing base key, a wrongly typed field, a tag
/// of ten continuation bytes at the end.
/// </summary>
internal static class PreKeyDecodingVectors
{
    /// <summary>Appends the vectors.</summary>
    /// <param name="vectors">The file's vectors so far.</param>
    internal static async ValueTask AddAsync(List<JsonObject> vectors)
    {
        using DeterministicRandomSource random = VectorSeeds.For(HandshakeVectors.File, "handshake_invalid_decoding");
        PartyKeys alice = PartyKeys.DrawIdentity(random);
        PartyKeys bob = PartyKeys.DrawWithPreKeys(random, 7, 77, 27, kemLastResort: true);
        (byte[] baseKey, byte[] m, byte[] valid) = HandshakeVectors.FirstMessage(alice, bob, random);
        var parsed = Wire.Proto.PreKeyMessage.Parser.ParseFrom(valid);
        byte[] identity = parsed.IdentityKey.ToByteArray();
        byte[] baseKeyBytes = parsed.BaseKey.ToByteArray();
        byte[] kemCiphertext = parsed.KemCiphertext.ToByteArray();
        byte[] header = parsed.Message.Header.ToByteArray();
        byte[] ciphertext = parsed.Message.Ciphertext.ToByteArray();
        byte[] ratchet = ProtoBytes.RatchetBody(header, ciphertext);
        byte[] Body(byte[]? baseKeyField, byte[]? ratchetField) => ProtoBytes.PreKeyBody(
            identity, baseKeyField, parsed.SignedPrekeyId, parsed.OneTimePrekeyId == 0 ? null : parsed.OneTimePrekeyId, parsed.KemPrekeyId, kemCiphertext, ratchetField);
        Expect.Equal("canonical re-encoding", valid, Body(baseKeyBytes, ratchet));

        async ValueTask AddAsync(string name, byte[] body)
        {
            vectors.Add(Expect.Fails(
                await HandshakeVectors.InvalidMessageAsync(
                    name, alice, bob, baseKey, m, body, replay: false, trustedIdentity: null, HandshakeVectors.AliceAddress, HandshakeVectors.BobAddress).ConfigureAwait(false),
                nameof(E2eChatFailure.Malformed)));
        }

        await AddAsync("handshake_invalid_decoding_empty", []).ConfigureAwait(false);
        await AddAsync("handshake_invalid_decoding_missing_ratchet_message", Body(baseKeyBytes, null)).ConfigureAwait(false);
        await AddAsync("handshake_invalid_decoding_empty_ratchet_message", Body(baseKeyBytes, [])).ConfigureAwait(false);
        await AddAsync("handshake_invalid_decoding_inner_header_79_bytes", Body(baseKeyBytes, ProtoBytes.RatchetBody(header[..79], ciphertext))).ConfigureAwait(false);
        await AddAsync("handshake_invalid_decoding_inner_ciphertext_not_bucket", Body(baseKeyBytes, ProtoBytes.RatchetBody(header, ciphertext[..^1]))).ConfigureAwait(false);
        await AddAsync("handshake_invalid_decoding_inner_unknown_field", Body(baseKeyBytes, [.. ratchet, .. ProtoBytes.VarintField(3, 1)])).ConfigureAwait(false);
        await AddAsync("handshake_invalid_decoding_missing_base_key", Body(null, ratchet)).ConfigureAwait(false);
        await AddAsync("handshake_invalid_decoding_base_key_wrong_wire_type", [
            .. ProtoBytes.BytesField(1, identity),
            .. ProtoBytes.Tag(2, 0), .. ProtoBytes.Varint(1),
            .. Body(null, ratchet)[(ProtoBytes.BytesField(1, identity).Length)..]]).ConfigureAwait(false);
        await AddAsync("handshake_invalid_decoding_tag_ten_continuation_bytes_then_end", [.. valid, .. Enumerable.Repeat((byte)0x80, 10)]).ConfigureAwait(false);
    }
}
