using E2eChat.Handshake;
using FsCheck.Xunit;
using Google.Protobuf;

namespace E2eChat.Tests.Handshake;

/// <summary>Properties of the initiator and responder together, over random key material.</summary>
public sealed class HandshakePropertyTests
{
    /// <summary>The handshake fields of a PreKeyMessage a single bit flip is tried in.</summary>
    private enum Field
    {
        IdentityKey,
        BaseKey,
        SignedPreKeyId,
        OneTimePreKeyId,
        KemPreKeyId,
        KemCiphertext,
    }

    [Property(MaxTest = 40)]
    public async Task<bool> BothSides_RandomKeyMaterial_DeriveSameSecrets(ulong aliceSeed, ulong bobSeed, bool withOneTime, bool withOneTimeKem)
    {
        using TestParty alice = await TestParty.CreateAsync("alice", aliceSeed, oneTimeCount: 1);
        using TestParty bob = await TestParty.CreateAsync("bob", bobSeed ^ 0x5555_5555_5555_5555, oneTimeCount: 1);
        PreKeyBundle bundle = PreKeyBundle.Parse((await bob.BundleAsync(withOneTime, withOneTimeKem)).ToBytes());
        using InitiatorHandshakeResult initiator = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, bundle, alice.Random);
        (E2eChatFailure failure, ResponderHandshakeResult? responder) = await bob.AcceptAsync(alice.Address, ResponderHandshakeTests.Message(initiator));
        using (responder)
        {
            return failure == E2eChatFailure.None && initiator.Secrets.ContentEquals(responder!.Secrets);
        }
    }

    [Property(MaxTest = 150)]
    public async Task<bool> SingleBitFlip_InHandshakeField_FailsTypedOrDivergesWithoutWriting(ulong seed, bool withOneTime, byte fieldChoice, ushort bitChoice)
    {
        using TestParty alice = await TestParty.CreateAsync("alice", seed, oneTimeCount: 2);
        using TestParty bob = await TestParty.CreateAsync("bob", ~seed, oneTimeCount: 2);
        using InitiatorHandshakeResult initiator = InitiatorHandshake.Create(alice.Identity, alice.Address, TestParty.ResponderAddress, await bob.BundleAsync(withOneTime, true), alice.Random);
        E2eChat.Wire.Proto.PreKeyMessage message = ResponderHandshakeTests.Message(initiator);
        var field = (Field)(fieldChoice % 6);
        FlipBit(message, field, bitChoice);
        var before = bob.StoreCounts();

        (E2eChatFailure failure, ResponderHandshakeResult? responder) = await bob.AcceptAsync(alice.Address, message);
        using (responder)
        {
            bool unchanged = before == bob.StoreCounts();
            bool typedFailure = failure != E2eChatFailure.None && responder is null;
            bool diverged = failure == E2eChatFailure.None && !initiator.Secrets.RootKey.ContentEquals(responder!.Secrets.RootKey)
                && !initiator.Secrets.SessionBinding.ContentEquals(responder.Secrets.SessionBinding);
            return unchanged && (typedFailure || diverged);
        }
    }

    private static void FlipBit(E2eChat.Wire.Proto.PreKeyMessage message, Field field, int bitChoice)
    {
        switch (field)
        {
            case Field.IdentityKey:
                message.IdentityKey = Flip(message.IdentityKey, bitChoice);
                break;
            case Field.BaseKey:
                message.BaseKey = Flip(message.BaseKey, bitChoice);
                break;
            case Field.SignedPreKeyId:
                message.SignedPrekeyId ^= 1u << (bitChoice % 32);
                break;
            case Field.OneTimePreKeyId:
                message.OneTimePrekeyId ^= 1u << (bitChoice % 32);
                break;
            case Field.KemPreKeyId:
                message.KemPrekeyId ^= 1u << (bitChoice % 32);
                break;
            case Field.KemCiphertext:
                message.KemCiphertext = Flip(message.KemCiphertext, bitChoice);
                break;
        }
    }

    private static ByteString Flip(ByteString value, int bitChoice)
    {
        byte[] bytes = value.ToByteArray();
        int bit = bitChoice % (bytes.Length * 8);
        bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        return ByteString.CopyFrom(bytes);
    }
}
