using E2eChat.Handshake;
using Google.Protobuf;

namespace E2eChat.Tests.Handshake;

public sealed class ResponderHandshakeTests
{
    private static readonly Dictionary<string, (Action<E2eChat.Wire.Proto.PreKeyMessage> Tamper, E2eChatFailure Failure)> s_tamperings = new()
    {
        ["identity_key bit flipped"] = (m => m.IdentityKey = Flip(m.IdentityKey, 100), E2eChatFailure.InvalidIdentityKey),
        ["identity_key empty"] = (m => m.IdentityKey = ByteString.Empty, E2eChatFailure.InvalidIdentityKey),
        ["base_key low order"] = (m => m.BaseKey = ByteString.CopyFrom(new byte[32]), E2eChatFailure.InvalidBaseKey),
        ["base_key top bit"] = (m => m.BaseKey = Or(m.BaseKey, 31, 0x80), E2eChatFailure.InvalidBaseKey),
        ["base_key truncated"] = (m => m.BaseKey = ByteString.CopyFrom(m.BaseKey.Span[..31]), E2eChatFailure.InvalidBaseKey),
        ["kem_ciphertext truncated"] = (m => m.KemCiphertext = ByteString.CopyFrom(m.KemCiphertext.Span[..1087]), E2eChatFailure.InvalidKemCiphertext),
        ["kem_ciphertext empty"] = (m => m.KemCiphertext = ByteString.Empty, E2eChatFailure.InvalidKemCiphertext),
        ["signed_prekey_id unknown"] = (m => m.SignedPrekeyId ^= 0x8000_0000, E2eChatFailure.UnknownSignedPreKey),
        ["signed_prekey_id zero"] = (m => m.SignedPrekeyId = 0, E2eChatFailure.UnknownSignedPreKey),
        ["one_time_prekey_id unknown"] = (m => m.OneTimePrekeyId ^= 0x8000_0000, E2eChatFailure.UnknownOneTimePreKey),
        ["kem_prekey_id unknown"] = (m => m.KemPrekeyId ^= 0x8000_0000, E2eChatFailure.UnknownKemPreKey),
        ["kem_prekey_id zero"] = (m => m.KemPrekeyId = 0, E2eChatFailure.UnknownKemPreKey),
    };

