using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using E2eChat.Crypto;
using E2eChat.Relay;
using E2eChat.Wire;
using E2eChat.Storage.Proto;
using E2eChat.Tests.Handshake;
using Google.Protobuf;
using static E2eChat.Tests.Groups.SenderKeyTestGroup;

namespace E2eChat.Tests.Groups;

public sealed class GroupSenderTests
{
    private const ulong Lifetime = (ulong)ProtocolLimits.StatusLifetimeMilliseconds;

    // ---- Posting through a shared store ---------------------------------------------------------------

    [Fact]
    public async Task EncryptAsync_ManyWorkersOverOneYieldingStore_EveryPostHasItsOwnIteration()
    {
        using var inner = new InMemorySenderKeyStore();
        var shared = new YieldingSenderKeyStore(inner);
        using GroupSender created = GroupSender.Create();
        var name = new SenderKeyName(new ProtocolAddress("shop.example", 1), created.DistributionId);
        Assert.NotEqual(0, await inner.TryStoreSenderKeyAsync(name, created.Serialize(), 0));
        using SecretBuffer distribution = created.CreateDistributionMessage();
        using SenderKeyRecord viewer = SenderKeyRecord.Create(distribution.Span);

        const int Workers = 4;
        const int PerWorker = 6;
        string[][] texts = [.. Enumerable.Range(0, Workers).Select(w => Enumerable.Range(0, PerWorker).Select(i => $"worker {w} post {i}").ToArray())];
        CiphertextMessage[][] posts = await Task.WhenAll(texts.Select(mine => Task.Run(async () =>
        {
            var sent = new List<CiphertextMessage>();
            foreach (string text in mine)
            {
                sent.Add(await GroupSender.EncryptAsync(shared, name, Text(text), 0));
            }

            return sent.ToArray();
        })));

        // No iteration was used twice: the viewer opens every post (a reused key would be a Duplicate).
        var opened = posts.SelectMany(p => p).Select(p => Encoding.UTF8.GetString(Open(viewer, p.Body.ToArray()))).ToList();
        Assert.Equal(texts.SelectMany(t => t).Order(), opened.Order());
        using GroupSender stored = GroupSender.Deserialize((await inner.LoadSenderKeyAsync(name)).Record!);
        Assert.Equal((uint)(Workers * PerWorker), stored.Iteration);
    }

    [Fact]
    public async Task EncryptAsync_NoStoredState_ThrowsUnknownSenderKey()
    {
        using var store = new InMemorySenderKeyStore();
        var name = new SenderKeyName(new ProtocolAddress("shop.example", 1), new DistributionId(new byte[16]));
        var error = await Assert.ThrowsAsync<E2eChatException>(async () => await GroupSender.EncryptAsync(store, name, Text("x"), 0));
        Assert.True(error.Failure == E2eChatFailure.UnknownSenderKey);
    }

    [Fact]
    public async Task EncryptAsync_StoreNeverAcceptsTheWrite_StoreConflictStateUnchanged()
    {
        using var inner = new InMemorySenderKeyStore();
        using GroupSender created = GroupSender.Create();
        var name = new SenderKeyName(new ProtocolAddress("shop.example", 1), created.DistributionId);
        await inner.TryStoreSenderKeyAsync(name, created.Serialize(), 0);
        var refusing = new YieldingSenderKeyStore(inner) { RefuseWrites = true };

        var error = await Assert.ThrowsAsync<E2eChatException>(async () => await GroupSender.EncryptAsync(refusing, name, Text("x"), 0));
        Assert.True(error.Failure == E2eChatFailure.StoreConflict);
        Assert.Equal(ProtocolLimits.MaxCommitAttempts, refusing.Writes);
        Assert.Equal(created.Serialize(), (await inner.LoadSenderKeyAsync(name)).Record);
    }

    // ---- Creating -----------------------------------------------------------------------------------

    [Fact]
    public void Create_FreshState_IterationZeroNonzeroChainId()
    {
        using GroupSender sender = GroupSender.Create();
        using GroupSender other = GroupSender.Create();
        Assert.Equal(0u, sender.Iteration);
        Assert.NotEqual(0u, sender.ChainId);
        Assert.NotEqual(sender.DistributionId, other.DistributionId);
        Assert.False(sender.SigningPublicKey.SequenceEqual(other.SigningPublicKey));
    }

