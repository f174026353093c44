namespace E2eChat.Ratchet;

/// <summary>
/// Skipped message keys of one session state (PROTOCOL.md section 5.5), in the order they were
/// stored, oldest first, each tagged with its receiving chain and counter. At most
/// <see cref="ProtocolLimits.MaxSkippedMessageKeys"/> are held; adding one more evicts the oldest.
/// </summary>
/// <remarks>
/// A chain is named by its position in the receiver-chain history: 0 is the current receiving
/// chain (header key HKr), <c>k</c> the k-th previous chain, newest first (see
/// <see cref="ReceiverChainHistory"/>). When a new receiving chain starts, every position moves up
/// by one (<see cref="ShiftChains"/>). The keys are kept by <see cref="SkippedKeyTable{TTag}"/>.
/// </remarks>
internal sealed class SkippedMessageKeys : SkippedKeyTable<SkippedMessageKeyTag>
{
    /// <summary>Creates an empty store holding at most <paramref name="maxCount"/> keys.</summary>
    /// <param name="maxCount">The bound; at least 1.</param>
    internal SkippedMessageKeys(int maxCount = ProtocolLimits.MaxSkippedMessageKeys)
        : base(maxCount)
    {
    }

    /// <summary>The chain position of the entry at <paramref name="index"/> (0 = oldest).</summary>
    /// <param name="index">A logical index below <see cref="SkippedKeyTable{TTag}.Count"/>.</param>
    /// <returns>The chain position.</returns>
    internal int ChainAt(int index) => TagAt(index).Chain;

    /// <summary>The counter of the entry at <paramref name="index"/> (0 = oldest).</summary>
    /// <param name="index">A logical index below <see cref="SkippedKeyTable{TTag}.Count"/>.</param>
    /// <returns>The message counter.</returns>
    internal uint CounterAt(int index) => TagAt(index).Counter;

    /// <summary>Finds the key stored for (<paramref name="chain"/>, <paramref name="counter"/>).</summary>
    /// <param name="chain">The chain position.</param>
    /// <param name="counter">The message counter.</param>
    /// <returns>Its logical index, or -1.</returns>
    internal int IndexOf(int chain, uint counter) => IndexOf(new SkippedMessageKeyTag(chain, counter));

    /// <summary>Stores a key as the newest entry, evicting (and wiping) the oldest when full.</summary>
    /// <param name="chain">The chain position (0 to 255).</param>
    /// <param name="counter">The message counter.</param>
    /// <param name="messageKey">The 32-byte message key.</param>
    internal void Add(int chain, uint counter, ReadOnlySpan<byte> messageKey)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chain);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chain, byte.MaxValue);
        Add(new SkippedMessageKeyTag(chain, counter), messageKey);
    }

    /// <summary>
    /// Moves every entry one chain position up (a new receiving chain became current) and drops the
    /// entries whose position reaches <paramref name="chainLimit"/> (a chain no longer remembered).
    /// </summary>
    /// <param name="chainLimit">The number of chains remembered, <see cref="ProtocolLimits.MaxReceiverChains"/>.</param>
    internal void ShiftChains(int chainLimit) => RemoveWhere(new ShiftFilter(chainLimit));

    /// <summary>Moves an entry one chain up; keeps it while its chain is still remembered.</summary>
    private readonly struct ShiftFilter(int chainLimit) : ISkippedKeyFilter<SkippedMessageKeyTag>
    {
        public bool Keep(ref SkippedMessageKeyTag tag)
        {
            int chain = tag.Chain + 1;
            if (chain >= chainLimit)
            {
                return false;
            }

            tag = new SkippedMessageKeyTag(chain, tag.Counter);
            return true;
        }
    }
}
