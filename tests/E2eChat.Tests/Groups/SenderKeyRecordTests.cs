using System.Security.Cryptography;
using E2eChat.Crypto;
using E2eChat.Storage.Proto;
using Google.Protobuf;
using static E2eChat.Tests.Groups.SenderKeyTestGroup;

namespace E2eChat.Tests.Groups;

public sealed class SenderKeyRecordTests
{
    private const ulong Lifetime = (ulong)ProtocolLimits.StatusLifetimeMilliseconds;

    // ---- Creating and distributing ------------------------------------------------------------------

    [Fact]
    public void TryCreate_Distribution_HoldsOneGenerationAtSendersIteration()
    {
        using var group = new SenderKeyTestGroup(1);
        Assert.Equal(group.Sender.DistributionId, group.Viewer.DistributionId);
        Assert.Equal([group.Sender.ChainId], group.Viewer.ChainIds);
        Assert.Equal(0u, group.Viewer.NextIterationOf(group.Sender.ChainId));
        Assert.Equal(0, group.Viewer.SkippedKeyCount);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x0A, 0x10 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF })]
    public void TryCreate_Malformed_FailsWithoutRecord(byte[] distribution)
    {
        Assert.False(SenderKeyRecord.TryCreate(distribution, out SenderKeyRecord? record, out E2eChatFailure failure));
        Assert.Null(record);
        Assert.Equal(E2eChatFailure.Malformed, failure);
        var exception = Assert.Throws<E2eChatException>(() => SenderKeyRecord.Create(distribution));
        Assert.True(exception.Failure == E2eChatFailure.Malformed);
    }

    [Fact]
    public void TryCreate_LateJoiner_OpensOnlyPostsFromItsDistributionOn()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[][] early = [group.Post("a"), group.Post("b"), group.Post("c")];
        using SenderKeyRecord joiner = SenderKeyRecord.Create(group.Distribution());
        byte[] later = group.Post("d");

        Assert.Equal(3u, joiner.NextIterationOf(group.Sender.ChainId));
        foreach (byte[] post in early)
        {
            Refused(joiner, post, E2eChatFailure.Duplicate);
        }

        Assert.Equal(Text("d"), Open(joiner, later));
    }

    [Fact]
    public void TryProcessDistribution_OtherDistributionId_WrongDistributionUnchanged()
    {
        using var group = new SenderKeyTestGroup(1);
        using var other = new SenderKeyTestGroup(1, seed: 2);
        byte[] before = Serialize(group.Viewer);
        Assert.False(group.Viewer.TryProcessDistribution(other.Distribution(), out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.WrongDistribution, failure);
        Assert.Equal(before, Serialize(group.Viewer));
        var exception = Assert.Throws<E2eChatException>(() => group.Viewer.ProcessDistribution(other.Distribution()));
        Assert.True(exception.Failure == E2eChatFailure.WrongDistribution);
    }

    [Fact]
    public void TryProcessDistribution_Malformed_FailsUnchanged()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] distribution = group.Distribution();
        byte[] before = Serialize(group.Viewer);
        Assert.False(group.Viewer.TryProcessDistribution(distribution.AsSpan(0, distribution.Length - 1), out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.Malformed, failure);
        Assert.Equal(before, Serialize(group.Viewer));
    }

    [Fact]
    public void TryProcessDistribution_ResentOlderDistribution_NeverRollsBack()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] original = group.Distribution();
        byte[][] posts = [.. Enumerable.Range(0, 5).Select(i => group.Post($"post {i}"))];
        foreach (byte[] post in posts.Take(3))
        {
            Open(group.Viewer, post);
        }

        Assert.True(group.Viewer.TryProcessDistribution(original, out _));

        Assert.Equal(3u, group.Viewer.NextIterationOf(group.Sender.ChainId));
        Refused(group.Viewer, posts[0], E2eChatFailure.Duplicate);
        Assert.Equal(Text("post 4"), Open(group.Viewer, posts[4]));
        Assert.Equal(Text("post 3"), Open(group.Viewer, posts[3]));
    }

    [Fact]
    public void TryProcessDistribution_SameChainIdOtherSigningKey_ReplacesGenerationAndItsSkippedKeys()
    {
        using var genuine = new SpecSenderKey(seed: 1, chainId: 77);
        using var impostor = new SpecSenderKey(seed: 2, chainId: 77, distributionId: genuine.DistributionId);
        using SenderKeyRecord record = SenderKeyRecord.Create(genuine.Distribution());
        byte[] skipped = genuine.Post(Text("skipped"));
        Open(record, genuine.Post(Text("opened")));
        Assert.Equal(1, record.SkippedKeyCount);

        Assert.True(record.TryProcessDistribution(impostor.Distribution(), out _));

        Assert.Equal([77u], record.ChainIds);
        Assert.Equal(0, record.SkippedKeyCount);
        Refused(record, skipped, E2eChatFailure.BadSignature);
        Assert.Equal(Text("new"), Open(record, impostor.Post(Text("new"))));
    }

    [Fact]
    public void TryProcessDistribution_SixthGeneration_EvictsOldestWithItsSkippedKeys()
    {
        using var group = new SenderKeyTestGroup(1);
        uint first = group.Sender.ChainId;
        byte[] firstSkipped = group.Post("skipped");
        Open(group.Viewer, group.Post("opened"));
        Assert.Equal(1, group.Viewer.SkippedKeyCount);

        var chainIds = new List<uint> { first };
        for (int i = 0; i < ProtocolLimits.MaxSenderKeyStates; i++)
        {
            group.Sender.Rotate();
            chainIds.Insert(0, group.Sender.ChainId);
            Assert.True(group.Viewer.TryProcessDistribution(group.Distribution(), out _));
        }

        Assert.Equal(chainIds.Take(ProtocolLimits.MaxSenderKeyStates), group.Viewer.ChainIds);
        Assert.DoesNotContain(first, group.Viewer.ChainIds);
        Assert.Equal(0, group.Viewer.SkippedKeyCount);
        Refused(group.Viewer, firstSkipped, E2eChatFailure.UnknownSenderKey);
    }

    [Fact]
    public void TryProcessDistribution_Rotation_PostsOfEarlierGenerationsStillOpen()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] beforeRotation = group.Post("before");
        group.Sender.Rotate();
        Assert.True(group.Viewer.TryProcessDistribution(group.Distribution(), out _));
        byte[] afterRotation = group.Post("after");

        Assert.Equal(Text("after"), Open(group.Viewer, afterRotation));
        Assert.Equal(Text("before"), Open(group.Viewer, beforeRotation));
        Assert.Equal(2, group.Viewer.ChainIds.Count);
    }

    // ---- Decrypting -----------------------------------------------------------------------------------

    [Fact]
    public void TryDecrypt_OnePost_EveryViewerOpensIt()
    {
        using var group = new SenderKeyTestGroup(5);
        byte[] post = group.Post("new collection, 20% off until Sunday");
        foreach (SenderKeyRecord viewer in group.Viewers)
        {
            Assert.Equal(Text("new collection, 20% off until Sunday"), Open(viewer, post));
        }
    }

    [Fact]
    public void TryDecrypt_InOrder_AllOpenAndNoKeysKept()
    {
        using var group = new SenderKeyTestGroup(1);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(Text($"post {i}"), Open(group.Viewer, group.Post($"post {i}")));
        }

        Assert.Equal(0, group.Viewer.SkippedKeyCount);
        Assert.Equal(20u, group.Viewer.NextIterationOf(group.Sender.ChainId));
    }

    [Fact]
    public void TryDecrypt_ReorderedWithinBounds_AllOpenOnce()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[][] posts = [.. Enumerable.Range(0, 30).Select(i => group.Post($"post {i}"))];
        int[] order = [.. Enumerable.Range(0, 30).OrderBy(i => (i * 17) % 31)];
        foreach (int i in order)
        {
            Assert.Equal(Text($"post {i}"), Open(group.Viewer, posts[i]));
        }

        Assert.Equal(0, group.Viewer.SkippedKeyCount);
        foreach (byte[] post in posts)
        {
            Refused(group.Viewer, post, E2eChatFailure.Duplicate);
        }
    }

    [Fact]
    public void TryDecrypt_GapAtLimit_OpensAndKeepsEverySkippedKey()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] first = group.Post("first");
        for (int i = 1; i < ProtocolLimits.MaxSenderKeyGap; i++)
        {
            group.Post("filler");
        }

        byte[] last = group.Post("last");

        Assert.Equal(Text("last"), Open(group.Viewer, last));
        Assert.Equal(ProtocolLimits.MaxSenderKeyGap, group.Viewer.SkippedKeyCount);
        Assert.Equal(Text("first"), Open(group.Viewer, first));
    }

    [Fact]
    public void TryDecrypt_GapOverLimit_TooBigGapUnchanged()
    {
        using var group = new SenderKeyTestGroup(1);
        for (int i = 0; i <= ProtocolLimits.MaxSenderKeyGap; i++)
        {
            group.Post("filler");
        }

        byte[] tooFar = group.Post("too far");
        Refused(group.Viewer, tooFar, E2eChatFailure.TooBigGap);
    }

    [Fact]
    public void TryDecrypt_SkippedKeysOverLimit_OldestEvicted()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] oldest = group.Post("oldest");
        byte[] second = group.Post("second");
        for (int i = 2; i < ProtocolLimits.MaxSenderKeyGap; i++)
        {
            group.Post("filler");
        }

        Open(group.Viewer, group.Post("at limit"));
        Assert.Equal(ProtocolLimits.MaxSenderKeySkippedKeys, group.Viewer.SkippedKeyCount);
        group.Post("skipped");
        Open(group.Viewer, group.Post("one more"));

        Assert.Equal(ProtocolLimits.MaxSenderKeySkippedKeys, group.Viewer.SkippedKeyCount);
        Refused(group.Viewer, oldest, E2eChatFailure.Duplicate);
        Assert.Equal(Text("second"), Open(group.Viewer, second));
    }

    [Fact]
    public void TryDecrypt_Duplicate_RefusedUnchanged()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] post = group.Post("once");
        Open(group.Viewer, post);
        Refused(group.Viewer, post, E2eChatFailure.Duplicate);
        var exception = Assert.Throws<E2eChatException>(() => group.Viewer.Decrypt(post, Now));
        Assert.True(exception.Failure == E2eChatFailure.Duplicate);
    }

    [Fact]
    public void TryDecrypt_DuplicateOfSkippedPost_RefusedAfterFirstUse()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] skipped = group.Post("skipped");
        Open(group.Viewer, group.Post("later"));
        Open(group.Viewer, skipped);
        Refused(group.Viewer, skipped, E2eChatFailure.Duplicate);
    }

    [Fact]
    public void TryDecrypt_ExpiryNotAfterClock_ExpiredUnchanged()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] post = group.Post("status", expiresAt: Now + Lifetime);
        Refused(group.Viewer, post, E2eChatFailure.Expired, now: Now + Lifetime);
        Refused(group.Viewer, post, E2eChatFailure.Expired, now: ulong.MaxValue);
        Assert.Equal(Text("status"), Open(group.Viewer, post, now: Now + Lifetime - 1));
    }

    [Fact]
    public void TryDecrypt_NoExpiry_OpensAtAnyTime()
    {
        using var group = new SenderKeyTestGroup(1);
        Assert.Equal(Text("forever"), Open(group.Viewer, group.Post("forever"), now: ulong.MaxValue));
    }

    [Fact]
    public void TryDecrypt_SignatureByAnotherKey_BadSignatureUnchanged()
    {
        // A member knows the chain key, so it can build a ciphertext that opens; it cannot sign.
        using var genuine = new SpecSenderKey(seed: 1);
        using SenderKeyRecord record = SenderKeyRecord.Create(genuine.Distribution());
        using var forger = new SpecSenderKey(seed: 9, chainId: genuine.ChainId, distributionId: genuine.DistributionId, chainKey: genuine.ChainKey);

        byte[] forged = forger.Post(Text("send your password"));

        Refused(record, forged, E2eChatFailure.BadSignature);
        Assert.Equal(Text("real"), Open(record, genuine.Post(Text("real"))));
    }

    [Fact]
    public void TryDecrypt_SignatureOfAnotherPost_BadSignatureUnchanged()
    {
        using var group = new SenderKeyTestGroup(1);
        E2eChat.Wire.Proto.SenderKeyMessage first = E2eChat.Wire.Proto.SenderKeyMessage.Parser.ParseFrom(group.Post("first"));
        E2eChat.Wire.Proto.SenderKeyMessage second = E2eChat.Wire.Proto.SenderKeyMessage.Parser.ParseFrom(group.Post("second"));
        second.Signature = first.Signature;
        Refused(group.Viewer, second.ToByteArray(), E2eChatFailure.BadSignature);
    }

    [Fact]
    public void TryDecrypt_NonMemberSender_UnknownSenderKeyUnchanged()
    {
        using var group = new SenderKeyTestGroup(1);
        using var stranger = new SenderKeyTestGroup(1, seed: 3);
        Refused(group.Viewer, stranger.Post("hello"), E2eChatFailure.UnknownSenderKey);
    }

    [Fact]
    public void TryDecrypt_NonMemberReusingPublicIds_BadSignatureUnchanged()
    {
        // The distribution id and chain id are public (the relay sees them); a non-member can copy them.
        using var group = new SenderKeyTestGroup(1);
        using var stranger = new SpecSenderKey(seed: 5, chainId: group.Sender.ChainId, distributionId: group.Sender.DistributionId.ToArray());
        Refused(group.Viewer, stranger.Post(Text("spoof")), E2eChatFailure.BadSignature);
    }

    [Fact]
    public void TryDecrypt_RemovedViewerAfterRotation_UnknownSenderKeyOthersOpen()
    {
        using var group = new SenderKeyTestGroup(5);
        SenderKeyRecord removed = group.Viewers[4];
        Open(removed, group.Post("before removal"));

        group.Sender.Rotate();
        byte[] distribution = group.Distribution();
        foreach (SenderKeyRecord viewer in group.Viewers.Take(4))
        {
            Assert.True(viewer.TryProcessDistribution(distribution, out _));
        }

        byte[] post = group.Post("members only");
        foreach (SenderKeyRecord viewer in group.Viewers.Take(4))
        {
            Assert.Equal(Text("members only"), Open(viewer, post));
        }

        Refused(removed, post, E2eChatFailure.UnknownSenderKey);
    }

    [Fact]
    public void TryDecrypt_AuthenticPostWithBrokenTag_InvalidCiphertextUnchanged()
    {
        using var sender = new SpecSenderKey(seed: 1);
        using SenderKeyRecord record = SenderKeyRecord.Create(sender.Distribution());
        Refused(record, sender.Post(Text("x"), breakTag: true), E2eChatFailure.InvalidCiphertext);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x01)]
    [InlineData(0x7F)]
    public void TryDecrypt_AuthenticPostWithBadPadding_InvalidPaddingUnchanged(byte last)
    {
        using var sender = new SpecSenderKey(seed: 1);
        using SenderKeyRecord record = SenderKeyRecord.Create(sender.Distribution());
        byte[] padded = new byte[64];
        padded[^1] = last;
        Refused(record, sender.Post([], padded: padded), E2eChatFailure.InvalidPadding);
    }

    [Fact]
    public void TryDecrypt_PostBuiltFromSpec_Opens()
    {
        using var sender = new SpecSenderKey(seed: 4, iteration: 10);
        using SenderKeyRecord record = SenderKeyRecord.Create(sender.Distribution());
        byte[] first = sender.Post(Text("first"), expiresAt: Now + 1);
        byte[] second = sender.Post(new byte[300]);
        Assert.Equal(new byte[300], Open(record, second));
        Assert.Equal(Text("first"), Open(record, first));
    }

    [Fact]
    public void TryDecrypt_EverySingleByteChange_RefusedUnchanged()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] post = group.Post("status update", expiresAt: Now + Lifetime);
        byte[] before = Serialize(group.Viewer);
        var failures = new HashSet<E2eChatFailure>();
        foreach (byte mask in new byte[] { 0x01, 0x80, 0xFF })
        {
            for (int i = 0; i < post.Length; i++)
            {
                byte[] changed = (byte[])post.Clone();
                changed[i] ^= mask;
                Assert.False(group.Viewer.TryDecrypt(changed, Now, out byte[]? plaintext, out E2eChatFailure failure), $"byte {i} ^ {mask:x2}");
                Assert.Null(plaintext);
                failures.Add(failure);
            }
        }

        Assert.Equal(before, Serialize(group.Viewer));
        Assert.Subset(new HashSet<E2eChatFailure> { E2eChatFailure.Malformed, E2eChatFailure.UnknownSenderKey, E2eChatFailure.BadSignature }, failures);
        Assert.Contains(E2eChatFailure.BadSignature, failures);
        Assert.Equal(Text("status update"), Open(group.Viewer, post));
    }

    [Fact]
    public void TryDecrypt_EveryTruncationAndExtension_MalformedUnchanged()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] post = group.Post("x");
        for (int length = 0; length < post.Length; length++)
        {
            Refused(group.Viewer, post[..length], E2eChatFailure.Malformed);
        }

        Refused(group.Viewer, [.. post, 0x00], E2eChatFailure.Malformed);
        Refused(group.Viewer, [.. post, 0x38, 0x01], E2eChatFailure.Malformed);
    }

    [Fact]
    public void TryDecrypt_SpanOverload_WritesPlaintextAndChecksBuffer()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] post = group.Post("span");
        Assert.Throws<ArgumentException>(() => group.Viewer.TryDecrypt(post, Now, new byte[63], out _, out _));
        Assert.Throws<ArgumentException>(() => group.Viewer.TryDecrypt(post, Now, post.AsSpan(), out _, out _));
        Assert.Equal(0u, group.Viewer.NextIterationOf(group.Sender.ChainId));

        byte[] buffer = new byte[post.Length];
        Assert.True(group.Viewer.TryDecrypt(post, Now, buffer, out int written, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.None, failure);
        Assert.Equal(Text("span"), buffer[..written]);
    }

    [Fact]
    public void TryDecrypt_FailureWithSpanOverload_ZeroesBuffer()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] post = group.Post("once");
        Open(group.Viewer, post);
        byte[] buffer = [.. Enumerable.Repeat((byte)0xAA, post.Length)];
        Assert.False(group.Viewer.TryDecrypt(post, Now, buffer, out int written, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.Duplicate, failure);
        Assert.Equal(0, written);
        Assert.All(buffer[..64], b => Assert.Equal(0, b));
    }

    [Fact]
    public void TryReadDistributionId_ValidAndMalformed()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] post = group.Post("x");
        Assert.True(SenderKeyRecord.TryReadDistributionId(post, out DistributionId id));
        Assert.Equal(group.Sender.DistributionId, id);
        Assert.False(SenderKeyRecord.TryReadDistributionId(post.AsSpan(1), out _));
    }

    // ---- Expiry -----------------------------------------------------------------------------------------

    [Fact]
    public void DeleteExpiredKeys_KeysSkippedByStatusPost_DeletedOnceLifetimeHasPassed()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] missed0 = group.Post("missed 0", expiresAt: Now + Lifetime);
        byte[] missed1 = group.Post("missed 1", expiresAt: Now + Lifetime);
        Open(group.Viewer, group.Post("seen", expiresAt: Now + Lifetime));
        Assert.Equal(2, group.Viewer.SkippedKeyCount);
        Assert.Equal(Now + Lifetime, group.Viewer.SkippedKeys.DeleteAfterAt(0));

        Assert.Equal(0, group.Viewer.DeleteExpiredKeys(Now + Lifetime - 1));
        Assert.Equal(2, group.Viewer.SkippedKeyCount);
        Assert.Equal(2, group.Viewer.DeleteExpiredKeys(Now + Lifetime));
        Assert.Equal(0, group.Viewer.SkippedKeyCount);

        // Even with a clock set back, the keys are gone.
        Refused(group.Viewer, missed0, E2eChatFailure.Duplicate);
        Refused(group.Viewer, missed1, E2eChatFailure.Duplicate);
    }

    [Fact]
    public void TryDecrypt_SkippedKeyPastDeleteAfterButNotDeleted_StillOpensPostWithoutExpiry()
    {
        // PROTOCOL.md section 7: decryption does not consult delete_after_ms; only DeleteExpiredKeys does.
        using var group = new SenderKeyTestGroup(1);
        byte[] missed = group.Post("missed, no expiry");
        Open(group.Viewer, group.Post("seen", expiresAt: Now + Lifetime));
        Assert.Equal(Now + Lifetime, group.Viewer.SkippedKeys.DeleteAfterAt(0));

        Assert.True(group.Viewer.TryDecrypt(missed, Now + Lifetime + 1, out byte[]? plaintext, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.None, failure);
        Assert.Equal(Text("missed, no expiry"), plaintext);
    }

    [Fact]
    public void TryProcessDistribution_MalformedForOtherDistribution_MalformedFirst()
    {
        using var group = new SenderKeyTestGroup(1);
        using var other = new SenderKeyTestGroup(1, seed: 2);
        byte[] distribution = other.Distribution();
        Assert.False(group.Viewer.TryProcessDistribution(distribution.AsSpan(0, distribution.Length - 1), out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.Malformed, failure);
    }

    [Fact]
    public void DeleteExpiredKeys_AfterDeletion_SerializedRecordHoldsNoKeyOfExpiredPost()
    {
        using var sender = new SpecSenderKey(seed: 6);
        using SenderKeyRecord record = SenderKeyRecord.Create(sender.Distribution());
        (byte[] missedKey, _, _, _) = SpecSenderKey.Keys(sender.ChainKey);
        sender.Post(Text("missed"), expiresAt: Now + 10);
        Open(record, sender.Post(Text("seen"), expiresAt: Now + 10));
        Assert.True(Contains(Serialize(record), missedKey));

        record.DeleteExpiredKeys(Now + Lifetime);

        Assert.False(Contains(Serialize(record), missedKey));
    }

    [Fact]
    public void DeleteExpiredKeys_KeysSkippedByPostWithoutExpiry_Kept()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] missed = group.Post("missed", expiresAt: Now + 10);
        Open(group.Viewer, group.Post("update"));
        Assert.Equal(0ul, group.Viewer.SkippedKeys.DeleteAfterAt(0));
        Assert.Equal(0, group.Viewer.DeleteExpiredKeys(ulong.MaxValue));
        Assert.Equal(Text("missed"), Open(group.Viewer, missed, now: Now));
    }

    [Fact]
    public void DeleteExpiredKeys_ClockNearMaximum_DeletionTimeSaturates()
    {
        using var group = new SenderKeyTestGroup(1);
        group.Post("missed", expiresAt: ulong.MaxValue);
        Open(group.Viewer, group.Post("seen", expiresAt: ulong.MaxValue), now: ulong.MaxValue - 5);
        Assert.Equal(ulong.MaxValue, group.Viewer.SkippedKeys.DeleteAfterAt(0));
        Assert.Equal(0, group.Viewer.DeleteExpiredKeys(ulong.MaxValue - 1));
        Assert.Equal(1, group.Viewer.DeleteExpiredKeys(ulong.MaxValue));
    }

    [Fact]
    public void DeleteExpiredKeys_OnlyExpiredEntriesRemoved_OthersStillOpen()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] early = group.Post("early", expiresAt: Now + Lifetime);
        Open(group.Viewer, group.Post("status", expiresAt: Now + Lifetime), now: Now);
        byte[] plain = group.Post("plain");
        Open(group.Viewer, group.Post("update"), now: Now + 1);

        Assert.Equal(1, group.Viewer.DeleteExpiredKeys(Now + Lifetime));
        Refused(group.Viewer, early, E2eChatFailure.Duplicate, now: Now);
        Assert.Equal(Text("plain"), Open(group.Viewer, plain, now: Now + Lifetime));
    }

    // ---- Storage ----------------------------------------------------------------------------------------

    [Fact]
    public void Serialize_RoundTrip_ByteIdenticalAndStillWorks()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] skipped = group.Post("skipped", expiresAt: Now + Lifetime);
        Open(group.Viewer, group.Post("seen", expiresAt: Now + Lifetime));
        group.Sender.Rotate();
        group.Viewer.ProcessDistribution(group.Distribution());
        byte[] serialized = Serialize(group.Viewer);

        Assert.True(SenderKeyRecord.TryDeserialize(serialized, out SenderKeyRecord? loaded, out E2eChatFailure failure));
        using (loaded)
        {
            Assert.Equal(E2eChatFailure.None, failure);
            Assert.Equal(serialized, Serialize(loaded));
            Assert.Equal(group.Viewer.ChainIds, loaded.ChainIds);
            Assert.Equal(Text("skipped"), Open(loaded, skipped));
            Assert.Equal(Text("new"), Open(loaded, group.Post("new")));
        }
    }

    [Fact]
    public void TryDeserialize_FrozenVersion1Record_LoadsAndOpens()
    {
        byte[] stored = Convert.FromHexString(SenderKeyFixtures.Record);
        Assert.True(SenderKeyRecord.TryDeserialize(stored, out SenderKeyRecord? record, out _));
        using (record)
        {
            Assert.Equal(stored, Serialize(record));
            Assert.Equal(SenderKeyFixtures.Now + Lifetime, record.SkippedKeys.DeleteAfterAt(0));
            Refused(record, Convert.FromHexString(SenderKeyFixtures.SeenPost), E2eChatFailure.Duplicate);
            Assert.Equal(Text("later"), Open(record, Convert.FromHexString(SenderKeyFixtures.LaterPost)));
            Assert.Equal(Text("skipped"), Open(record, Convert.FromHexString(SenderKeyFixtures.SkippedPost)));
        }
    }

    [Fact]
    public void TryDeserialize_EveryTruncation_TruncatedOrCorrupt()
    {
        using var group = new SenderKeyTestGroup(1);
        group.Post("skipped");
        Open(group.Viewer, group.Post("seen"));
        byte[] serialized = Serialize(group.Viewer);
        for (int length = 0; length < serialized.Length; length++)
        {
            Assert.False(SenderKeyRecord.TryDeserialize(serialized.AsSpan(0, length), out SenderKeyRecord? record, out E2eChatFailure failure));
            Assert.Null(record);
            Assert.True(failure is E2eChatFailure.Truncated or E2eChatFailure.Corrupt, $"{length}: {failure}");
        }
    }

    [Fact]
    public void TryDeserialize_EveryByteChange_NeverThrowsAndLoadsOnlyCanonical()
    {
        using var group = new SenderKeyTestGroup(1);
        group.Post("skipped", expiresAt: Now + 5);
        Open(group.Viewer, group.Post("seen", expiresAt: Now + 5));
        byte[] serialized = Serialize(group.Viewer);
        for (int i = 0; i < serialized.Length; i++)
        {
            byte[] changed = (byte[])serialized.Clone();
            changed[i] ^= 0x41;
            if (SenderKeyRecord.TryDeserialize(changed, out SenderKeyRecord? record, out E2eChatFailure failure))
            {
                using (record)
                {
                    Assert.Equal(changed, Serialize(record));
                }
            }
            else
            {
                Assert.NotEqual(E2eChatFailure.None, failure);
            }
        }
    }

    [Theory]
    [InlineData(0u, E2eChatFailure.OldVersion)]
    [InlineData(2u, E2eChatFailure.UnknownVersion)]
    [InlineData(1000u, E2eChatFailure.UnknownVersion)]
    public void TryDeserialize_OtherFormatVersion_Refused(uint version, E2eChatFailure expected)
    {
        using var group = new SenderKeyTestGroup(1);
        SenderKeyRecordFile file = SenderKeyRecordFile.Parser.ParseFrom(Serialize(group.Viewer));
        byte[] body = file.Record.ToByteArray();
        byte[] versioned = [0x08, .. Varint(version), 0x12, .. Varint((ulong)body.Length), .. body];

        Assert.False(SenderKeyRecord.TryDeserialize(versioned, out _, out E2eChatFailure failure));
        Assert.Equal(expected, failure);
        var exception = Assert.Throws<E2eChatException>(() => SenderKeyRecord.Deserialize(versioned));
        Assert.True(exception.Failure == expected);
    }

    [Fact]
    public void TryDeserialize_UnknownFieldOrTrailingBytes_Corrupt()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] serialized = Serialize(group.Viewer);
        Assert.False(SenderKeyRecord.TryDeserialize([.. serialized, 0x18, 0x01], out _, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.Corrupt, failure);

        SenderKeyRecordFile file = SenderKeyRecordFile.Parser.ParseFrom(serialized);
        byte[] body = [.. file.Record.ToByteArray(), 0x38, 0x01];
        byte[] withUnknown = [0x08, 0x01, 0x12, .. Varint((ulong)body.Length), .. body];
        Assert.False(SenderKeyRecord.TryDeserialize(withUnknown, out _, out failure));
        Assert.Equal(E2eChatFailure.Corrupt, failure);
    }

    [Fact]
    public void TryDeserialize_SenderState_Corrupt()
    {
        using var group = new SenderKeyTestGroup(1);
        Assert.False(SenderKeyRecord.TryDeserialize(group.Sender.Serialize(), out _, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.Corrupt, failure);
    }

    public static TheoryData<string> BrokenInvariants =>
    [
        "distribution id length",
        "no state",
        "six states",
        "zero chain id",
        "duplicate chain id",
        "chain key length",
        "signing key length",
        "too many skipped keys",
        "skipped key of unknown chain",
        "skipped iteration not below next",
        "duplicate skipped key",
        "message key length",
    ];

    [Theory]
    [MemberData(nameof(BrokenInvariants))]
    public void TryDeserialize_BrokenInvariant_Corrupt(string invariant)
    {
        using var group = new SenderKeyTestGroup(1);
        group.Post("skipped");
        Open(group.Viewer, group.Post("seen"));
        SenderKeyRecordData data = SenderKeyRecordFile.Parser.ParseFrom(Serialize(group.Viewer)).Record;
        SenderKeyStateData state = data.States[0];
        SenderKeySkippedKeyData skipped = data.SkippedKeys[0];
        ByteString key32 = ByteString.CopyFrom(new byte[32]);
        switch (invariant)
        {
            case "distribution id length": data.DistributionId = ByteString.CopyFrom(new byte[15]); break;
            case "no state": data.States.Clear(); data.SkippedKeys.Clear(); break;
            case "six states":
                for (uint i = 1; i <= 5; i++)
                {
                    data.States.Add(new SenderKeyStateData { ChainId = state.ChainId + i, ChainKey = key32, SigningKey = state.SigningKey });
                }

                break;
            case "zero chain id": state.ChainId = 0; data.SkippedKeys.Clear(); break;
            case "duplicate chain id": data.States.Add(state.Clone()); break;
            case "chain key length": state.ChainKey = ByteString.CopyFrom(new byte[31]); break;
            case "signing key length": state.SigningKey = ByteString.CopyFrom(new byte[33]); break;
            case "too many skipped keys":
                state.NextIteration = 5000;
                data.SkippedKeys.Clear();
                for (uint i = 0; i <= ProtocolLimits.MaxSenderKeySkippedKeys; i++)
                {
                    data.SkippedKeys.Add(new SenderKeySkippedKeyData { ChainId = state.ChainId, Iteration = i, MessageKey = key32 });
                }

                break;
            case "skipped key of unknown chain": skipped.ChainId = state.ChainId + 1; break;
            case "skipped iteration not below next": skipped.Iteration = state.NextIteration; break;
            case "duplicate skipped key": data.SkippedKeys.Add(skipped.Clone()); break;
            case "message key length": skipped.MessageKey = ByteString.CopyFrom(new byte[32 + 1]); break;
            default: throw new ArgumentOutOfRangeException(nameof(invariant));
        }

        byte[] serialized = new SenderKeyRecordFile { FormatVersion = 1, Record = data }.ToByteArray();
        Assert.False(SenderKeyRecord.TryDeserialize(serialized, out SenderKeyRecord? record, out E2eChatFailure failure));
        Assert.Null(record);
        Assert.Equal(E2eChatFailure.Corrupt, failure);
    }

    [Fact]
    public void Dispose_ThenUse_ThrowsObjectDisposed()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] post = group.Post("x");
        SenderKeyRecord record = SenderKeyRecord.Create(group.Distribution());
        record.Dispose();
        record.Dispose();
        Assert.Throws<ObjectDisposedException>(() => record.TryDecrypt(post, Now, out _, out _));
        Assert.Throws<ObjectDisposedException>(() => record.Serialize());
        Assert.Throws<ObjectDisposedException>(() => record.DeleteExpiredKeys(Now));
        Assert.Throws<ObjectDisposedException>(() => record.TryProcessDistribution(group.Distribution(), out _));
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)((value & 0x7F) | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }
}
