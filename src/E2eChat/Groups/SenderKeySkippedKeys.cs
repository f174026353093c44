using E2eChat.Ratchet;

namespace E2eChat;

/// <summary>
/// The skipped message keys of one sender-key record (PROTOCOL.md section 7), across its generations,
/// in the order they were stored, oldest first. Each is tagged with its generation's chain id, its
/// iteration and the time after which it is deleted as expired (0 = never). At most
/// <see cref="ProtocolLimits.MaxSenderKeySkippedKeys"/> are held; storing more evicts the oldest.
/// </summary>
/// <remarks>
/// The keys are kept by <see cref="SkippedKeyTable{TTag}"/>, the table the Double Ratchet's skipped
/// keys use too; adding to a full table evicts the oldest key and moves no other.
/// </remarks>
internal sealed class SenderKeySkippedKeys : SkippedKeyTable<SenderKeySkippedKeyTag>
{
    /// <summary>Creates an empty store holding at most <paramref name="maxCount"/> keys.</summary>
    /// <param name="maxCount">The bound; at least 1.</param>
    internal SenderKeySkippedKeys(int maxCount = ProtocolLimits.MaxSenderKeySkippedKeys)
        : base(maxCount)
    {
    }

    /// <summary>The chain id of the entry at <paramref name="index"/> (0 = oldest).</summary>
    /// <param name="index">An index below <see cref="SkippedKeyTable{TTag}.Count"/>.</param>
    /// <returns>The chain id.</returns>
    internal uint ChainIdAt(int index) => TagAt(index).ChainId;

    /// <summary>The iteration of the entry at <paramref name="index"/>.</summary>
    /// <param name="index">An index below <see cref="SkippedKeyTable{TTag}.Count"/>.</param>
    /// <returns>The iteration.</returns>
    internal uint IterationAt(int index) => TagAt(index).Iteration;

    /// <summary>When the entry at <paramref name="index"/> is deleted as expired; 0 = never.</summary>
    /// <param name="index">An index below <see cref="SkippedKeyTable{TTag}.Count"/>.</param>
    /// <returns>Milliseconds since the Unix epoch, or 0.</returns>
    internal ulong DeleteAfterAt(int index) => TagAt(index).DeleteAfter;

    /// <summary>Finds the key stored for (<paramref name="chainId"/>, <paramref name="iteration"/>).</summary>
    /// <param name="chainId">The generation's chain id.</param>
    /// <param name="iteration">The iteration.</param>
    /// <returns>Its index, or -1.</returns>
    internal int IndexOf(uint chainId, uint iteration) => IndexOf(new SenderKeySkippedKeyTag(chainId, iteration, 0));

    /// <summary>Stores a key as the newest entry, evicting (and wiping) the oldest when full.</summary>
    /// <param name="chainId">The generation's chain id.</param>
    /// <param name="iteration">The iteration.</param>
    /// <param name="deleteAfter">When the key is deleted as expired; 0 = never.</param>
    /// <param name="messageKey">The 32-byte message key.</param>
    internal void Add(uint chainId, uint iteration, ulong deleteAfter, ReadOnlySpan<byte> messageKey) =>
        Add(new SenderKeySkippedKeyTag(chainId, iteration, deleteAfter), messageKey);

    /// <summary>Removes every key of the generation <paramref name="chainId"/> (evicted or replaced).</summary>
    /// <param name="chainId">The chain id.</param>
    /// <returns>The number of keys removed.</returns>
    internal int RemoveChain(uint chainId) => RemoveWhere(new ChainFilter(chainId));

    /// <summary>Removes every key whose deletion time is set and not after <paramref name="nowMilliseconds"/>.</summary>
    /// <param name="nowMilliseconds">The receiver's clock, milliseconds since the Unix epoch.</param>
    /// <returns>The number of keys removed.</returns>
    internal int RemoveExpired(ulong nowMilliseconds) => RemoveWhere(new ExpiryFilter(nowMilliseconds));

    /// <summary>Keeps the keys of every other generation.</summary>
    private readonly struct ChainFilter(uint chainId) : ISkippedKeyFilter<SenderKeySkippedKeyTag>
    {
        public bool Keep(ref SenderKeySkippedKeyTag tag) => tag.ChainId != chainId;
    }

    /// <summary>Keeps the keys without a deletion time or with one after the clock.</summary>
    private readonly struct ExpiryFilter(ulong nowMilliseconds) : ISkippedKeyFilter<SenderKeySkippedKeyTag>
    {
        public bool Keep(ref SenderKeySkippedKeyTag tag) => tag.DeleteAfter == 0 || tag.DeleteAfter > nowMilliseconds;
    }
}