    [Fact]
    public async Task Create_GivenDistributionId_TwoMembersShareTheIdWithTheirOwnKeys()
    {
        var groupId = new DistributionId([.. Enumerable.Range(1, 16).Select(i => (byte)i)]);
        using GroupSender first = GroupSender.Create(groupId);
        using GroupSender second = GroupSender.Create(groupId);
        Assert.Equal(groupId, first.DistributionId);
        Assert.Equal(groupId, second.DistributionId);
        Assert.Equal(0u, first.Iteration);
        Assert.NotEqual(0u, first.ChainId);
        Assert.False(first.SigningPublicKey.SequenceEqual(second.SigningPublicKey));

        // A receiver files both members' keys under the one id and opens each member's post with its own key only (another member's chain is unknown under its name).
        using var store = new InMemorySenderKeyStore();
        var receiver = new GroupReceiver(store);
        var alice = new ProtocolAddress("alice", 1);
        var bob = new ProtocolAddress("bob", 1);
        using (SecretBuffer d = first.CreateDistributionMessage())
        {
            await receiver.ProcessDistributionAsync(alice, d.Span.ToArray());
        }

        using (SecretBuffer d = second.CreateDistributionMessage())
        {
            await receiver.ProcessDistributionAsync(bob, d.Span.ToArray());
        }

        CiphertextMessage fromBob = second.Encrypt("hi"u8, 0);
        Assert.Equal("hi"u8.ToArray(), await receiver.DecryptAsync(bob, fromBob.Body, 1));
        Assert.Equal(E2eChatFailure.UnknownSenderKey, (await receiver.TryDecryptAsync(alice, second.Encrypt("x"u8, 0).Body, 1)).Failure);
    }

    [Fact]
    public void Create_SameRandomness_SameState()
    {
        using DeterministicRandomSource a = TestRandom.FromSeed(7);
        using DeterministicRandomSource b = TestRandom.FromSeed(7);
        using GroupSender first = GroupSender.Create(a);
        using GroupSender second = GroupSender.Create(b);
        Assert.Equal(first.Serialize(), second.Serialize());
    }

    [Fact]
    public void Create_DrawsInSpecOrder_ZeroChainIdRedrawn()
    {
        byte[] distributionId = [.. Enumerable.Range(1, 16).Select(i => (byte)i)];
        byte[] chainKey = [.. Enumerable.Range(100, 32).Select(i => (byte)i)];
        byte[] seed = [.. Enumerable.Range(200, 32).Select(i => (byte)i)];
        var random = new ScriptedRandom([.. distributionId, 0, 0, 0, 0, 0, 0, 0, 7, .. chainKey, .. seed]);
        using GroupSender sender = GroupSender.Create(random);

        Assert.Equal(new DistributionId(distributionId), sender.DistributionId);
        Assert.Equal(7u, sender.ChainId);
        E2eChat.Wire.Proto.SenderKeyDistribution distribution = ParseDistribution(sender);
        Assert.Equal(chainKey, distribution.ChainKey.ToByteArray());
        using NSec.Cryptography.Key expectedKey = Ed25519.ImportSeed(seed);
        byte[] expectedPublic = new byte[32];
        Ed25519.GetPublicKey(expectedKey, expectedPublic);
        Assert.Equal(expectedPublic, distribution.SigningKey.ToByteArray());
        Assert.Equal(0, random.Remaining);
    }

    [Fact]
    public void Create_Seed2026_MatchesFrozenFixtures()
    {
        using DeterministicRandomSource random = TestRandom.FromSeed(SenderKeyFixtures.Seed);
        using GroupSender sender = GroupSender.Create(random);
        using SecretBuffer distribution = sender.CreateDistributionMessage();
        Assert.Equal(SenderKeyFixtures.Distribution, Convert.ToHexString(distribution.Span));
        Assert.Equal(SenderKeyFixtures.SkippedPost, Convert.ToHexString(sender.Encrypt("skipped"u8, SenderKeyFixtures.ExpiresAt).Body.Span));
        Assert.Equal(SenderKeyFixtures.SeenPost, Convert.ToHexString(sender.Encrypt("seen"u8, SenderKeyFixtures.ExpiresAt).Body.Span));
        Assert.Equal(SenderKeyFixtures.LaterPost, Convert.ToHexString(sender.Encrypt("later"u8, 0).Body.Span));
        Assert.Equal(SenderKeyFixtures.Sender, Convert.ToHexString(sender.Serialize()));
    }

