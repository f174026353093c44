using Google.Protobuf;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>handshake.json</c>, <c>handshake_bundle_invalid</c> vectors with a <c>trusted_identity</c>:
/// trust on the initiator side (PROTOCOL.md section 4, Alice's step 1, and 8.1). Alice's identity
/// store already holds an identity for Bob's address; a bundle that verifies (3.4) under another
/// identity is refused with <c>UntrustedIdentity</c> before any randomness is drawn, and a bundle
/// that does not verify is refused with its 3.4 failure first.
/// </summary>
internal static class InitiatorTrustVectors
{
    /// <summary>Appends the vectors.</summary>
    /// <param name="vectors">The file's vectors so far.</param>
    internal static async ValueTask AddAsync(List<JsonObject> vectors)
    {
        const string Group = "handshake_bundle_untrusted_identity";
        using DeterministicRandomSource random = VectorSeeds.For(HandshakeVectors.File, Group);
        var parties = TrustParties.Draw(random, 6, 66, 26);
        PartyKeys alice = parties.Alice;
        byte[] bundle = parties.Bundle;
        byte[] bobIdentity = parties.BobIdentity;
        byte[] malloryIdentity = parties.MalloryIdentity;

        var tampered = Wire.Proto.PreKeyBundle.Parser.ParseFrom(bundle);
        tampered.SignedPrekeySignature = VectorBytes.Flip(tampered.SignedPrekeySignature, 7);

        vectors.Add(Expect.Fails(
            await InvalidBundleAsync(Group, alice, bundle, malloryIdentity).ConfigureAwait(false),
            nameof(E2eChatFailure.UntrustedIdentity)));
        vectors.Add(Expect.Fails(
            await InvalidBundleAsync("handshake_bundle_invalid_before_untrusted_identity", alice, tampered.ToByteArray(), malloryIdentity).ConfigureAwait(false),
            nameof(E2eChatFailure.BadSignedPreKeySignature)));
        vectors.Add(Expect.Fails(
            await InvalidBundleAsync("handshake_bundle_trusted_identity_kem_prekey_downgraded", alice, Downgraded(bundle), bobIdentity).ConfigureAwait(false),
            nameof(E2eChatFailure.BadKemPreKeySignature)));
    }

    /// <summary>
    /// What Alice reports when she starts a session from <paramref name="bundle"/> with
    /// <paramref name="trustedIdentity"/> recorded for Bob's address: the bundle's own failure
    /// (3.4), else her session manager's answer (step 1), with a random source that refuses every
    /// draw.
    /// </summary>
    internal static async ValueTask<JsonObject> InvalidBundleAsync(string name, PartyKeys alice, byte[] bundle, byte[] trustedIdentity)
    {
        if (!IdentityKey.TryParse(trustedIdentity, out IdentityKey? trusted, out E2eChatFailure identityFailure))
        {
            throw new VectorFormatException($"trusted_identity: not a valid identity ({identityFailure})");
        }

        E2eChatFailure failure = E2eChatFailure.None;
        if (!PreKeyBundle.TryParse(bundle, out PreKeyBundle? parsed, out failure))
        {
            return Vector(name, alice, bundle, trustedIdentity, failure);
        }

        using PartyStores aliceStores = await PartyStores.CreateAsync(alice).ConfigureAwait(false);
        await aliceStores.IdentityStore.ApproveIdentityAsync(TranscriptRecorder.BobAddress, trusted).ConfigureAwait(false);
        var noRandomness = new ReplayRandomSource([]);
        using var manager = new SessionManager(aliceStores.Stores, TranscriptRecorder.AliceAddress, noRandomness);
        try
        {
            await manager.StartSessionAsync(TranscriptRecorder.BobAddress, parsed).ConfigureAwait(false);
        }
        catch (E2eChatException e)
        {
            failure = e.Failure;
        }

        return Vector(name, alice, bundle, trustedIdentity, failure);
    }

    private static byte[] Downgraded(byte[] bundle)
    {
        var message = Wire.Proto.PreKeyBundle.Parser.ParseFrom(bundle);
        message.KemPrekeyLastResort = false;
        return message.ToByteArray();
    }

    private static JsonObject Vector(string name, PartyKeys alice, byte[] bundle, byte[] trustedIdentity, E2eChatFailure failure) => new()
    {
        ["name"] = name,
        ["kind"] = "handshake_bundle_invalid",
        ["alice"] = alice.IdentityJson(),
        ["bundle"] = Hex.Encode(bundle),
        ["trusted_identity"] = Hex.Encode(trustedIdentity),
        ["failure"] = failure.ToString(),
    };
}
