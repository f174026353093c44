namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>sender_keys.json</c>, the sender's other encryption failure (PROTOCOL.md section 7): a
/// plaintext above 65536 bytes (<c>MaxPlaintextLength</c>) is <c>PlaintextTooLong</c> and leaves the
/// sender's state unchanged, so the next post takes the iteration the refused one would have taken.
/// </summary>
internal static class SenderKeyPlaintextLimit
{
    /// <summary>Builds the transcript.</summary>
    internal static ValueTask<JsonObject> TranscriptAsync() => SenderKeyVectors.TranscriptAsync("sender_key_transcript_plaintext_too_long", async (t, _) =>
    {
        await t.DistributeAsync().ConfigureAwait(false);
        t.EncryptFail(0, new byte[ProtocolLimits.MaxPlaintextLength + 1]);
        t.Encrypt("p0", 0, VectorBytes.Text("the first post after the refusal"));
        await t.DecryptAsync("p0").ConfigureAwait(false);
    });
}