    [Fact]
    public void TryDeserialize_FrozenVersion1State_LoadsAndContinues()
    {
        byte[] stored = Convert.FromHexString(SenderKeyFixtures.Sender);
        Assert.True(GroupSender.TryDeserialize(stored, out GroupSender? sender, out _));
        using (sender)
        using (SenderKeyRecord viewer = SenderKeyRecord.Create(Convert.FromHexString(SenderKeyFixtures.Distribution)))
        {
            Assert.Equal(stored, sender.Serialize());
            Assert.Equal(3u, sender.Iteration);
            Assert.Equal(Text("next"), Open(viewer, sender.Encrypt(Text("next"), 0).Body.ToArray()));
        }
    }

    // ---- Distribution --------------------------------------------------------------------------------

    [Fact]
    public void CreateDistributionMessage_IsCanonicalProtobufOfCurrentState()
    {
        using var group = new SenderKeyTestGroup(0);
        group.Post("a");
        group.Post("b");
        using SecretBuffer encoded = group.Sender.CreateDistributionMessage();
        var parsed = E2eChat.Wire.Proto.SenderKeyDistribution.Parser.ParseFrom(encoded.Span);

        Assert.Equal(encoded.Span.ToArray(), parsed.ToByteArray());
        Assert.Equal(group.Sender.DistributionId.ToArray(), parsed.DistributionId.ToByteArray());
        Assert.Equal(group.Sender.ChainId, parsed.ChainId);
        Assert.Equal(2u, parsed.Iteration);
        Assert.Equal(32, parsed.ChainKey.Length);
        Assert.Equal(group.Sender.SigningPublicKey.ToArray(), parsed.SigningKey.ToByteArray());
    }

    // ---- Encrypting ----------------------------------------------------------------------------------

    [Theory]
    [InlineData(0, 0ul)]
    [InlineData(5, 0ul)]
    [InlineData(1, SenderKeyTestGroup.Now + Lifetime)]
    [InlineData(300, ulong.MaxValue)]
    public void TryEncrypt_Message_MatchesSectionSevenComputedIndependently(int postsBefore, ulong expiresAt)
    {
        using var group = new SenderKeyTestGroup(0);
        for (int i = 0; i < postsBefore; i++)
        {
            group.Post("earlier");
        }

        E2eChat.Wire.Proto.SenderKeyDistribution distribution = ParseDistribution(group.Sender);
        byte[] plaintext = Text("hello viewers, this is our spring catalogue");
        byte[] body = group.Post(plaintext, expiresAt);
        var message = E2eChat.Wire.Proto.SenderKeyMessage.Parser.ParseFrom(body);

        Assert.Equal(body, message.ToByteArray());
        Assert.Equal(distribution.DistributionId, message.DistributionId);
        Assert.Equal(distribution.ChainId, message.ChainId);
        Assert.Equal((uint)postsBefore, message.Iteration);
        Assert.Equal(expiresAt, message.ExpiresAtMs);

        byte[] header = SpecSenderKey.Header(message.DistributionId.ToByteArray(), message.ChainId, message.Iteration, message.ExpiresAtMs);
        byte[] ciphertext = message.Ciphertext.ToByteArray();
        Assert.True(Ed25519.VerifyRaw(distribution.SigningKey.Span, SpecSenderKey.SignedMessage(header, ciphertext), message.Signature.Span));

        (_, byte[] key, byte[] nonce, _) = SpecSenderKey.Keys(distribution.ChainKey.ToByteArray());
        byte[] padded = new byte[ciphertext.Length - 16];
        using (var aead = new ChaCha20Poly1305(key))
        {
            aead.Decrypt(nonce, ciphertext.AsSpan(0, padded.Length), ciphertext.AsSpan(padded.Length), padded, header);
        }

        Assert.Equal(SpecSenderKey.Pad(plaintext), padded);
    }

    public static TheoryData<int, ulong> EnvelopeCases => new()
    {
        { 0, 0 },
        { 1, 1 },
        { 63, SenderKeyTestGroup.Now + Lifetime },
        { 64, 0 },
        { 1000, ulong.MaxValue },
        { 16383, 0 },
        { 16384, 5 },
        { ProtocolLimits.MaxPlaintextLength, SenderKeyTestGroup.Now },
    };

