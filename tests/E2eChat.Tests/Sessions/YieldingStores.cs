
namespace E2eChat.Tests.Sessions;

/// <summary>
/// Test helper (not a test class): the five stores of a <see cref="ProtocolStores"/> behind one
/// wrapper that yields before and after every call, as a database does, so that concurrent operations
/// interleave at every store access. It can also refuse session writes (as if another writer always
/// won) and counts them.
/// </summary>
internal sealed class YieldingStores : ISessionStore, IIdentityStore, ISignedPreKeyStore, IOneTimePreKeyStore, IKemPreKeyStore
{
    private readonly ProtocolStores _inner;
    private int _sessionWrites;
    private int _refuseSessionWrites;

    internal YieldingStores(ProtocolStores inner, IPreKeyMessageCommitter? committer = null)
    {
        _inner = inner;
        Stores = new ProtocolStores(this, this, this, this, this, committer);
    }

    /// <summary>The wrapped stores, as a manager sees them.</summary>
    internal ProtocolStores Stores { get; }

    /// <summary>How many session writes (compare-and-swap attempts) were made.</summary>
    internal int SessionWrites => Volatile.Read(ref _sessionWrites);

    /// <summary>Whether session writes fail with an I/O error (a crash of the process at that point, as far as the stores can tell).</summary>
    internal bool FailSessionWrites { get; set; }

    /// <summary>How many of the next session writes to refuse (<see cref="int.MaxValue"/>: all).</summary>
    internal int RefuseSessionWrites
    {
        get => Volatile.Read(ref _refuseSessionWrites);
        set => Volatile.Write(ref _refuseSessionWrites, value);
    }

    public async ValueTask<VersionedRecord> LoadSessionAsync(ProtocolAddress address, long knownVersion = 0, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        VersionedRecord result = await _inner.Sessions.LoadSessionAsync(address, knownVersion, cancellationToken);
        await Task.Yield();
        return result;
    }

    public async ValueTask<long> TryStoreSessionAsync(ProtocolAddress address, ReadOnlyMemory<byte> record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        Interlocked.Increment(ref _sessionWrites);
        if (FailSessionWrites)
        {
            throw new IOException("The session store is gone.");
        }

        long result;
        if (RefuseSessionWrites > 0)
        {
            if (RefuseSessionWrites != int.MaxValue)
            {
                Interlocked.Decrement(ref _refuseSessionWrites);
            }

            result = 0;
        }
        else
        {
            result = await _inner.Sessions.TryStoreSessionAsync(address, record, expectedVersion, cancellationToken);
        }

        await Task.Yield();
        return result;
    }

    public async ValueTask DeleteSessionAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        await _inner.Sessions.DeleteSessionAsync(address, cancellationToken);
        await Task.Yield();
    }

    public async ValueTask<IdentityKeyPair> GetIdentityKeyPairAsync(CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await _inner.Identities.GetIdentityKeyPairAsync(cancellationToken);
    }

    public async ValueTask<IdentityKey?> GetIdentityAsync(ProtocolAddress address, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await _inner.Identities.GetIdentityAsync(address, cancellationToken);
    }

    public async ValueTask<IdentitySaveResult> SaveIdentityAsync(ProtocolAddress address, IdentityKey identity, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        IdentitySaveResult result = await _inner.Identities.SaveIdentityAsync(address, identity, cancellationToken);
        await Task.Yield();
        return result;
    }

    public async ValueTask<bool> IsTrustedAsync(ProtocolAddress address, IdentityKey identity, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await _inner.Identities.IsTrustedAsync(address, identity, cancellationToken);
    }

    public async ValueTask ApproveIdentityAsync(ProtocolAddress address, IdentityKey identity, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        await _inner.Identities.ApproveIdentityAsync(address, identity, cancellationToken);
    }

    public async ValueTask<SignedPreKey?> GetSignedPreKeyAsync(uint id, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await _inner.SignedPreKeys.GetSignedPreKeyAsync(id, cancellationToken);
    }

    public async ValueTask SaveSignedPreKeyAsync(SignedPreKey key, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        await _inner.SignedPreKeys.SaveSignedPreKeyAsync(key, cancellationToken);
    }

    public async ValueTask RemoveSignedPreKeyAsync(uint id, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        await _inner.SignedPreKeys.RemoveSignedPreKeyAsync(id, cancellationToken);
    }

    public async ValueTask<OneTimePreKey?> GetOneTimePreKeyAsync(uint id, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        OneTimePreKey? key = await _inner.OneTimePreKeys.GetOneTimePreKeyAsync(id, cancellationToken);
        await Task.Yield();
        return key;
    }

    public async ValueTask SaveOneTimePreKeyAsync(OneTimePreKey key, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        await _inner.OneTimePreKeys.SaveOneTimePreKeyAsync(key, cancellationToken);
    }

    public async ValueTask<bool> RemoveOneTimePreKeyAsync(uint id, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        bool removed = await _inner.OneTimePreKeys.RemoveOneTimePreKeyAsync(id, cancellationToken);
        await Task.Yield();
        return removed;
    }

    public async ValueTask<KemPreKey?> GetKemPreKeyAsync(uint id, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        KemPreKey? key = await _inner.KemPreKeys.GetKemPreKeyAsync(id, cancellationToken);
        await Task.Yield();
        return key;
    }

    public async ValueTask SaveKemPreKeyAsync(KemPreKey key, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        await _inner.KemPreKeys.SaveKemPreKeyAsync(key, cancellationToken);
    }

    public async ValueTask<bool> RemoveKemPreKeyAsync(uint id, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        bool removed = await _inner.KemPreKeys.RemoveKemPreKeyAsync(id, cancellationToken);
        await Task.Yield();
        return removed;
    }
}
