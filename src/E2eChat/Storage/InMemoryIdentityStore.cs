
namespace E2eChat;

/// <summary>
/// An in-memory <see cref="IIdentityStore"/> with trust on first use. It does not own our identity key
/// pair: the application that created it disposes it. Thread-safe.
/// </summary>
internal sealed class InMemoryIdentityStore : IIdentityStore
{
    private readonly IdentityKeyPair _identity;
    private readonly Dictionary<ProtocolAddress, IdentityKey> _peers = [];
    private readonly Lock _lock = new();

    /// <summary>Creates a store for our identity.</summary>
    /// <param name="identity">Our identity key pair; the caller keeps ownership.</param>
    public InMemoryIdentityStore(IdentityKeyPair identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        _identity = identity;
    }

    /// <summary>The number of peer addresses with a recorded identity.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _peers.Count;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_identity);
    }

    /// <inheritdoc/>
    public ValueTask<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_peers.GetValueOrDefault(address));
        }
    }

    /// <inheritdoc/>
    public ValueTask<IdentitySaveResult> SaveIdentityAsync(ProtocolAddress address, IdentityKey identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_peers.TryGetValue(address, out IdentityKey? known))
            {
                _peers.Add(address, identity);
                return ValueTask.FromResult(IdentitySaveResult.FirstUse);
            }

            return ValueTask.FromResult(known == identity ? IdentitySaveResult.Unchanged : IdentitySaveResult.Conflict);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> IsTrustedAsync(ProtocolAddress address, IdentityKey identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(!_peers.TryGetValue(address, out IdentityKey? known) || known == identity);
        }
    }

    /// <inheritdoc/>
    public ValueTask ApproveIdentityAsync(ProtocolAddress address, IdentityKey identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _peers[address] = identity;
        }

        return ValueTask.CompletedTask;
    }
}
