using static E2eChat.Tests.Groups.SenderKeyTestGroup;

namespace E2eChat.Tests.Groups;

public sealed class GroupReceiverTests : IDisposable
{
    private const ulong Lifetime = (ulong)ProtocolLimits.StatusLifetimeMilliseconds;
    private static readonly ProtocolAddress s_shop = new("shop.example", 1);

    private readonly SenderKeyTestGroup _group = new(0);
    private readonly List<Viewer> _viewers = [.. Enumerable.Range(0, 5).Select(_ => new Viewer())];

    public void Dispose()
    {
        foreach (Viewer viewer in _viewers)
        {
            viewer.Store.Dispose();
        }

        _group.Dispose();
    }

    [Fact]
    public async Task TryDecryptAsync_OnePost_FiveViewersEachDecrypt()
    {
        await DistributeAsync(_viewers);
        byte[] post = _group.Post("today only: free delivery");
        foreach (Viewer viewer in _viewers)
        {
            SenderKeyDecryptionResult result = await viewer.Receiver.TryDecryptAsync(s_shop, post, Now);
            Assert.True(result.Succeeded, result.ToString());
            Assert.Equal(E2eChatFailure.None, result.Failure);
            Assert.Equal(Text("today only: free delivery"), result.Plaintext);
        }
    }

    [Fact]
    public async Task TryDecryptAsync_RemovedViewerAfterRotation_UnknownSenderKeyNothingWritten()
    {
        await DistributeAsync(_viewers);
        Viewer removed = _viewers[2];
        List<Viewer> remaining = [.. _viewers.Where(v => v != removed)];
        byte[] oldPost = _group.Post("before");

        _group.Sender.Rotate();
        await DistributeAsync(remaining);
        byte[] newPost = _group.Post("after");

        foreach (Viewer viewer in remaining)
        {
            Assert.Equal(Text("after"), await viewer.Receiver.DecryptAsync(s_shop, newPost, Now));
            Assert.Equal(Text("before"), await viewer.Receiver.DecryptAsync(s_shop, oldPost, Now));
        }

        byte[] stored = (await removed.Store.LoadSenderKeyAsync(Name())).Record!;
        SenderKeyDecryptionResult result = await removed.Receiver.TryDecryptAsync(s_shop, newPost, Now);
        Assert.Equal(E2eChatFailure.UnknownSenderKey, result.Failure);
        Assert.Null(result.Plaintext);
        Assert.Equal(stored, (await removed.Store.LoadSenderKeyAsync(Name())).Record);
        Assert.Equal(Text("before"), await removed.Receiver.DecryptAsync(s_shop, oldPost, Now));
    }

    [Fact]
    public async Task TryDecryptAsync_NonMember_UnknownSenderKeyNothingStored()
    {
        Viewer outsider = _viewers[0];
        SenderKeyDecryptionResult result = await outsider.Receiver.TryDecryptAsync(s_shop, _group.Post("x"), Now);
        Assert.Equal(E2eChatFailure.UnknownSenderKey, result.Failure);
        Assert.Equal(0, outsider.Store.Count);
    }

    [Fact]
    public async Task TryDecryptAsync_SameDistributionIdFromOtherSender_UnknownSenderKey()
    {
        await DistributeAsync(_viewers.Take(1));
        var impostor = new ProtocolAddress("impostor", 1);
        SenderKeyDecryptionResult result = await _viewers[0].Receiver.TryDecryptAsync(impostor, _group.Post("x"), Now);
        Assert.Equal(E2eChatFailure.UnknownSenderKey, result.Failure);
    }

    [Fact]
    public async Task TryDecryptAsync_RefusedPosts_StoreUnchanged()
    {
        await DistributeAsync(_viewers.Take(1));
        Viewer viewer = _viewers[0];
        byte[] post = _group.Post("status", expiresAt: Now + Lifetime);
        byte[] forged = (byte[])post.Clone();
        forged[^1] ^= 0x01;
        byte[] stored = (await viewer.Store.LoadSenderKeyAsync(Name())).Record!;

        Assert.Equal(E2eChatFailure.BadSignature, (await viewer.Receiver.TryDecryptAsync(s_shop, forged, Now)).Failure);
        Assert.Equal(E2eChatFailure.Expired, (await viewer.Receiver.TryDecryptAsync(s_shop, post, Now + Lifetime)).Failure);
        Assert.Equal(E2eChatFailure.Malformed, (await viewer.Receiver.TryDecryptAsync(s_shop, post.AsMemory(1), Now)).Failure);
        Assert.Equal(stored, (await viewer.Store.LoadSenderKeyAsync(Name())).Record);

        Assert.Equal(Text("status"), await viewer.Receiver.DecryptAsync(s_shop, post, Now));
        var exception = await Assert.ThrowsAsync<E2eChatException>(async () => await viewer.Receiver.DecryptAsync(s_shop, post, Now));
        Assert.True(exception.Failure == E2eChatFailure.Duplicate);
    }

