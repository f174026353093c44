namespace E2eChat.Cli.Vectors;

/// <summary>Every published vector file, in the order they are generated and verified.</summary>
internal static class VectorSuites
{
    /// <summary>
    /// The suites. Extension point: a new vector file is one more <see cref="IVectorSuite"/> here;
    /// generation, verification, the CLI and the tests pick it up from this list.
    /// </summary>
    internal static IReadOnlyList<IVectorSuite> All { get; } =
    [
        new KdfVectors(),
        new PaddingVectors(),
        new KeyVectors(),
        new HandshakeVectors(),
        new RatchetVectors(),
        new EnvelopeVectors(),
        new SenderKeyVectors(),
        new DeviceListVectors(),
        new ContactLinkVectors(),
        new ContentVectors(),
        new ConsentRecordVectors(),
        new ConsentDecisionVectors(),
        new StoredStateVectors(),
    ];
}
