namespace E2eChat.Cli.Vectors;

/// <summary>Every published vector file, in the order they are generated and verified.</summary>
internal static class VectorSuites
{
    /// <summary>
    /// The suites. Extension point: when the sender-key feature lands, add a <c>SenderKeyVectors</c>
    /// suite for <c>sender_keys.json</c> (kinds <c>sender_key_transcript</c> and
    /// <c>sender_key_invalid</c>, FORMAT.md) here; generation, verification, the CLI and the tests
    /// pick it up from this list.
    /// </summary>
    internal static IReadOnlyList<IVectorSuite> All { get; } =
    [
        new KdfVectors(),
        new PaddingVectors(),
        new KeyVectors(),
        new HandshakeVectors(),
        new RatchetVectors(),
        new EnvelopeVectors(),
    ];
}
