using E2eChat.Ratchet;

namespace E2eChat;

/// <summary>
/// What a sender-key record keeps beside a skipped message key: the generation's chain id and the
/// iteration, which together name the message, and when the key is deleted as expired.
/// </summary>
/// <param name="chainId">The generation's chain id.</param>
/// <param name="iteration">The iteration.</param>
/// <param name="deleteAfter">When the key is deleted as expired, milliseconds since the Unix epoch; 0 = never.</param>
internal readonly struct SenderKeySkippedKeyTag(uint chainId, uint iteration, ulong deleteAfter) : ISkippedKeyTag<SenderKeySkippedKeyTag>
{
    /// <summary>The generation's chain id.</summary>
    internal uint ChainId { get; } = chainId;

    /// <summary>The iteration.</summary>
    internal uint Iteration { get; } = iteration;

    /// <summary>When the key is deleted as expired; 0 = never.</summary>
    internal ulong DeleteAfter { get; } = deleteAfter;

    /// <inheritdoc/>
    public bool IsSameMessage(in SenderKeySkippedKeyTag other) => Iteration == other.Iteration && ChainId == other.ChainId;
}