    public static TheoryData<string> Tamperings => new(s_tamperings.Keys);

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public async Task AcceptAsync_ValidMessage_DerivesInitiatorSecrets(bool withOneTime, bool withOneTimeKem)
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 201);
        using TestParty bob = await TestParty.CreateAsync("bob", 202);
        PreKeyBundle bundle = await bob.BundleAsync(withOneTime, withOneTimeKem);
        using InitiatorHandshakeResult initiator = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, bundle, alice.Random);

        (E2eChatFailure failure, ResponderHandshakeResult? responder) = await bob.AcceptAsync(alice.Address, Message(initiator));
        using (responder)
        {
            Assert.Equal(E2eChatFailure.None, failure);
            Assert.NotNull(responder);
            Assert.True(initiator.Secrets.ContentEquals(responder.Secrets));
            Assert.Equal(bundle.SignedPreKeyId, responder.SignedPreKey.Id);
            Assert.Equal(initiator.RemoteRatchetKey.ToArray(), responder.SignedPreKey.PublicKey.ToArray());
            Assert.Equal(alice.Identity.PublicKey, responder.RemoteIdentity);
            Assert.Equal(initiator.PendingPreKey.BaseKey.ToArray(), responder.BaseKey.ToArray());
            Assert.Equal(alice.Address, responder.Consumption.Address);
            Assert.Equal(withOneTime ? bundle.OneTimePreKeyId : 0u, responder.Consumption.OneTimePreKeyId);
            Assert.Equal(withOneTimeKem ? bundle.KemPreKeyId : 0u, responder.Consumption.OneTimeKemPreKeyId);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AcceptAsync_Transcripts_EqualOnBothSides(bool withOneTime)
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 203);
        using TestParty bob = await TestParty.CreateAsync("bob", 204);
        var aliceTranscript = new HandshakeTranscript();
        var bobTranscript = new HandshakeTranscript();
        using InitiatorHandshakeResult initiator = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, await bob.BundleAsync(withOneTime, true), alice.Random, aliceTranscript);
        (_, ResponderHandshakeResult? responder) = await bob.AcceptAsync(alice.Address, Message(initiator), bobTranscript);
        using (responder)
        {
            Assert.Equal(aliceTranscript.Dh1, bobTranscript.Dh1);
            Assert.Equal(aliceTranscript.Dh2, bobTranscript.Dh2);
            Assert.Equal(aliceTranscript.Dh3, bobTranscript.Dh3);
            Assert.Equal(aliceTranscript.Dh4, bobTranscript.Dh4);
            Assert.Equal(withOneTime, bobTranscript.Dh4 is not null);
            Assert.Equal(aliceTranscript.KemSharedSecret, bobTranscript.KemSharedSecret);
            Assert.Equal(aliceTranscript.InputKeyMaterial, bobTranscript.InputKeyMaterial);
            Assert.Equal(aliceTranscript.OutputKeyMaterial, bobTranscript.OutputKeyMaterial);
        }
    }

    [Fact]
    public async Task AcceptAsync_Success_WritesNoStore()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 205);
        using TestParty bob = await TestParty.CreateAsync("bob", 206);
        using InitiatorHandshakeResult initiator = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, await bob.BundleAsync(true, true), alice.Random);
        var before = bob.StoreCounts();
        (_, ResponderHandshakeResult? responder) = await bob.AcceptAsync(alice.Address, Message(initiator));
        responder!.Dispose();
        Assert.Equal(before, bob.StoreCounts());
        Assert.Null(await bob.IdentityStore.GetIdentityAsync(alice.Address));
    }

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task AcceptAsync_TamperedField_ReportsItsFailureAndWritesNothing(string tampering)
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 207);
        using TestParty bob = await TestParty.CreateAsync("bob", 208);
        using InitiatorHandshakeResult initiator = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, await bob.BundleAsync(true, true), alice.Random);
        E2eChat.Wire.Proto.PreKeyMessage message = Message(initiator);
        (Action<E2eChat.Wire.Proto.PreKeyMessage> tamper, E2eChatFailure expected) = s_tamperings[tampering];
        tamper(message);
        var before = bob.StoreCounts();

        (E2eChatFailure failure, ResponderHandshakeResult? responder) = await bob.AcceptAsync(alice.Address, message);
        Assert.Equal(expected, failure);
        Assert.Null(responder);
        Assert.Equal(before, bob.StoreCounts());
    }

    [Fact]
    public async Task AcceptAsync_SeveralDefects_ReportsFirstInSpecOrder()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 209);
        using TestParty bob = await TestParty.CreateAsync("bob", 210);
        using InitiatorHandshakeResult initiator = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, await bob.BundleAsync(true, true), alice.Random);
        E2eChat.Wire.Proto.PreKeyMessage message = Message(initiator);
        message.KemPrekeyId = 0;
        message.OneTimePrekeyId ^= 0x8000_0000;
        message.SignedPrekeyId = 0;
        Assert.Equal(E2eChatFailure.UnknownSignedPreKey, (await bob.AcceptAsync(alice.Address, message)).Failure);
        message.KemCiphertext = ByteString.Empty;
        Assert.Equal(E2eChatFailure.InvalidKemCiphertext, (await bob.AcceptAsync(alice.Address, message)).Failure);
        message.BaseKey = ByteString.Empty;
        Assert.Equal(E2eChatFailure.InvalidBaseKey, (await bob.AcceptAsync(alice.Address, message)).Failure);
        await bob.IdentityStore.SaveIdentityAsync(alice.Address, bob.Identity.PublicKey);
        Assert.Equal(E2eChatFailure.UntrustedIdentity, (await bob.AcceptAsync(alice.Address, message)).Failure);
        message.IdentityKey = ByteString.Empty;
        Assert.Equal(E2eChatFailure.InvalidIdentityKey, (await bob.AcceptAsync(alice.Address, message)).Failure);
    }

    [Fact]
    public async Task AcceptAsync_KemCiphertextBitFlipped_SucceedsWithDifferentSecrets()
    {
        // ML-KEM implicit rejection: no error here, the inner ratchet message then fails to decrypt.
        using TestParty alice = await TestParty.CreateAsync("alice", 211);
        using TestParty bob = await TestParty.CreateAsync("bob", 212);
        using InitiatorHandshakeResult initiator = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, await bob.BundleAsync(true, true), alice.Random);
        E2eChat.Wire.Proto.PreKeyMessage message = Message(initiator);
        message.KemCiphertext = Flip(message.KemCiphertext, 500);

        (E2eChatFailure failure, ResponderHandshakeResult? responder) = await bob.AcceptAsync(alice.Address, message);
        using (responder)
        {
            Assert.Equal(E2eChatFailure.None, failure);
            Assert.False(initiator.Secrets.RootKey.ContentEquals(responder!.Secrets.RootKey));
        }
    }

    [Fact]
    public async Task CommitAsync_OneTimeKeys_RemovesThemKeepsSignedAndSavesIdentity()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 213);
        using TestParty bob = await TestParty.CreateAsync("bob", 214);
        PreKeyBundle bundle = await bob.BundleAsync(true, true);
        using InitiatorHandshakeResult initiator = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, bundle, alice.Random);
        (_, ResponderHandshakeResult? responder) = await bob.AcceptAsync(alice.Address, Message(initiator));
        using (responder)
        {
            Assert.Equal(PreKeyMessageCommitResult.Committed, await bob.CommitAsync(responder!.Consumption));
        }

        Assert.DoesNotContain(bundle.OneTimePreKeyId, bob.OneTimePreKeys.Ids);
        Assert.DoesNotContain(bundle.KemPreKeyId, bob.KemPreKeys.Ids);
        Assert.Contains(bob.Generator.LastResortKemPreKeyId, bob.KemPreKeys.Ids);
        Assert.Contains(bundle.SignedPreKeyId, bob.SignedPreKeys.Ids);
        Assert.Equal(alice.Identity.PublicKey, await bob.IdentityStore.GetIdentityAsync(alice.Address));
    }

    [Fact]
    public async Task CommitAsync_LastResortKemKey_KeepsIt()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 215);
        using TestParty bob = await TestParty.CreateAsync("bob", 216);
        PreKeyBundle bundle = await bob.BundleAsync(false, false);
        int kemCount = bob.KemPreKeys.Count;
        int oneTimeCount = bob.OneTimePreKeys.Count;
        using InitiatorHandshakeResult initiator = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, bundle, alice.Random);
        (_, ResponderHandshakeResult? responder) = await bob.AcceptAsync(alice.Address, Message(initiator));
        using (responder)
        {
            await bob.CommitAsync(responder!.Consumption);
        }

        Assert.Equal(kemCount, bob.KemPreKeys.Count);
        Assert.Equal(oneTimeCount, bob.OneTimePreKeys.Count);
        Assert.Contains(bundle.KemPreKeyId, bob.KemPreKeys.Ids);
    }

    [Fact]
    public async Task AcceptAsync_ReplayBeforeCommit_AcceptedAgain()
    {
        // Nothing is consumed until the session layer commits, so a message whose inner ratchet
        // message failed to decrypt leaves the keys for the genuine one.
        using TestParty alice = await TestParty.CreateAsync("alice", 217);
        using TestParty bob = await TestParty.CreateAsync("bob", 218);
        using InitiatorHandshakeResult initiator = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, await bob.BundleAsync(true, true), alice.Random);
        (await bob.AcceptAsync(alice.Address, Message(initiator))).Result!.Dispose();
        (E2eChatFailure failure, ResponderHandshakeResult? again) = await bob.AcceptAsync(alice.Address, Message(initiator));
        using (again)
        {
            Assert.Equal(E2eChatFailure.None, failure);
        }
    }

    [Fact]
    public async Task AcceptAsync_ReplayAfterCommit_UnknownOneTimePreKey()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 219);
        using TestParty bob = await TestParty.CreateAsync("bob", 220);
        using InitiatorHandshakeResult initiator = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, await bob.BundleAsync(true, true), alice.Random);
        (_, ResponderHandshakeResult? responder) = await bob.AcceptAsync(alice.Address, Message(initiator));
        using (responder)
        {
            await bob.CommitAsync(responder!.Consumption);
        }

        var before = bob.StoreCounts();
        (E2eChatFailure failure, ResponderHandshakeResult? replayed) = await bob.AcceptAsync(alice.Address, Message(initiator));
        Assert.Equal(E2eChatFailure.UnknownOneTimePreKey, failure);
        Assert.Null(replayed);
        Assert.Equal(before, bob.StoreCounts());
    }

    [Fact]
    public async Task AcceptAsync_ReplayAfterCommitWithOnlyOneTimeKemKey_UnknownKemPreKey()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 221);
        using TestParty bob = await TestParty.CreateAsync("bob", 222);
        using InitiatorHandshakeResult initiator = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, await bob.BundleAsync(false, true), alice.Random);
        (_, ResponderHandshakeResult? responder) = await bob.AcceptAsync(alice.Address, Message(initiator));
        using (responder)
        {
            await bob.CommitAsync(responder!.Consumption);
        }

        Assert.Equal(E2eChatFailure.UnknownKemPreKey, (await bob.AcceptAsync(alice.Address, Message(initiator))).Failure);
    }

    [Fact]
    public async Task AcceptAsync_InitiatorIdentityChanged_UntrustedIdentityUntilApproved()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 223);
        using TestParty newAlice = await TestParty.CreateAsync("alice", 224);
        using TestParty bob = await TestParty.CreateAsync("bob", 225);

        // A first session from alice records her identity.
        using (InitiatorHandshakeResult first = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, await bob.BundleAsync(true, true), alice.Random))
        {
            (_, ResponderHandshakeResult? accepted) = await bob.AcceptAsync(alice.Address, Message(first));
            using (accepted)
            {
                await bob.CommitAsync(accepted!.Consumption);
            }
        }

        // The same address now presents another identity.
        using InitiatorHandshakeResult changed = InitiatorHandshake.Create(newAlice.Identity, newAlice.Address, TestParty.ResponderAddress, await bob.BundleAsync(true, true), newAlice.Random);
        var before = bob.StoreCounts();
        (E2eChatFailure failure, ResponderHandshakeResult? refused) = await bob.AcceptAsync(alice.Address, Message(changed));
        Assert.Equal(E2eChatFailure.UntrustedIdentity, failure);
        Assert.Null(refused);
        Assert.Equal(before, bob.StoreCounts());
        Assert.Equal(alice.Identity.PublicKey, await bob.IdentityStore.GetIdentityAsync(alice.Address));

        await bob.IdentityStore.ApproveIdentityAsync(alice.Address, newAlice.Identity.PublicKey);
        (failure, ResponderHandshakeResult? approved) = await bob.AcceptAsync(alice.Address, Message(changed));
        using (approved)
        {
            Assert.Equal(E2eChatFailure.None, failure);
            Assert.True(changed.Secrets.ContentEquals(approved!.Secrets));
            Assert.Equal(PreKeyMessageCommitResult.Committed, await bob.CommitAsync(approved.Consumption));
            Assert.Equal(newAlice.Identity.PublicKey, await bob.IdentityStore.GetIdentityAsync(alice.Address));
        }
    }

    [Fact]
    public async Task Dispose_Result_WipesSecretsAndSignedPreKey()
    {
        using TestParty alice = await TestParty.CreateAsync("alice", 226);
        using TestParty bob = await TestParty.CreateAsync("bob", 227);
        using InitiatorHandshakeResult initiator = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, await bob.BundleAsync(true, true), alice.Random);
        (_, ResponderHandshakeResult? responder) = await bob.AcceptAsync(alice.Address, Message(initiator));
        responder!.Dispose();
        Assert.True(responder.Secrets.RootKey.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => responder.SignedPreKey.PrivateKey.Length);
        using SignedPreKey? stored = await bob.SignedPreKeys.GetSignedPreKeyAsync(responder.SignedPreKey.Id);
        Assert.Equal(32, stored!.PrivateKey.Length);
    }

    internal static E2eChat.Wire.Proto.PreKeyMessage Message(InitiatorHandshakeResult initiator) =>
        initiator.PendingPreKey.ToMessage(new E2eChat.Wire.Proto.RatchetMessage());

    private static ByteString Flip(ByteString value, int index)
    {
        byte[] bytes = value.ToByteArray();
        bytes[index] ^= 0x01;
        return ByteString.CopyFrom(bytes);
    }

    private static ByteString Or(ByteString value, int index, byte mask)
    {
        byte[] bytes = value.ToByteArray();
        bytes[index] |= mask;
        return ByteString.CopyFrom(bytes);
    }
}
