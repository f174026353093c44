using FsCheck.Xunit;
using Steps = E2eChat.Storage.Sqlite.SqliteProtocolStore.CommitSteps;

namespace E2eChat.Storage.Sqlite.Tests;

/// <summary>
/// A model test: random scripts of store operations, first-message commits, process kills between
/// operations and kills in the middle of a commit, checked step by step against a plain in-memory model
/// of the contract. Nothing that returned is ever lost, nothing from an unfinished commit is ever
/// visible, and no one-time key is ever removed twice.
/// </summary>
public sealed class SqliteStoreModelTests
{
    private const int Addresses = 3;
    private const int KeyIds = 4;
    private static readonly string[] s_steps = [Steps.Begun, Steps.OneTimePreKeyRemoved, Steps.KemPreKeyRemoved, Steps.IdentitySaved, Steps.SessionStored, Steps.Committed];
    private static readonly IdentityKeyPair s_signer = IdentityKeyPair.Generate();
    private static readonly IdentityKeyPair[] s_peers = [IdentityKeyPair.Generate(), IdentityKeyPair.Generate()];
    private static readonly OneTimePreKey[] s_oneTimeKeys = [.. Enumerable.Range(1, KeyIds).Select(id => OneTimePreKey.Generate((uint)id))];
    private static readonly KemPreKey[] s_kemKeys = [.. Enumerable.Range(1, KeyIds).Select(id => KemPreKey.Generate(s_signer, (uint)id, KemPreKeyKind.OneTime))];

    [Property(MaxTest = 40, EndSize = 120)]
    public void RandomOperationsAndKills_MatchTheModel(byte[] script) =>
        Task.Run(async () => await RunAsync(script ?? [])).GetAwaiter().GetResult();

    private static async Task RunAsync(byte[] script)
    {
        using var temp = new TempStore();
        var model = new Model();
        SqliteProtocolStore store = temp.Open();
        int position = 0;
        int kills = 0;
        byte Next() => position < script.Length ? script[position++] : (byte)0;
        try
        {
            while (position < script.Length)
            {
                int address = Next() % Addresses;
                uint keyId = (uint)((Next() % KeyIds) + 1);
                switch (Next() % 10)
                {
                    case 0:
                        await store.SaveOneTimePreKeyAsync(s_oneTimeKeys[keyId - 1]);
                        await store.SaveKemPreKeyAsync(s_kemKeys[keyId - 1]);
                        model.OneTimeKeys.Add(keyId);
                        model.KemKeys.Add(keyId);
                        break;
                    case 1:
                        Assert.Equal(model.OneTimeKeys.Remove(keyId), await store.RemoveOneTimePreKeyAsync(keyId));
                        break;
                    case 2:
                    {
                        long expected = PickVersion(model.Sessions, address, Next());
                        byte[] record = [unchecked((byte)position), Next()];
                        long written = await store.TryStoreSessionAsync(Address(address), record, expected);
                        Assert.Equal(Model.TryStore(model.Sessions, address, record, expected), written);
                        break;
                    }

                    case 3:
                        await store.DeleteSessionAsync(Address(address));
                        Model.Delete(model.Sessions, address);
                        break;
                    case 4:
                    {
                        int peer = Next() % s_peers.Length;
                        Assert.Equal(model.SaveIdentity(address, peer), await store.SaveIdentityAsync(Address(address), s_peers[peer].PublicKey));
                        break;
                    }

                    case 5:
                    {
                        int peer = Next() % s_peers.Length;
                        await store.ApproveIdentityAsync(Address(address), s_peers[peer].PublicKey);
                        model.Identities[address] = peer;
                        break;
                    }

                    case 6:
                    {
                        long expected = PickVersion(model.SenderKeys, address, Next());
                        byte[] record = [unchecked((byte)position)];
                        if (Next() % 4 == 0)
                        {
                            await store.RemoveSenderKeyAsync(Group(address));
                            Model.Delete(model.SenderKeys, address);
                        }
                        else
                        {
                            Assert.Equal(Model.TryStore(model.SenderKeys, address, record, expected), await store.TryStoreSenderKeyAsync(Group(address), record, expected));
                        }

                        break;
                    }

                    case 7:
                    case 8:
                    {
                        Commit commit = NextCommit(model, address, keyId, Next);
                        string? killAt = Next() % 3 == 0 ? s_steps[Next() % s_steps.Length] : null;
                        string? snapshot = null;
                        store.CommitStepHook = killAt is null ? null : step =>
                        {
                            if (step == killAt)
                            {
                                snapshot = temp.Snapshot($"kill-{kills++}", store.Path);
                                throw new SimulatedKillException();
                            }
                        };

                        PreKeyMessageCommitResult expectedResult = model.Commit(commit, apply: false);
                        try
                        {
                            PreKeyMessageCommitResult result = await store.CommitPreKeyMessageAsync(
                                Address(address), commit.Record, commit.ExpectedVersion, commit.OneTimeId, commit.KemId, s_peers[commit.Peer].PublicKey);
                            Assert.Equal(expectedResult, result);
                            model.Commit(commit, apply: true);
                        }
                        catch (SimulatedKillException)
                        {
                            // The process died at killAt: the restarted one sees the commit only if it had committed.
                            store.Dispose();
                            store = temp.OpenSnapshot(snapshot!);
                            if (killAt == Steps.Committed)
                            {
                                model.Commit(commit, apply: true);
                            }

                            await AssertMatchesAsync(store, model);
                        }

                        store.CommitStepHook = null;
                        break;
                    }

                    default:
                    {
                        // A kill between operations: everything that returned is on disk.
                        string snapshot = temp.Snapshot($"kill-{kills++}", store.Path);
                        store.Dispose();
                        store = temp.OpenSnapshot(snapshot);
                        await AssertMatchesAsync(store, model);
                        break;
                    }
                }
            }

            await AssertMatchesAsync(store, model);
        }
        finally
        {
            store.Dispose();
        }
    }

