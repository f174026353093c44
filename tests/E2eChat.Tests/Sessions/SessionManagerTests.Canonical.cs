using System.Text;
using E2eChat.Ratchet;
using E2eChat.Relay;
using E2eChat.Wire;
using E2eChat.Tests.Envelopes;

namespace E2eChat.Tests.Sessions;

/// <summary>The client reads message bodies by exactly the relay's canonical rules (PROTOCOL.md section 8).</summary>
public sealed partial class SessionManagerTests
{
    public static TheoryData<string> PreKeyRules => NonCanonicalBodies.PreKeyRules;

    public static TheoryData<string> RatchetRules => NonCanonicalBodies.RatchetRules;

    [Theory]
    [MemberData(nameof(PreKeyRules))]
    public async Task TryDecryptAsync_FirstMessageBreakingACanonicalRule_MalformedNothingStored(string rule)
    {
        // No one-time pre-key, so that every variant means the very same message to a lenient parser.
        using SessionParty alice = await SessionParty.CreateAsync("alice");
        using SessionParty bob = await SessionParty.CreateAsync("acme-shoes", oneTimeKeys: 1);
        PreKeyBundle withOneTime = await bob.Generator.CreateBundleAsync();
        PreKeyBundle bundle = await bob.Generator.CreateBundleAsync();
        Assert.True(withOneTime.HasOneTimePreKey);
        Assert.False(bundle.HasOneTimePreKey);
        await alice.Manager.StartSessionAsync(bob.Address, bundle);
        CiphertextMessage first = await alice.Manager.EncryptAsync(bob.Address, Text("hi"));
        byte[] variant = NonCanonicalBodies.PreKey(first.Body.ToArray(), rule);
        Assert.Equal(NonCanonicalBodies.PreKeyFailure(rule), WirePreKeyMessage.Validate(variant, 0, variant.Length, out _));
        var before = bob.Counts();

        DecryptResult result = await bob.Manager.TryDecryptAsync(alice.Address, new CiphertextMessage(EnvelopeType.PreKey, variant));
        Assert.Equal(E2eChatFailure.Malformed, result.Failure);
        Assert.Equal(before, bob.Counts());

        Assert.Equal("hi", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(alice.Address, first)));
    }

    [Fact]
    public async Task TryDecryptAsync_AnySingleBitFlipInAPreKeyId_NeverAccepted()
    {
        // Ids whose varints take 5 bytes, so that a flipped high bit gives a value above 2^32 - 1.
        using SessionParty alice = await SessionParty.CreateAsync("alice");
        using SessionParty bob = await SessionParty.CreateAsync("acme-shoes", oneTimeKeys: 0);
        IdentityKeyPair bobIdentity = await bob.Stores.Identities.GetIdentityKeyPairAsync();
        const uint SignedId = 0x7FFF_FFF0;
        const uint KemId = 0x7FFF_FFF1;
        using (SignedPreKey signed = SignedPreKey.Generate(bobIdentity, SignedId))
        using (KemPreKey kem = KemPreKey.Generate(bobIdentity, KemId, KemPreKeyKind.OneTime))
        {
            await bob.Stores.SignedPreKeys.SaveSignedPreKeyAsync(signed);
            await bob.Stores.KemPreKeys.SaveKemPreKeyAsync(kem);
            await alice.Manager.StartSessionAsync(bob.Address, PreKeyBundle.Create(bobIdentity.PublicKey, signed, null, kem));
        }

        CiphertextMessage first = await alice.Manager.EncryptAsync(bob.Address, Text("hi"));
        byte[] body = first.Body.ToArray();
        var before = bob.Counts();
        int flips = 0;
        foreach (int tag in new[] { (3 << 3) | 0, (5 << 3) | 0 })
        {
            int start = Array.IndexOf(body, (byte)tag, 128 + 32) + 1;
            for (int i = start; i < start + 5; i++)
            {
                for (int bit = 0; bit < 8; bit++)
                {
                    body[i] ^= (byte)(1 << bit);
                    DecryptResult result = await bob.Manager.TryDecryptAsync(alice.Address, new CiphertextMessage(EnvelopeType.PreKey, body));
                    Assert.False(result.IsSuccess, $"byte {i} bit {bit}");
                    Assert.Equal(before, bob.Counts());
                    body[i] ^= (byte)(1 << bit);
                    flips++;
                }
            }
        }

        Assert.Equal(80, flips);
        Assert.Equal("hi", Encoding.UTF8.GetString(await bob.Manager.DecryptAsync(alice.Address, first)));
    }

    [Theory]
    [MemberData(nameof(RatchetRules))]
    public async Task TryDecryptAsync_RatchetMessageBreakingACanonicalRule_MalformedStateUnchanged(string rule)
    {
        (SessionParty alice, SessionParty bob) = await AcknowledgedAsync();
        CiphertextMessage reply = await bob.Manager.EncryptAsync(alice.Address, Text("b"));
        byte[] variant = NonCanonicalBodies.Ratchet(reply.Body.ToArray(), rule);
        Assert.Equal(NonCanonicalBodies.RatchetFailure(rule), WireRatchetMessage.Validate(variant, 0, variant.Length, out int _));
        byte[] before = (await alice.StoredRecordAsync(bob.Address))!;

        DecryptResult result = await alice.Manager.TryDecryptAsync(bob.Address, new CiphertextMessage(EnvelopeType.Ratchet, variant));
        Assert.Equal(E2eChatFailure.Malformed, result.Failure);
        Assert.Equal(before, await alice.StoredRecordAsync(bob.Address));
        Assert.Equal("b", Encoding.UTF8.GetString(await alice.Manager.DecryptAsync(bob.Address, reply)));
    }

    [Fact]
    public async Task TryDecryptAsync_SenderKeyTypedMessage_Malformed()
    {
        (SessionParty alice, SessionParty bob) = await AcknowledgedAsync();
        CiphertextMessage message = await alice.Manager.EncryptAsync(bob.Address, Text("x"));
        Assert.Equal(E2eChatFailure.Malformed, (await bob.Manager.TryDecryptAsync(alice.Address, new CiphertextMessage(EnvelopeType.SenderKey, message.Body.Span))).Failure);
    }
}
