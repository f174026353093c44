using System.Text;
using Steps = E2eChat.Storage.Sqlite.SqliteProtocolStore.CommitSteps;

namespace E2eChat.Storage.Sqlite.Tests;

/// <summary>
/// Process kills at every step: a kill is simulated by copying the database and its write-ahead log
/// at that instant (what a killed process leaves on disk) and opening the copy as the restarted
/// process; the original connection is then abandoned.
/// </summary>
public sealed class SqliteCrashTests : IDisposable
{
    private static readonly ProtocolAddress s_alice = new("alice", 1);
    private static readonly ProtocolAddress s_bob = new("bob", 1);
    private readonly TempStore _temp = new();

    public static TheoryData<string> CommitSteps =>
        [Steps.Begun, Steps.OneTimePreKeyRemoved, Steps.KemPreKeyRemoved, Steps.IdentitySaved, Steps.SessionStored, Steps.Committed];

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(CommitSteps))]
    public async Task FirstMessage_KilledAtAnyStep_AcceptedOnceAtMostAndTheConversationContinues(string step)
    {
        using var aliceIdentity = IdentityKeyPair.Generate();
        using var alice = new SessionManager(ProtocolStores.CreateInMemory(aliceIdentity), s_alice);
        CiphertextMessage first;
        CiphertextMessage second;
        string? snapshot = null;
        uint oneTimeId;
        using (SqliteProtocolStore bobStore = _temp.Open())
        {
            PreKeyGenerator generator = await bobStore.ToProtocolStores().CreatePreKeyGeneratorAsync();
            await generator.GenerateAsync(1);
            PreKeyBundle bundle = await generator.CreateBundleAsync();
            oneTimeId = bundle.OneTimePreKeyId;
            await alice.StartSessionAsync(s_bob, bundle);
            first = await alice.EncryptAsync(s_bob, "hello"u8.ToArray());
            second = await alice.EncryptAsync(s_bob, "again"u8.ToArray());

            using var bob = new SessionManager(bobStore.ToProtocolStores(), s_bob);
            bobStore.CommitStepHook = name =>
            {
                if (name == step)
                {
                    snapshot = _temp.Snapshot("killed");
                    throw new SimulatedKillException();
                }
            };
            await Assert.ThrowsAsync<SimulatedKillException>(async () => await bob.TryDecryptAsync(s_alice, first));
        }

        using SqliteProtocolStore restarted = _temp.OpenSnapshot(snapshot!);
        using var restartedBob = new SessionManager(restarted.ToProtocolStores(), s_bob);
        bool committedBeforeKill = step == Steps.Committed;
        using (OneTimePreKey? key = await restarted.GetOneTimePreKeyAsync(oneTimeId))
        {
            Assert.Equal(committedBeforeKill, key is null);
        }

        Assert.Equal(committedBeforeKill, (await restarted.LoadSessionAsync(s_alice)).Record is not null);
        Assert.Equal(committedBeforeKill, await restarted.GetIdentityAsync(s_alice) is not null);

        DecryptResult redelivered = await restartedBob.TryDecryptAsync(s_alice, first);
        if (committedBeforeKill)
        {
            Assert.False(redelivered.IsSuccess);
        }
        else
        {
            Assert.Equal("hello", Encoding.UTF8.GetString(redelivered.Plaintext!));
        }

        // Never accepted twice, the one-time key never serves again, and the conversation goes on.
        Assert.False((await restartedBob.TryDecryptAsync(s_alice, first)).IsSuccess);
        using (OneTimePreKey? key = await restarted.GetOneTimePreKeyAsync(oneTimeId))
        {
            Assert.Null(key);
        }

        Assert.Equal("again", Encoding.UTF8.GetString(await restartedBob.DecryptAsync(s_alice, second)));
        CiphertextMessage reply = await restartedBob.EncryptAsync(s_alice, "hi alice"u8.ToArray());
        Assert.Equal("hi alice", Encoding.UTF8.GetString(await alice.DecryptAsync(s_bob, reply)));
    }

    [Theory]
    [MemberData(nameof(CommitSteps))]
    public async Task FirstMessage_FailingAtAnyStepInProcess_RolledBackAndAcceptedOnRetry(string step)
    {
        using var aliceIdentity = IdentityKeyPair.Generate();
        using var alice = new SessionManager(ProtocolStores.CreateInMemory(aliceIdentity), s_alice);
        using SqliteProtocolStore bobStore = _temp.Open();
        PreKeyGenerator generator = await bobStore.ToProtocolStores().CreatePreKeyGeneratorAsync();
        await generator.GenerateAsync(1);
        await alice.StartSessionAsync(s_bob, await generator.CreateBundleAsync());
        CiphertextMessage first = await alice.EncryptAsync(s_bob, "hello"u8.ToArray());

        bobStore.CommitStepHook = name =>
        {
            if (name == step)
            {
                throw new SimulatedKillException();
            }
        };
        using (var bob = new SessionManager(bobStore.ToProtocolStores(), s_bob))
        {
            await Assert.ThrowsAsync<SimulatedKillException>(async () => await bob.TryDecryptAsync(s_alice, first));
        }

        bobStore.CommitStepHook = null;
        using var retried = new SessionManager(bobStore.ToProtocolStores(), s_bob);
        DecryptResult result = await retried.TryDecryptAsync(s_alice, first);
        Assert.Equal(step != Steps.Committed, result.IsSuccess);
        Assert.False((await retried.TryDecryptAsync(s_alice, first)).IsSuccess);
    }

    [Fact]
    public async Task EveryOperationThatReturned_SurvivesAKillRightAfterIt()
    {
        using SqliteProtocolStore store = _temp.Open();
        using var peer = IdentityKeyPair.Generate();
        using var oneTime = OneTimePreKey.Generate(1);
        using var signed = SignedPreKey.Generate(await store.GetIdentityKeyPairAsync(), 2);
        var group = new SenderKeyName(s_alice, new DistributionId(new byte[16]));
        Func<Task>[] operations =
        [
            async () => await store.SaveOneTimePreKeyAsync(oneTime),
            async () => await store.SaveSignedPreKeyAsync(signed),
            async () => await store.SaveIdentityAsync(s_alice, peer.PublicKey),
            async () => await store.TryStoreSessionAsync(s_alice, new byte[] { 1 }, 0),
            async () => await store.TryStoreSessionAsync(s_alice, new byte[] { 2 }, 1),
            async () => await store.TryStoreSenderKeyAsync(group, new byte[] { 3 }, 0),
            async () => await store.RemoveOneTimePreKeyAsync(1),
            async () => await store.DeleteSessionAsync(s_alice),
            async () => await store.RemoveSenderKeyAsync(group),
            async () => await store.RemoveSignedPreKeyAsync(2),
        ];

        for (int i = 0; i < operations.Length; i++)
        {
            await operations[i]();
            using SqliteProtocolStore killed = _temp.OpenSnapshot(_temp.Snapshot($"after-{i}"));
            Assert.Equal(await DescribeAsync(store, group), await DescribeAsync(killed, group));
        }
    }

    private static async Task<string> DescribeAsync(SqliteProtocolStore store, SenderKeyName group)
    {
        using OneTimePreKey? oneTime = await store.GetOneTimePreKeyAsync(1);
        using SignedPreKey? signed = await store.GetSignedPreKeyAsync(2);
        VersionedRecord session = await store.LoadSessionAsync(s_alice);
        VersionedRecord senderKey = await store.LoadSenderKeyAsync(group);
        IdentityKey? identity = await store.GetIdentityAsync(s_alice);
        return string.Join(
            ' ',
            oneTime is null ? "-" : Convert.ToHexString(oneTime.PublicKey),
            signed is null ? "-" : Convert.ToHexString(signed.PublicKey),
            identity?.ToString() ?? "-",
            session.ToString(),
            session.Record is null ? "-" : Convert.ToHexString(session.Record),
            senderKey.ToString());
    }
}
