using System.Security.Cryptography;
using E2eChat.Crypto;

namespace E2eChat.Ratchet;

/// <summary>
/// The header keys of the previous receiving chains a session state still remembers, newest first
/// (PROTOCOL.md section 5.5, step 2). Together with the current receiving chain at most
/// <see cref="ProtocolLimits.MaxReceiverChains"/> chains are remembered, so this holds at most
/// <see cref="ProtocolLimits.MaxReceiverChains"/> - 1 keys; remembering one more forgets the oldest.
/// Position <c>k</c> here is chain position <c>k + 1</c> in <see cref="SkippedMessageKeys"/>.
/// </summary>
internal sealed class ReceiverChainHistory : IDisposable
{
    /// <summary>The most previous chains remembered.</summary>
    internal const int MaxCount = ProtocolLimits.MaxReceiverChains - 1;

    private const int KeyLength = RootKdf.KeyLength;

    private readonly SecretBuffer _headerKeys = new(MaxCount * KeyLength);
    private int _count;

    /// <summary>The number of previous chains remembered.</summary>
    internal int Count => _count;

    /// <summary>The header key of the <paramref name="index"/>-th previous chain, newest first.</summary>
    /// <param name="index">0 to <see cref="Count"/> - 1.</param>
    /// <returns>The 32-byte header key.</returns>
    internal ReadOnlySpan<byte> HeaderKeyAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
        return _headerKeys.Span.Slice(index * KeyLength, KeyLength);
    }

    /// <summary>
    /// Remembers <paramref name="headerKey"/> as the newest previous chain; when
    /// <see cref="MaxCount"/> are already remembered, the oldest is forgotten (and wiped).
    /// </summary>
    /// <param name="headerKey">The 32-byte header key of the chain that stopped being current.</param>
    internal void PushNewest(ReadOnlySpan<byte> headerKey)
    {
        Error.CheckLength(headerKey, KeyLength, nameof(headerKey));

        Span<byte> keys = _headerKeys.WritableSpan;
        int kept = Math.Min(_count, MaxCount - 1);
        keys[..(kept * KeyLength)].CopyTo(keys[KeyLength..]);
        CryptographicOperations.ZeroMemory(keys[((kept + 1) * KeyLength)..]);
        headerKey.CopyTo(keys);
        _count = kept + 1;
    }

    /// <summary>Appends a key as the oldest one (used when loading stored state).</summary>
    /// <param name="headerKey">The 32-byte header key.</param>
    internal void AddOldest(ReadOnlySpan<byte> headerKey)
    {
        Error.CheckLength(headerKey, KeyLength, nameof(headerKey));

        if (_count == MaxCount)
        {
            throw new InvalidOperationException("The history is full.");
        }

        headerKey.CopyTo(_headerKeys.WritableSpan.Slice(_count * KeyLength, KeyLength));
        _count++;
    }

    /// <summary>Wipes the header keys.</summary>
    public void Dispose()
    {
        _headerKeys.Dispose();
        _count = 0;
    }
}