    [Fact]
    public async Task TryProcessDistributionAsync_Malformed_NothingStored()
    {
        Viewer viewer = _viewers[0];
        byte[] distribution = _group.Distribution();
        Assert.Equal(E2eChatFailure.Malformed, await viewer.Receiver.TryProcessDistributionAsync(s_shop, distribution.AsMemory(0, distribution.Length - 1)));
        Assert.Equal(0, viewer.Store.Count);
        var exception = await Assert.ThrowsAsync<E2eChatException>(async () => await viewer.Receiver.ProcessDistributionAsync(s_shop, new byte[3]));
        Assert.True(exception.Failure == E2eChatFailure.Malformed);
    }

    [Fact]
    public async Task TryProcessDistributionAsync_Rotation_AddsGenerationToStoredRecord()
    {
        Viewer viewer = _viewers[0];
        await DistributeAsync([viewer]);
        _group.Sender.Rotate();
        await DistributeAsync([viewer]);

        using SenderKeyRecord record = SenderKeyRecord.Deserialize((await viewer.Store.LoadSenderKeyAsync(Name())).Record!);
        Assert.Equal(2, record.ChainIds.Count);
        Assert.Equal(_group.Sender.ChainId, record.ChainIds[0]);
    }

    [Fact]
    public async Task TryDecryptAsync_CorruptStoredRecord_ThrowsWithStateFailure()
    {
        Viewer viewer = _viewers[0];
        await viewer.Store.TryStoreSenderKeyAsync(Name(), new byte[] { 0x08, 0x01, 0x12, 0x05 }, 0);
        var exception = await Assert.ThrowsAsync<E2eChatException>(async () => await viewer.Receiver.TryDecryptAsync(s_shop, _group.Post("x"), Now));
        Assert.True(exception.Failure == E2eChatFailure.Truncated);
        exception = await Assert.ThrowsAsync<E2eChatException>(async () => await viewer.Receiver.TryProcessDistributionAsync(s_shop, _group.Distribution()));
        Assert.True(exception.Failure == E2eChatFailure.Truncated);
    }

    [Fact]
    public async Task DeleteExpiredKeysAsync_SweepsEveryRecordAndSkipsSenderStates()
    {
        Viewer viewer = _viewers[0];
        await DistributeAsync([viewer]);
        using var other = new SenderKeyTestGroup(0, seed: 5);
        var otherSender = new ProtocolAddress("friend", 3);
        await viewer.Receiver.ProcessDistributionAsync(otherSender, other.Distribution());
        await viewer.Store.TryStoreSenderKeyAsync(new SenderKeyName(new ProtocolAddress("me", 1), _group.Sender.DistributionId), _group.Sender.Serialize(), 0);

        byte[] missed = _group.Post("missed", expiresAt: Now + Lifetime);
        await viewer.Receiver.DecryptAsync(s_shop, _group.Post("seen", expiresAt: Now + Lifetime), Now);
        other.Post("missed 1", expiresAt: Now + 10);
        other.Post("missed 2", expiresAt: Now + 10);
        await viewer.Receiver.DecryptAsync(otherSender, other.Post("seen", expiresAt: Now + 10), Now + 1);

        Assert.Equal(0, await viewer.Receiver.DeleteExpiredKeysAsync(Now + Lifetime - 1));
        Assert.Equal(1, await viewer.Receiver.DeleteExpiredKeysAsync(Now + Lifetime));
        Assert.Equal(2, await viewer.Receiver.DeleteExpiredKeysAsync(Now + Lifetime + 1));
        Assert.Equal(0, await viewer.Receiver.DeleteExpiredKeysAsync(ulong.MaxValue));

        Assert.Equal(E2eChatFailure.Duplicate, (await viewer.Receiver.TryDecryptAsync(s_shop, missed, Now)).Failure);
        Assert.Equal(3, viewer.Store.Count);
    }

