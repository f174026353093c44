using System.Numerics;
using System.Security.Cryptography;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>keys.json</c>, strict Ed25519 rules 4 and 5 (PROTOCOL.md section 1) on an identity's binding
/// signature under a mixed-order key <c>A' = A + T</c> (<c>A = [a]B</c>, <c>T</c> of order 8). With
/// <c>R = [r]B</c>, <c>k = SHA-512(R || A' || M) mod L</c> and <c>S = r + k·a mod L</c>,
/// <c>[S]B - [k]A' = R - [k]T</c>: the cofactored equation (times 8) always holds, the cofactorless
/// one only when <c>k mod 8 = 0</c>. So the signature with <c>k mod 8 != 0</c> is refused
/// (<c>InvalidIdentityKey</c>) and the one with <c>k mod 8 = 0</c> is accepted: a mixed-order key is
/// not refused for its order.
/// </summary>
internal static class MixedOrderKeyVectors
{
    private const string Refused = "identity_invalid_signature_mixed_order_key_cofactored_only";
    private const string Accepted = "identity_accepted_mixed_order_key";
    private const int Cofactor = 8;

    /// <summary>Appends the vectors.</summary>
    /// <param name="vectors">The file's vectors so far.</param>
    internal static void Add(List<JsonObject> vectors)
    {
        byte[] refused = MixedOrderIdentity(Refused, kIsMultipleOfEight: false);
        vectors.Add(Expect.Fails(KeyVectors.InvalidIdentity(Refused, refused), nameof(E2eChatFailure.InvalidIdentityKey)));
        byte[] accepted = MixedOrderIdentity(Accepted, kIsMultipleOfEight: true);
        JsonObject vector = AcceptedIdentity(Accepted, accepted);
        Expect.True(VectorJson.Bool(vector, "valid"), $"{Accepted}: refused");
        vectors.Add(vector);
    }

    /// <summary>An <c>identity_accepted</c> vector: whether <paramref name="identityKey"/> parses (section 3.1).</summary>
    internal static JsonObject AcceptedIdentity(string name, byte[] identityKey) => new()
    {
        ["name"] = name,
        ["kind"] = "identity_accepted",
        ["identity_key"] = Hex.Encode(identityKey),
        ["valid"] = IdentityKey.TryParse(identityKey, out _, out _),
    };

    /// <summary>
    /// <c>A' || X || R || S</c>: the identity of a seeded key pair with its signing key moved to
    /// <c>A + T</c> and its binding signature made for <c>A'</c>, the nonce drawn until
    /// <c>k mod 8</c> is (or is not) 0.
    /// </summary>
    private static byte[] MixedOrderIdentity(string name, bool kIsMultipleOfEight)
    {
        using DeterministicRandomSource random = VectorSeeds.For(KeyVectors.File, name);
        (PartyKeys keys, byte[] signingKey, byte[] agreementKey, byte[] message) = IdentityForge.DrawIdentity(random);
        byte[] mixed = EdwardsPoints.Add(signingKey, EdwardsPoints.OrderEight);
        BigInteger a = IdentityForge.SecretScalar(keys.Ed25519Seed);
        while (true)
        {
            BigInteger r = IdentityForge.Scalar(random.Draw(64));
            if (r.IsZero)
            {
                continue;
            }

            byte[] rPoint = EdwardsPoints.MultiplyBase(IdentityForge.Le32(r));
            BigInteger k = IdentityForge.Scalar(SHA512.HashData([.. rPoint, .. mixed, .. message]));
            if ((k % Cofactor).IsZero == kIsMultipleOfEight)
            {
                return [.. mixed, .. agreementKey, .. rPoint, .. IdentityForge.Le32((r + (k * a)) % IdentityForge.GroupOrder)];
            }
        }
    }
}