    private static Commit NextCommit(Model model, int address, uint keyId, Func<byte> next)
    {
        byte shape = next();
        return new Commit(
            address,
            [unchecked((byte)(shape + 100))],
            PickVersion(model.Sessions, address, next()),
            (shape & 1) == 0 ? keyId : 0,
            (shape & 2) == 0 ? keyId : 0,
            next() % s_peers.Length);
    }

    /// <summary>Mostly the current version; sometimes a stale one, or 0.</summary>
    private static long PickVersion(Dictionary<int, (long Version, byte[]? Record)> table, int key, byte choice)
    {
        long current = table.TryGetValue(key, out (long Version, byte[]? Record) row) ? row.Version : 0;
        return (choice % 4) switch
        {
            0 => Math.Max(0, current - 1),
            1 => 0,
            _ => current,
        };
    }

    private static async Task AssertMatchesAsync(SqliteProtocolStore store, Model model)
    {
        for (int address = 0; address < Addresses; address++)
        {
            AssertRow(model.Sessions, address, await store.LoadSessionAsync(Address(address)));
            AssertRow(model.SenderKeys, address, await store.LoadSenderKeyAsync(Group(address)));
            IdentityKey? identity = await store.GetIdentityAsync(Address(address));
            Assert.Equal(model.Identities.TryGetValue(address, out int peer) ? s_peers[peer].PublicKey : null, identity);
        }

        for (uint id = 1; id <= KeyIds; id++)
        {
            using OneTimePreKey? oneTime = await store.GetOneTimePreKeyAsync(id);
            Assert.Equal(model.OneTimeKeys.Contains(id), oneTime is not null);
            using KemPreKey? kem = await store.GetKemPreKeyAsync(id);
            Assert.Equal(model.KemKeys.Contains(id), kem is not null);
        }
    }

    private static void AssertRow(Dictionary<int, (long Version, byte[]? Record)> table, int key, VersionedRecord actual)
    {
        (long version, byte[]? record) = table.GetValueOrDefault(key);
        Assert.Equal(version, actual.Version);
        Assert.Equal(record, actual.Record);
    }

    private static ProtocolAddress Address(int index) => new($"peer{index}", 1);

    private static SenderKeyName Group(int index) => new(Address(index), new DistributionId([.. new byte[15], (byte)index]));

    private sealed record Commit(int Address, byte[] Record, long ExpectedVersion, uint OneTimeId, uint KemId, int Peer);

    /// <summary>The contract, written as plainly as possible (versions per row, as the SQL store counts them).</summary>
    private sealed class Model
    {
        internal Dictionary<int, (long Version, byte[]? Record)> Sessions { get; } = [];

        internal Dictionary<int, (long Version, byte[]? Record)> SenderKeys { get; } = [];

        internal Dictionary<int, int> Identities { get; } = [];

        internal HashSet<uint> OneTimeKeys { get; } = [];

        internal HashSet<uint> KemKeys { get; } = [];

        internal static void Delete(Dictionary<int, (long Version, byte[]? Record)> table, int key)
        {
            if (table.TryGetValue(key, out (long Version, byte[]? Record) row))
            {
                table[key] = (row.Version + 1, null);
            }
        }

        internal static long TryStore(Dictionary<int, (long Version, byte[]? Record)> table, int key, byte[] record, long expected)
        {
            long current = table.TryGetValue(key, out (long Version, byte[]? Record) row) ? row.Version : 0;
            if (current != expected)
            {
                return 0;
            }

            table[key] = (current + 1, record);
            return current + 1;
        }

        internal IdentitySaveResult SaveIdentity(int address, int peer)
        {
            if (!Identities.TryGetValue(address, out int known))
            {
                Identities[address] = peer;
                return IdentitySaveResult.FirstUse;
            }

            return s_peers[known].PublicKey == s_peers[peer].PublicKey ? IdentitySaveResult.Unchanged : IdentitySaveResult.Conflict;
        }

        internal PreKeyMessageCommitResult Commit(Commit commit, bool apply)
        {
            if (commit.OneTimeId != 0 && !OneTimeKeys.Contains(commit.OneTimeId))
            {
                return PreKeyMessageCommitResult.OneTimePreKeyMissing;
            }

            if (commit.KemId != 0 && !KemKeys.Contains(commit.KemId))
            {
                return PreKeyMessageCommitResult.KemPreKeyMissing;
            }

            if (Identities.TryGetValue(commit.Address, out int known) && known != commit.Peer)
            {
                return PreKeyMessageCommitResult.UntrustedIdentity;
            }

            long current = Sessions.TryGetValue(commit.Address, out (long Version, byte[]? Record) row) ? row.Version : 0;
            if (current != commit.ExpectedVersion)
            {
                return PreKeyMessageCommitResult.SessionChanged;
            }

            if (apply)
            {
                OneTimeKeys.Remove(commit.OneTimeId);
                KemKeys.Remove(commit.KemId);
                Identities[commit.Address] = commit.Peer;
                Sessions[commit.Address] = (current + 1, commit.Record);
            }

            return PreKeyMessageCommitResult.Committed;
        }
    }
}
