namespace E2eChat.Ratchet;

/// <summary>
/// What the Double Ratchet keeps beside a skipped message key: the position of its receiving chain
/// (0 = current, see <see cref="SkippedMessageKeys"/>) and the message counter, which together name
/// the message.
/// </summary>
/// <param name="chain">The chain position (0 to 255).</param>
/// <param name="counter">The message counter.</param>
internal readonly struct SkippedMessageKeyTag(int chain, uint counter) : ISkippedKeyTag<SkippedMessageKeyTag>
{
    /// <summary>The chain position.</summary>
    internal int Chain { get; } = chain;

    /// <summary>The message counter.</summary>
    internal uint Counter { get; } = counter;

    /// <inheritdoc/>
    public bool IsSameMessage(in SkippedMessageKeyTag other) => Counter == other.Counter && Chain == other.Chain;
}
