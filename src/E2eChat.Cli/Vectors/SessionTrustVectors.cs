using System.Text;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>handshake.json</c>, <c>session_encrypt_trust</c> vectors: trust is checked on every use of a
/// session (PROTOCOL.md 8.1). Alice starts a session from Bob's bundle (trust on first use records
/// Bob's identity), the application then approves other identities for Bob's address, and Alice
/// encrypts: <c>UntrustedIdentity</c> while another identity is trusted, success once Bob's is
/// approved again.
/// </summary>
internal static class SessionTrustVectors
{
    private const string Kind = "session_encrypt_trust";

    /// <summary>Appends the vectors.</summary>
    /// <param name="vectors">The file's vectors so far.</param>
    internal static async ValueTask AddAsync(List<JsonObject> vectors)
    {
        using DeterministicRandomSource random = VectorSeeds.For(HandshakeVectors.File, Kind);
        var parties = TrustParties.Draw(random, 7, 77, 27);

        byte[] plaintext = Encoding.UTF8.GetBytes("sent after the application approved another identity");
        vectors.Add(Expect.Fails(
            await RunAsync("session_encrypt_untrusted_identity", parties.Alice, parties.Bundle, [parties.MalloryIdentity], plaintext).ConfigureAwait(false),
            nameof(E2eChatFailure.UntrustedIdentity)));
        vectors.Add(Expect.Fails(
            await RunAsync("session_encrypt_identity_approved_again", parties.Alice, parties.Bundle, [parties.MalloryIdentity, parties.BobIdentity], plaintext).ConfigureAwait(false),
            nameof(E2eChatFailure.None)));
    }

    /// <summary>Verifies a <c>session_encrypt_trust</c> vector.</summary>
    internal static async ValueTask VerifyAsync(string name, JsonObject vector)
    {
        JsonArray approvals = VectorJson.Array(vector, "approved");
        var approved = new List<byte[]>(approvals.Count);
        for (int i = 0; i < approvals.Count; i++)
        {
            approved.Add(Hex.Decode(approvals[i]?.GetValue<string>() ?? throw new VectorFormatException($"approved[{i}]: expected a hex string"), $"approved[{i}]"));
        }

        Outputs.Compare(vector, await RunAsync(
            name,
            PartyKeys.ReadIdentity(VectorJson.Object(vector, "alice")),
            VectorJson.Bytes(vector, "bundle"),
            approved,
            VectorJson.Bytes(vector, "plaintext")).ConfigureAwait(false));
    }

    /// <summary>
    /// Alice starts a session from <paramref name="bundle"/> (any randomness: the outcome does not
    /// depend on it), the application approves each of <paramref name="approved"/> for Bob's
    /// address in turn, and Alice encrypts <paramref name="plaintext"/>; a failed encryption must
    /// leave the stored session unchanged.
    /// </summary>
    private static async ValueTask<JsonObject> RunAsync(string name, PartyKeys alice, byte[] bundle, List<byte[]> approved, byte[] plaintext)
    {
        if (!PreKeyBundle.TryParse(bundle, out PreKeyBundle? parsed, out E2eChatFailure bundleFailure))
        {
            throw new VectorFormatException($"bundle: does not verify ({bundleFailure})");
        }

        using DeterministicRandomSource random = VectorSeeds.For(HandshakeVectors.File, name);
        using PartyStores aliceStores = await PartyStores.CreateAsync(alice).ConfigureAwait(false);
        using var manager = new SessionManager(aliceStores.Stores, TranscriptRecorder.AliceAddress, random);
        await manager.StartSessionAsync(TranscriptRecorder.BobAddress, parsed).ConfigureAwait(false);
        for (int i = 0; i < approved.Count; i++)
        {
            if (!IdentityKey.TryParse(approved[i], out IdentityKey? identity, out E2eChatFailure identityFailure))
            {
                throw new VectorFormatException($"approved[{i}]: not a valid identity ({identityFailure})");
            }

            await aliceStores.IdentityStore.ApproveIdentityAsync(TranscriptRecorder.BobAddress, identity).ConfigureAwait(false);
        }

        byte[] before = await StoredAsync(aliceStores).ConfigureAwait(false);
        E2eChatFailure failure = E2eChatFailure.None;
        try
        {
            await manager.EncryptAsync(TranscriptRecorder.BobAddress, plaintext).ConfigureAwait(false);
        }
        catch (E2eChatException e)
        {
            failure = e.Failure;
            byte[] after = await StoredAsync(aliceStores).ConfigureAwait(false);
            Expect.True(before.AsSpan().SequenceEqual(after), "a refused encryption changed the stored session");
        }

        var list = new JsonArray();
        foreach (byte[] identity in approved)
        {
            list.Add(Hex.Encode(identity));
        }

        return new JsonObject
        {
            ["name"] = name,
            ["kind"] = Kind,
            ["alice"] = alice.IdentityJson(),
            ["bundle"] = Hex.Encode(bundle),
            ["approved"] = list,
            ["plaintext"] = Hex.Encode(plaintext),
            ["failure"] = failure.ToString(),
        };
    }

    private static async ValueTask<byte[]> StoredAsync(PartyStores stores) =>
        (await stores.Sessions.LoadSessionAsync(TranscriptRecorder.BobAddress).ConfigureAwait(false)).Record?.ToArray()
        ?? throw new VectorMismatchException("no session stored for Bob");
}
