using System.Numerics;
using System.Security.Cryptography;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>keys.json</c>, strict Ed25519 (PROTOCOL.md section 1, rule 3) on an identity's binding
/// signature: <c>R</c> is the neutral point (a small-order encoding) and <c>S = k·a mod L</c>, so the
/// cofactorless equation <c>[S]B - [k]A = R</c> holds and a verifier without rule 3 accepts; the
/// protocol refuses it (<c>InvalidIdentityKey</c>).
/// </summary>
internal static class Ed25519EdgeVectors
{
    /// <summary>Appends the vectors.</summary>
    /// <param name="vectors">The file's vectors so far.</param>
    internal static void Add(List<JsonObject> vectors)
    {
        const string Name = "identity_invalid_signature_small_order_r";
        using DeterministicRandomSource random = VectorSeeds.For(KeyVectors.File, Name);
        (PartyKeys keys, byte[] signingKey, byte[] agreementKey, byte[] message) = IdentityForge.DrawIdentity(random);
        byte[] neutral = new byte[32];
        neutral[0] = 0x01;
        BigInteger k = IdentityForge.Scalar(SHA512.HashData([.. neutral, .. signingKey, .. message]));
        byte[] sBytes = IdentityForge.Le32(k * IdentityForge.SecretScalar(keys.Ed25519Seed) % IdentityForge.GroupOrder);
        vectors.Add(Expect.Fails(KeyVectors.InvalidIdentity(Name, [.. signingKey, .. agreementKey, .. neutral, .. sBytes]), nameof(E2eChatFailure.InvalidIdentityKey)));
    }
}
