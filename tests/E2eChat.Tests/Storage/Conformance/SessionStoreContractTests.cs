
namespace E2eChat.Tests.Storage;

/// <summary>The versioned-store suite applied to an <see cref="ISessionStore"/> (public API only).</summary>
public abstract class SessionStoreContractTests : VersionedStoreContractTests<ProtocolAddress>
{
    /// <summary>The store under test.</summary>
    protected abstract ISessionStore Store { get; }

    protected override ProtocolAddress KeyA { get; } = new("alice", 1);

    protected override ProtocolAddress KeyB { get; } = new("alice", 2);

    protected override ValueTask<VersionedRecord> LoadAsync(ProtocolAddress key, long knownVersion, CancellationToken cancellationToken = default) =>
        Store.LoadSessionAsync(key, knownVersion, cancellationToken);

    protected override ValueTask<long> TryStoreAsync(ProtocolAddress key, byte[] record, long expectedVersion, CancellationToken cancellationToken = default) =>
        Store.TryStoreSessionAsync(key, record, expectedVersion, cancellationToken);

    protected override ValueTask DeleteAsync(ProtocolAddress key, CancellationToken cancellationToken = default) =>
        Store.DeleteSessionAsync(key, cancellationToken);
}