    [Theory]
    [MemberData(nameof(EnvelopeCases))]
    public void TryEncrypt_InEnvelope_PassesRelayValidator(int plaintextLength, ulong expiresAt)
    {
        using var group = new SenderKeyTestGroup(1);
        CiphertextMessage message = group.Sender.Encrypt(new byte[plaintextLength], expiresAt);
        var envelope = new Envelope(
            new ProtocolAddress("shop.example", 1), AccountKind.Business,
            new ProtocolAddress("alice", 2), AccountKind.Person,
            new byte[16], Now, message);
        byte[] encoded = EnvelopeCodec.Encode(envelope);

        Assert.True(EnvelopeValidator.TryValidate(encoded, out EnvelopeView info, out EnvelopeFailure failure), failure.ToString());
        Assert.Equal(EnvelopeType.SenderKey, info.Type);
        Assert.Equal(expiresAt, info.ExpiresAtMilliseconds);
        Assert.Equal(Padding(plaintextLength) + 16, info.CiphertextLength);

        Assert.True(EnvelopeCodec.TryDecode(encoded, out Envelope? decoded, out _));
        Assert.Equal(message.Body.ToArray(), decoded.Message.Body.ToArray());
        Assert.Equal(new byte[plaintextLength], Open(group.Viewer, decoded.Message.Body.ToArray(), now: 0));
    }

    [Fact]
    public void TryEncrypt_SamePlaintextTwice_DifferentCiphertexts()
    {
        using var group = new SenderKeyTestGroup(1);
        var first = E2eChat.Wire.Proto.SenderKeyMessage.Parser.ParseFrom(group.Post("same"));
        var second = E2eChat.Wire.Proto.SenderKeyMessage.Parser.ParseFrom(group.Post("same"));
        Assert.Equal(0u, first.Iteration);
        Assert.Equal(1u, second.Iteration);
        Assert.NotEqual(first.Ciphertext, second.Ciphertext);
        Assert.Equal(2u, group.Sender.Iteration);
    }

    [Fact]
    public void TryEncrypt_PlaintextTooLong_FailsUnchanged()
    {
        using var group = new SenderKeyTestGroup(0);
        byte[] before = group.Sender.Serialize();
        Assert.False(group.Sender.TryEncrypt(new byte[ProtocolLimits.MaxPlaintextLength + 1], 0, out CiphertextMessage? message, out E2eChatFailure failure));
        Assert.Null(message);
        Assert.Equal(E2eChatFailure.PlaintextTooLong, failure);
        Assert.False(group.Sender.TryEncrypt(new byte[ProtocolLimits.MaxPlaintextLength + 1], 0, new byte[100_000], out int written, out failure));
        Assert.Equal(0, written);
        Assert.Equal(E2eChatFailure.PlaintextTooLong, failure);
        Assert.Equal(before, group.Sender.Serialize());
        var exception = Assert.Throws<E2eChatException>(() => group.Sender.Encrypt(new byte[ProtocolLimits.MaxPlaintextLength + 1], 0));
        Assert.True(exception.Failure == E2eChatFailure.PlaintextTooLong);
    }

    [Fact]
    public void TryEncrypt_LastIteration_ThenChainExhaustedUntilRotation()
    {
        using var group = new SenderKeyTestGroup(0);
        GroupSenderFile file = GroupSenderFile.Parser.ParseFrom(group.Sender.Serialize());
        file.Sender.Iteration = ProtocolLimits.MaxChainCounter;
        using GroupSender sender = GroupSender.Deserialize(file.ToByteArray());
        using SenderKeyRecord viewer = SenderKeyRecord.Create(Distribution(sender));

        byte[] last = sender.Encrypt(Text("last"), 0).Body.ToArray();
        Assert.Equal(uint.MaxValue, sender.Iteration);
        Assert.Equal(Text("last"), Open(viewer, last));

        byte[] before = sender.Serialize();
        Assert.False(sender.TryEncrypt(Text("one more"), 0, out CiphertextMessage? _, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.ChainExhausted, failure);
        Assert.False(sender.TryEncrypt(new byte[ProtocolLimits.MaxPlaintextLength + 1], 0, out CiphertextMessage? _, out failure));
        Assert.Equal(E2eChatFailure.PlaintextTooLong, failure); // PROTOCOL.md 7: PlaintextTooLong wins over ChainExhausted
        Assert.Equal(before, sender.Serialize());
        var exception = Assert.Throws<E2eChatException>(() => sender.CreateDistributionMessage());
        Assert.True(exception.Failure == E2eChatFailure.ChainExhausted);

        sender.Rotate();
        Assert.True(viewer.TryProcessDistribution(Distribution(sender), out _));
        Assert.Equal(Text("fresh"), Open(viewer, sender.Encrypt(Text("fresh"), 0).Body.ToArray()));
    }

    [Fact]
    public void TryEncrypt_SpanOverload_ExactLengthAndChecksBuffers()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] plaintext = Text("span post");
        int length = group.Sender.GetMessageLength(plaintext.Length, Now);
        Assert.Throws<ArgumentException>(() => group.Sender.TryEncrypt(plaintext, Now, new byte[length - 1], out _, out _));
        byte[] shared = new byte[length + plaintext.Length];
        Assert.Throws<ArgumentException>(() => group.Sender.TryEncrypt(shared.AsSpan(0, plaintext.Length), Now, shared, out _, out _));
        Assert.Equal(0u, group.Sender.Iteration);

