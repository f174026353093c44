using E2eChat.Crypto;
using E2eChat.Handshake;

namespace E2eChat.Tests.Handshake;

public sealed class InitiatorHandshakeTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Create_PendingPreKey_CarriesOurIdentityAndBundleIds(bool withOneTime)
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 101);
        using TestParty bob = await TestParty.CreateAsync("bob", 102);
        PreKeyBundle bundle = await bob.BundleAsync(withOneTime, true);

        using InitiatorHandshakeResult result = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, bundle, alice.Random);
        PendingPreKeyFields pending = result.PendingPreKey;
        Assert.Equal(alice.Identity.PublicKey.ToBytes(), pending.IdentityKey.ToArray());
        Assert.Equal(bundle.SignedPreKeyId, pending.SignedPreKeyId);
        Assert.Equal(withOneTime ? bundle.OneTimePreKeyId : 0u, pending.OneTimePreKeyId);
        Assert.Equal(bundle.KemPreKeyId, pending.KemPreKeyId);
        Assert.Equal(32, pending.BaseKey.Length);
        Assert.Equal(1088, pending.KemCiphertext.Length);
        Assert.Equal(bundle.SignedPreKeyPublicKey.ToArray(), result.RemoteRatchetKey.ToArray());
        Assert.Equal(bob.Identity.PublicKey, result.RemoteIdentity);
    }

    [Fact]
    public async Task Create_PendingPreKey_ToMessageHoldsEveryField()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 103);
        using TestParty bob = await TestParty.CreateAsync("bob", 104);
        using InitiatorHandshakeResult result = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, await bob.BundleAsync(true, true), alice.Random);
        var inner = new E2eChat.Wire.Proto.RatchetMessage { Header = Google.Protobuf.ByteString.CopyFrom(new byte[80]) };
        E2eChat.Wire.Proto.PreKeyMessage message = result.PendingPreKey.ToMessage(inner);
        PendingPreKeyFields pending = result.PendingPreKey;
        Assert.Equal(pending.IdentityKey.ToArray(), message.IdentityKey.ToByteArray());
        Assert.Equal(pending.BaseKey.ToArray(), message.BaseKey.ToByteArray());
        Assert.Equal(pending.SignedPreKeyId, message.SignedPrekeyId);
        Assert.Equal(pending.OneTimePreKeyId, message.OneTimePrekeyId);
        Assert.Equal(pending.KemPreKeyId, message.KemPrekeyId);
        Assert.Equal(pending.KemCiphertext.ToArray(), message.KemCiphertext.ToByteArray());
        Assert.Same(inner, message.Message);
    }

    [Fact]
    public async Task Create_AssociatedData_IsBothIdentitiesThenSessionBinding()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 105);
        using TestParty bob = await TestParty.CreateAsync("bob", 106);
        using InitiatorHandshakeResult result = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, await bob.BundleAsync(true, true), alice.Random);
        ReadOnlySpan<byte> ad = result.Secrets.AssociatedData.Span;
        Assert.Equal(288, ad.Length);
        Assert.True(ad[..128].SequenceEqual(alice.Identity.PublicKey.AsSpan()));
        Assert.True(ad[128..256].SequenceEqual(bob.Identity.PublicKey.AsSpan()));
        Assert.True(ad[256..].SequenceEqual(result.Secrets.SessionBinding.Span));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Create_Transcript_FollowsSpecDerivation(bool withOneTime)
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 107);
        using TestParty bob = await TestParty.CreateAsync("bob", 108);
        PreKeyBundle bundle = await bob.BundleAsync(withOneTime, true);
        var transcript = new HandshakeTranscript();
        using InitiatorHandshakeResult result = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, bundle, alice.Random, transcript);

        // Recompute every value of section 4 from the transcript's ek and m and the public inputs.
        byte[] ek = transcript.EphemeralPrivateKey!;
        byte[] expectedBaseKey = new byte[32];
        X25519.DerivePublicKey(ek, expectedBaseKey);
        Assert.Equal(expectedBaseKey, result.PendingPreKey.BaseKey.ToArray());
        Assert.Equal(Dh(alice.Identity.AgreementPrivateKey, bundle.SignedPreKeyPublicKey), transcript.Dh1);
        Assert.Equal(Dh(ek, bundle.IdentityKey.AsSpan().Slice(32, 32)), transcript.Dh2);
        Assert.Equal(Dh(ek, bundle.SignedPreKeyPublicKey), transcript.Dh3);
        Assert.Equal(withOneTime ? Dh(ek, bundle.OneTimePreKeyPublicKey) : null, transcript.Dh4);

        byte[] ciphertext = new byte[1088];
        byte[] sharedSecret = new byte[32];
        Assert.True(MlKem768.TryEncapsulateDeterministic(bundle.KemPreKeyPublicKey, transcript.KemEncapsulationSeed, ciphertext, sharedSecret));
        Assert.Equal(ciphertext, result.PendingPreKey.KemCiphertext.ToArray());
        Assert.Equal(sharedSecret, transcript.KemSharedSecret);

        byte[] ikm = [.. Enumerable.Repeat((byte)0xFF, 32), .. transcript.Dh1!, .. transcript.Dh2!, .. transcript.Dh3!, .. transcript.Dh4 ?? [], .. sharedSecret];
        Assert.Equal(ikm, transcript.InputKeyMaterial);
        // info = label || Addr(alice.1) || Addr(bob.1), Addr = u8(len(name)) || name || u32be(device).
        byte[] info = [.. "E2eChat/v1/pqxdh/X25519/ML-KEM-768/SHA-256"u8, 5, .. "alice"u8, 0, 0, 0, 1, 3, .. "bob"u8, 0, 0, 0, 1];
        Assert.Equal(info, transcript.Info);
        byte[] okm = new byte[128];
        Assert.True(HkdfSha256.TryDeriveKey(new byte[32], ikm, info, okm));
        Assert.Equal(okm, transcript.OutputKeyMaterial);
        Assert.Equal(okm[..32], result.Secrets.RootKey.Span.ToArray());
        Assert.Equal(okm[32..64], result.Secrets.InitiatorHeaderKey.Span.ToArray());
        Assert.Equal(okm[64..96], result.Secrets.ResponderNextHeaderKey.Span.ToArray());
        Assert.Equal(okm[96..], result.Secrets.SessionBinding.Span.ToArray());
    }

    [Fact]
    public async Task Create_SameRandomness_SameOutput()
    {
        using TestParty bob = await TestParty.CreateAsync("bob", 109);
        PreKeyBundle bundle = await bob.BundleAsync(true, true);
        using TestParty alice1 = await TestParty.CreateAsync("alice", 110);
        using TestParty alice2 = await TestParty.CreateAsync("alice", 110);
        using InitiatorHandshakeResult first = InitiatorHandshake.Create(alice1.Identity, alice1.Address, TestParty.ResponderAddress, bundle, alice1.Random);
        using InitiatorHandshakeResult second = InitiatorHandshake.Create(alice2.Identity, alice2.Address, TestParty.ResponderAddress, bundle, alice2.Random);
        Assert.True(first.Secrets.ContentEquals(second.Secrets));
        Assert.Equal(first.PendingPreKey.KemCiphertext.ToArray(), second.PendingPreKey.KemCiphertext.ToArray());
    }

    [Fact]
    public async Task Create_FreshRandomness_DifferentSecretsAndBaseKeys()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 111);
        using TestParty bob = await TestParty.CreateAsync("bob", 112);
        PreKeyBundle bundle = await bob.BundleAsync(true, true);
        using InitiatorHandshakeResult first = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, bundle, RandomSource.System);
        using InitiatorHandshakeResult second = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, bundle, RandomSource.System);
        Assert.False(first.Secrets.RootKey.ContentEquals(second.Secrets.RootKey));
        Assert.NotEqual(first.PendingPreKey.BaseKey.ToArray(), second.PendingPreKey.BaseKey.ToArray());
    }

    [Fact]
    public async Task Create_FreshRandomness_DifferentKemEncapsulation()
    {
        // The KEM seed m is drawn from the randomness source: another source, another ciphertext.
        using TestParty alice = await TestParty.CreateAsync("alice", 115);
        using TestParty bob = await TestParty.CreateAsync("bob", 116);
        PreKeyBundle bundle = await bob.BundleAsync(true, true);
        var firstTranscript = new HandshakeTranscript();
        using InitiatorHandshakeResult first = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, bundle, TestRandom.FromSeed(117), firstTranscript);
        using InitiatorHandshakeResult second = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, bundle, TestRandom.FromSeed(118));
        Assert.NotEqual(first.PendingPreKey.KemCiphertext.ToArray(), second.PendingPreKey.KemCiphertext.ToArray());
        Assert.Contains(firstTranscript.KemEncapsulationSeed!, b => b != 0);
    }

    [Fact]
    public async Task Dispose_Result_WipesSecrets()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 113);
        using TestParty bob = await TestParty.CreateAsync("bob", 114);
        InitiatorHandshakeResult result = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, await bob.BundleAsync(true, true), alice.Random);
        result.Dispose();
        Assert.True(result.Secrets.RootKey.IsDisposed);
        Assert.True(result.Secrets.AssociatedData.IsDisposed);
    }

    [Fact]
    public async Task StartAsync_UnknownPeer_SucceedsWithoutWritingStore()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 115);
        using TestParty bob = await TestParty.CreateAsync("bob", 116);
        (E2eChatFailure failure, InitiatorHandshakeResult? result) = await InitiatorHandshake.StartAsync(alice.Identity, alice.Address, bob.Address, await bob.BundleAsync(true, true), alice.IdentityStore, alice.Random);
        using (result)
        {
            Assert.Equal(E2eChatFailure.None, failure);
            Assert.NotNull(result);
            Assert.Equal(0, alice.IdentityStore.Count);
        }
    }

    [Fact]
    public async Task StartAsync_PeerIdentityChanged_UntrustedIdentityUntilApproved()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 117);
        using TestParty bob = await TestParty.CreateAsync("bob", 118);
        using TestParty newBob = await TestParty.CreateAsync("bob", 119);
        await alice.IdentityStore.SaveIdentityAsync(bob.Address, bob.Identity.PublicKey);
        PreKeyBundle changed = await newBob.BundleAsync(true, true);

        (E2eChatFailure failure, InitiatorHandshakeResult? result) = await InitiatorHandshake.StartAsync(alice.Identity, alice.Address, bob.Address, changed, alice.IdentityStore, alice.Random);
        Assert.Equal(E2eChatFailure.UntrustedIdentity, failure);
        Assert.Null(result);
        Assert.Equal(bob.Identity.PublicKey, await alice.IdentityStore.GetIdentityAsync(bob.Address));

        await alice.IdentityStore.ApproveIdentityAsync(bob.Address, newBob.Identity.PublicKey);
        (failure, result) = await InitiatorHandshake.StartAsync(alice.Identity, alice.Address, bob.Address, changed, alice.IdentityStore, alice.Random);
        using (result)
        {
            Assert.Equal(E2eChatFailure.None, failure);
            Assert.Equal(newBob.Identity.PublicKey, result!.RemoteIdentity);
        }
    }

    private static byte[] Dh(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey)
    {
        byte[] output = new byte[32];
        Assert.Equal(KeyAgreementFailure.None, X25519.Agree(privateKey, publicKey, output));
        return output;
    }
}
