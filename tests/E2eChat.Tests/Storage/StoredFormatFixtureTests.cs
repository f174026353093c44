using System.Text.Json;
using System.Text.Json.Nodes;
using E2eChat.Crypto;
using E2eChat.Ratchet;
using E2eChat.Tests.Handshake;
using E2eChat.Tests.Vectors;

namespace E2eChat.Tests.Storage;

/// <summary>
/// Frozen fixtures of every released stored format (PROTOCOL.md section 10, CONVENTIONS 8): session
/// records, sender-key records, group senders, sealed state, and exported identity and pre-key
/// material, written by format version 1 and committed in <c>tests/E2eChat.Tests/Fixtures/</c>. Every
/// later version must load them and keep working with them; and while the writer still claims
/// version 1, it must write exactly these bytes, so a format that changes without a new version fails
/// here. A new version adds a new fixture file and keeps the old one loading.
/// </summary>
public sealed class StoredFormatFixtureTests
{
    private const string FixtureFile = "stored-formats-v1.json";
    private const ulong Now = 1_767_225_600_000;

    private static readonly Lazy<JsonObject> s_frozen = new(() =>
        (JsonObject)JsonNode.Parse(File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "tests", "E2eChat.Tests", "Fixtures", FixtureFile)))!);

    [Fact]
    public void SessionRecord_FrozenV1_LoadsReserializesIdenticallyAndDecryptsTheNextMessage()
    {
        byte[] frozen = Bytes("alice_session_record");
        Assert.True(SessionRecord.TryDeserialize(frozen, out SessionRecord? record, out E2eChatFailure failure), failure.ToString());
        using (record)
        {
            Assert.Equal(frozen, record.Serialize());
            Assert.True(record.TryDecrypt(Bytes("bob_next_header"), Bytes("bob_next_ciphertext"), out byte[]? plaintext, out E2eChatFailure decryption), decryption.ToString());
            Assert.Equal("sent after the snapshot"u8.ToArray(), plaintext);
            Assert.True(record.TryDecrypt(Bytes("bob_skipped_header"), Bytes("bob_skipped_ciphertext"), out plaintext, out decryption), decryption.ToString());
            Assert.Equal("skipped before the snapshot"u8.ToArray(), plaintext);
        }
    }

    [Fact]
    public void SessionRecord_FrozenV1Responder_LoadsAndReserializesIdentically()
    {
        byte[] frozen = Bytes("bob_session_record");
        Assert.True(SessionRecord.TryDeserialize(frozen, out SessionRecord? record, out E2eChatFailure failure), failure.ToString());
        using (record)
        {
            Assert.Equal(frozen, record.Serialize());
            Assert.NotNull(record.Current);
        }
    }

    [Fact]
    public void SenderKeyRecord_FrozenV1_LoadsReserializesIdenticallyAndOpensTheSkippedPost()
    {
        byte[] frozen = Bytes("sender_key_record");
        Assert.True(SenderKeyRecord.TryDeserialize(frozen, out SenderKeyRecord? record, out E2eChatFailure failure), failure.ToString());
        using (record)
        {
            Assert.Equal(frozen, record.Serialize());
            Assert.True(record.TryDecrypt(Bytes("skipped_post"), Now, out byte[]? plaintext, out E2eChatFailure decryption), decryption.ToString());
            Assert.Equal("skipped post"u8.ToArray(), plaintext);
        }
    }

    [Fact]
    public void GroupSender_FrozenV1_LoadsAndReserializesIdentically()
    {
        byte[] frozen = Bytes("group_sender");
        Assert.True(GroupSender.TryDeserialize(frozen, out GroupSender? sender, out E2eChatFailure failure), failure.ToString());
        using (sender)
        {
            Assert.Equal(frozen, sender.Serialize());
        }
    }

    [Fact]
    public void SealedState_FrozenV1_OpensToTheSessionRecord()
    {
        Assert.Equal(Bytes("alice_session_record"), SealedState.Open(Bytes("storage_key"), Bytes("sealed_alice_session_record")));
    }

    [Fact]
    public void ExportedKeys_FrozenV1_ImportToTheSamePublicKeys()
    {
        using IdentityKeyPair identity = IdentityKeyPair.Import(Bytes("identity_private"));
        Assert.Equal(Bytes("identity_public"), identity.PublicKey.ToBytes());
        IdentityKey publicIdentity = identity.PublicKey;

        using SignedPreKey signed = SignedPreKey.Import(1, Bytes("signed_prekey_private"), Bytes("signed_prekey_signature"));
        Assert.True(SignedPreKey.VerifySignature(publicIdentity, 1, signed.PublicKey, signed.Signature));
        Assert.Equal(Bytes("signed_prekey_public"), signed.PublicKey.ToArray());

        using OneTimePreKey oneTime = OneTimePreKey.Import(2, Bytes("one_time_prekey_private"));
        Assert.Equal(Bytes("one_time_prekey_public"), oneTime.PublicKey.ToArray());

        using KemPreKey kem = KemPreKey.Import(3, KemPreKeyKind.LastResort, Bytes("kem_prekey_secret"), Bytes("kem_prekey_signature"));
        Assert.Equal(Bytes("kem_prekey_public"), kem.PublicKey.ToArray());
    }

    [Fact]
    public async Task Writers_CurrentCode_WriteExactlyTheFrozenV1Bytes()
    {
        // The writers still claim format version 1, so they must still write version 1's bytes. When
        // this fails, the format changed: give it a new version, add a fixture file for it, and keep
        // the v1 file loading (the tests above).
        Assert.Equal(1u, SessionRecord.FormatVersion);
        JsonObject current = await CreateAsync();
        string? path = Environment.GetEnvironmentVariable("E2ECHAT_WRITE_FIXTURES");
        if (!string.IsNullOrEmpty(path))
        {
            File.WriteAllText(Path.Combine(path, FixtureFile), current.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }

        foreach ((string field, JsonNode? value) in s_frozen.Value)
        {
            Assert.True(current.ContainsKey(field), field);
            Assert.Equal(value!.GetValue<string>(), current[field]!.GetValue<string>());
        }

        Assert.Equal(s_frozen.Value.Count, current.Count);
    }

    private static byte[] Bytes(string field) => Convert.FromHexString(s_frozen.Value[field]!.GetValue<string>());

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Builds every fixture from fixed seeds: the same code always writes the same bytes.</summary>
    private static async Task<JsonObject> CreateAsync()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 1801, oneTimeCount: 1);
        using TestParty bob = await TestParty.CreateAsync("bob", 1802, oneTimeCount: 1);
        using var aliceManager = new SessionManager(alice.Stores, alice.Address, alice.Random);
        using var bobManager = new SessionManager(bob.Stores, bob.Address, bob.Random);
        await aliceManager.StartSessionAsync(bob.Address, await bob.BundleAsync(true, false));
        CiphertextMessage first = await aliceManager.EncryptAsync(bob.Address, "hello"u8.ToArray());
        _ = await bobManager.DecryptAsync(alice.Address, first);
        CiphertextMessage skipped = await bobManager.EncryptAsync(alice.Address, "skipped before the snapshot"u8.ToArray());
        CiphertextMessage reply = await bobManager.EncryptAsync(alice.Address, "reply"u8.ToArray());
        _ = await aliceManager.DecryptAsync(bob.Address, reply);
        byte[] aliceRecord = (await alice.Sessions.LoadSessionAsync(bob.Address)).Record!;
        byte[] bobRecord = (await bob.Sessions.LoadSessionAsync(alice.Address)).Record!;
        CiphertextMessage next = await bobManager.EncryptAsync(alice.Address, "sent after the snapshot"u8.ToArray());
        E2eChat.Wire.Proto.RatchetMessage skippedMessage = E2eChat.Wire.Proto.RatchetMessage.Parser.ParseFrom(skipped.Body.Span);
        E2eChat.Wire.Proto.RatchetMessage nextMessage = E2eChat.Wire.Proto.RatchetMessage.Parser.ParseFrom(next.Body.Span);

        using DeterministicRandomSource random = TestRandom.FromSeed(1803);
        using GroupSender sender = GroupSender.Create(random);
        using SecretBuffer distribution = sender.CreateDistributionMessage();
        using SenderKeyRecord senderKeyRecord = SenderKeyRecord.Create(distribution.Span);
        byte[] skippedPost = sender.Encrypt("skipped post"u8, Now + ProtocolLimits.StatusLifetimeMilliseconds).Body.ToArray();
        byte[] seenPost = sender.Encrypt("seen post"u8, Now + ProtocolLimits.StatusLifetimeMilliseconds).Body.ToArray();
        Assert.True(senderKeyRecord.TryDecrypt(seenPost, Now, out byte[]? _, out E2eChatFailure senderKeyFailure), senderKeyFailure.ToString());

        byte[] storageKey = new byte[SealedState.StorageKeyLength];
        random.Fill(storageKey);
        byte[] sealedRecord = new byte[SealedState.GetSealedLength(aliceRecord.Length)];
        SealedState.Seal(storageKey, aliceRecord, sealedRecord, random);

        using SecretBuffer identityPrivate = alice.Identity.ExportPrivateKey();
        using SignedPreKey signed = SignedPreKey.Generate(alice.Identity, 1, random);
        using SecretBuffer signedPrivate = signed.ExportPrivateKey();
        using OneTimePreKey oneTime = OneTimePreKey.Generate(2, random);
        using SecretBuffer oneTimePrivate = oneTime.ExportPrivateKey();
        using KemPreKey kem = KemPreKey.Generate(alice.Identity, 3, KemPreKeyKind.LastResort, random);
        using SecretBuffer kemSecret = kem.ExportSecretKey();

        return new JsonObject
        {
            ["alice_session_record"] = Hex(aliceRecord),
            ["bob_session_record"] = Hex(bobRecord),
            ["bob_next_header"] = Hex(nextMessage.Header.Span),
            ["bob_next_ciphertext"] = Hex(nextMessage.Ciphertext.Span),
            ["bob_skipped_header"] = Hex(skippedMessage.Header.Span),
            ["bob_skipped_ciphertext"] = Hex(skippedMessage.Ciphertext.Span),
            ["sender_key_record"] = Hex(senderKeyRecord.Serialize()),
            ["skipped_post"] = Hex(skippedPost),
            ["group_sender"] = Hex(sender.Serialize()),
            ["storage_key"] = Hex(storageKey),
            ["sealed_alice_session_record"] = Hex(sealedRecord),
            ["identity_private"] = Hex(identityPrivate.Span),
            ["identity_public"] = Hex(alice.Identity.PublicKey.ToBytes()),
            ["signed_prekey_private"] = Hex(signedPrivate.Span),
            ["signed_prekey_signature"] = Hex(signed.Signature),
            ["signed_prekey_public"] = Hex(signed.PublicKey),
            ["one_time_prekey_private"] = Hex(oneTimePrivate.Span),
            ["one_time_prekey_public"] = Hex(oneTime.PublicKey),
            ["kem_prekey_secret"] = Hex(kemSecret.Span),
            ["kem_prekey_signature"] = Hex(kem.Signature),
            ["kem_prekey_public"] = Hex(kem.PublicKey),
        };
    }
}