    [Fact]
    public async Task Methods_InvalidSenderAddress_Throw()
    {
        GroupReceiver receiver = _viewers[0].Receiver;
        await Assert.ThrowsAsync<ArgumentException>(async () => await receiver.TryDecryptAsync(default, _group.Post("x"), Now));
        await Assert.ThrowsAsync<ArgumentException>(async () => await receiver.TryProcessDistributionAsync(default, _group.Distribution()));
        Assert.Throws<ArgumentNullException>(() => new GroupReceiver(null!));
    }

    private SenderKeyName Name() => new(s_shop, _group.Sender.DistributionId);

    [Fact]
    public async Task TryDecryptAsync_SamePostConcurrentlyAtReceiversOverOneYieldingStore_AcceptedOnce()
    {
        Viewer viewer = _viewers[0];
        await DistributeAsync([viewer]);
        var shared = new YieldingSenderKeyStore(viewer.Store);
        GroupReceiver[] workers = [.. Enumerable.Range(0, 4).Select(_ => new GroupReceiver(shared))];
        byte[] post = _group.Post("once");

        SenderKeyDecryptionResult[] results = await Task.WhenAll(workers.Select(w => Task.Run(async () => await w.TryDecryptAsync(s_shop, post, Now))));
        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(E2eChatFailure.Duplicate, r.Failure));
    }

    [Fact]
    public async Task Operations_ConcurrentlyOnOneRecord_LoseNoUpdate()
    {
        Viewer viewer = _viewers[0];
        await DistributeAsync([viewer]);
        byte[] skipped = _group.Post("skipped for now");
        byte[] post = _group.Post("now");
        _group.Sender.Rotate();
        byte[] nextGeneration = _group.Distribution();
        var shared = new YieldingSenderKeyStore(viewer.Store);

        // A post that leaves a skipped key, and the next generation's distribution, at the same time.
        Task<byte[]> decrypting = Task.Run(async () => await new GroupReceiver(shared).DecryptAsync(s_shop, post, Now));
        Task distributing = Task.Run(async () => await new GroupReceiver(shared).ProcessDistributionAsync(s_shop, nextGeneration));
        Assert.Equal(Text("now"), await decrypting);
        await distributing;

        using SenderKeyRecord record = SenderKeyRecord.Deserialize((await viewer.Store.LoadSenderKeyAsync(Name())).Record!);
        Assert.Equal(2, record.ChainIds.Count);
        Assert.Equal(E2eChatFailure.Duplicate, (await viewer.Receiver.TryDecryptAsync(s_shop, post, Now)).Failure);
        Assert.Equal(Text("skipped for now"), await viewer.Receiver.DecryptAsync(s_shop, skipped, Now));
    }

    [Fact]
    public async Task TryDecryptAsync_StoreNeverAcceptsTheWrite_StoreConflictNothingReleased()
    {
        Viewer viewer = _viewers[0];
        await DistributeAsync([viewer]);
        var shared = new YieldingSenderKeyStore(viewer.Store) { RefuseWrites = true };
        byte[] post = _group.Post("held back");

        var error = await Assert.ThrowsAsync<E2eChatException>(async () => await new GroupReceiver(shared).TryDecryptAsync(s_shop, post, Now));
        Assert.True(error.Failure == E2eChatFailure.StoreConflict);
        Assert.Equal(ProtocolLimits.MaxCommitAttempts, shared.Writes);
        Assert.Equal(Text("held back"), await viewer.Receiver.DecryptAsync(s_shop, post, Now));
    }

    private async Task DistributeAsync(IEnumerable<Viewer> viewers)
    {
        byte[] distribution = _group.Distribution();
        foreach (Viewer viewer in viewers)
        {
            Assert.Equal(E2eChatFailure.None, await viewer.Receiver.TryProcessDistributionAsync(s_shop, distribution));
        }
    }

    private sealed class Viewer
    {
        public Viewer()
        {
            Receiver = new GroupReceiver(Store);
        }

        public InMemorySenderKeyStore Store { get; } = new();

        public GroupReceiver Receiver { get; }
    }
}