        byte[] destination = new byte[length + 10];
        Assert.True(group.Sender.TryEncrypt(plaintext, Now, destination, out int written, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.None, failure);
        Assert.Equal(length, written);
        Assert.Equal(plaintext, Open(group.Viewer, destination[..written], now: Now - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => group.Sender.GetMessageLength(ProtocolLimits.MaxPlaintextLength + 1, 0));
    }

    // ---- Rotating ------------------------------------------------------------------------------------

    [Fact]
    public void Rotate_NewChainIdChainKeyAndSigningKey_SameDistribution()
    {
        using var group = new SenderKeyTestGroup(1);
        group.Post("a");
        E2eChat.Wire.Proto.SenderKeyDistribution before = ParseDistribution(group.Sender);

        group.Sender.Rotate();

        E2eChat.Wire.Proto.SenderKeyDistribution after = ParseDistribution(group.Sender);
        Assert.Equal(before.DistributionId, after.DistributionId);
        Assert.NotEqual(before.ChainId, after.ChainId);
        Assert.NotEqual(0u, after.ChainId);
        Assert.Equal(0u, after.Iteration);
        Assert.NotEqual(before.ChainKey, after.ChainKey);
        Assert.NotEqual(before.SigningKey, after.SigningKey);
        Refused(group.Viewer, group.Post("b"), E2eChatFailure.UnknownSenderKey);
    }

    [Fact]
    public void Rotate_DrawEqualToCurrentOrZero_Redrawn()
    {
        byte[] create = [.. new byte[16], 0, 0, 0, 7, .. new byte[32], .. new byte[32]];
        byte[] rotate = [0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 9, .. new byte[32], .. Enumerable.Repeat((byte)1, 32)];
        var random = new ScriptedRandom([.. create, .. rotate]);
        using GroupSender sender = GroupSender.Create(random);
        Assert.Equal(7u, sender.ChainId);
        sender.Rotate();
        Assert.Equal(9u, sender.ChainId);
        Assert.Equal(0, random.Remaining);
    }

    // ---- Storage ---------------------------------------------------------------------------------------

    [Fact]
    public void Serialize_RoundTrip_ContinuesTheChain()
    {
        using var group = new SenderKeyTestGroup(1);
        byte[] first = group.Post("before saving");
        byte[] serialized = group.Sender.Serialize();

        Assert.True(GroupSender.TryDeserialize(serialized, out GroupSender? loaded, out E2eChatFailure failure));
        using (loaded)
        {
            Assert.Equal(E2eChatFailure.None, failure);
            Assert.Equal(serialized, loaded.Serialize());
            Assert.Equal(group.Sender.DistributionId, loaded.DistributionId);
            Assert.Equal(1u, loaded.Iteration);
            byte[] second = loaded.Encrypt(Text("after loading"), 0).Body.ToArray();
            Assert.Equal(Text("after loading"), Open(group.Viewer, second));
            Assert.Equal(Text("before saving"), Open(group.Viewer, first));
        }
    }

    [Fact]
    public void TryDeserialize_EveryTruncation_TruncatedOrCorrupt()
    {
        using var group = new SenderKeyTestGroup(0);
        byte[] serialized = group.Sender.Serialize();
        for (int length = 0; length < serialized.Length; length++)
        {
            Assert.False(GroupSender.TryDeserialize(serialized.AsSpan(0, length), out GroupSender? sender, out E2eChatFailure failure));
            Assert.Null(sender);
            Assert.True(failure is E2eChatFailure.Truncated or E2eChatFailure.Corrupt, $"{length}: {failure}");
        }
    }

    [Theory]
    [InlineData(0u, E2eChatFailure.OldVersion)]
    [InlineData(2u, E2eChatFailure.UnknownVersion)]
    public void TryDeserialize_OtherFormatVersion_Refused(uint version, E2eChatFailure expected)
    {
        using var group = new SenderKeyTestGroup(0);
        byte[] serialized = group.Sender.Serialize();
        serialized[1] = (byte)version;
        Assert.False(GroupSender.TryDeserialize(serialized, out _, out E2eChatFailure failure));
        Assert.Equal(expected, failure);
        var exception = Assert.Throws<E2eChatException>(() => GroupSender.Deserialize(serialized));
        Assert.True(exception.Failure == expected);
    }

    public static TheoryData<string> BrokenFields => ["distribution id", "chain id", "chain key", "seed", "unknown field"];

    [Theory]
    [MemberData(nameof(BrokenFields))]
    public void TryDeserialize_BrokenField_Corrupt(string field)
    {
        using var group = new SenderKeyTestGroup(0);
        GroupSenderFile file = GroupSenderFile.Parser.ParseFrom(group.Sender.Serialize());
        byte[] serialized;
        switch (field)
        {
            case "distribution id": file.Sender.DistributionId = ByteString.CopyFrom(new byte[17]); break;
            case "chain id": file.Sender.ChainId = 0; break;
            case "chain key": file.Sender.ChainKey = ByteString.Empty; break;
            case "seed": file.Sender.SigningKeySeed = ByteString.CopyFrom(new byte[31]); break;
            case "unknown field": break;
            default: throw new ArgumentOutOfRangeException(nameof(field));
        }

        serialized = file.ToByteArray();
        if (field == "unknown field")
        {
            byte[] body = [.. file.Sender.ToByteArray(), 0x30, 0x01];
            serialized = [0x08, 0x01, 0x1A, (byte)body.Length, .. body];
        }

        Assert.False(GroupSender.TryDeserialize(serialized, out GroupSender? sender, out E2eChatFailure failure));
        Assert.Null(sender);
        Assert.Equal(E2eChatFailure.Corrupt, failure);
    }

    [Fact]
    public void TryDeserialize_ReceiverRecord_Corrupt()
    {
        using var group = new SenderKeyTestGroup(1);
        Assert.False(GroupSender.TryDeserialize(group.Viewer.Serialize(), out _, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.Corrupt, failure);
    }

    [Fact]
    public void Dispose_ThenUse_ThrowsObjectDisposed()
    {
        GroupSender sender = GroupSender.Create();
        sender.Dispose();
        sender.Dispose();
        Assert.Throws<ObjectDisposedException>(() => sender.Encrypt(Text("x"), 0));
        Assert.Throws<ObjectDisposedException>(() => sender.CreateDistributionMessage());
        Assert.Throws<ObjectDisposedException>(() => sender.Rotate());
        Assert.Throws<ObjectDisposedException>(() => sender.Serialize());
    }

    private static int Padding(int length) => SpecSenderKey.Pad(new byte[length]).Length;

    private static byte[] Distribution(GroupSender sender)
    {
        using SecretBuffer distribution = sender.CreateDistributionMessage();
        return distribution.Span.ToArray();
    }

    private static E2eChat.Wire.Proto.SenderKeyDistribution ParseDistribution(GroupSender sender) => E2eChat.Wire.Proto.SenderKeyDistribution.Parser.ParseFrom(Distribution(sender));

    /// <summary>Hands out exactly the scripted bytes, in order; running out fails the test.</summary>
    private sealed class ScriptedRandom(byte[] script) : RandomSource
    {
        private int _position;

        internal int Remaining => script.Length - _position;

        internal override void Fill(Span<byte> destination)
        {
            Assert.True(destination.Length <= Remaining, "the scripted randomness ran out");
            script.AsSpan(_position, destination.Length).CopyTo(destination);
            _position += destination.Length;
        }
    }
}
