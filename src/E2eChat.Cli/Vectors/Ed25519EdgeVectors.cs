using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using E2eChat.Crypto;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>keys.json</c>, strict Ed25519 (PROTOCOL.md section 1, rule 3) on an identity's binding
/// signature: <c>R</c> is the neutral point (a small-order encoding) and <c>S = k·a mod L</c>, so the
/// cofactorless equation <c>[S]B - [k]A = R</c> holds and a verifier without rule 3 accepts; the
/// protocol refuses it (<c>InvalidIdentityKey</c>).
/// </summary>
internal static class Ed25519EdgeVectors
{
    private const string File = "keys.json";

    /// <summary>Appends the vectors.</summary>
    /// <param name="vectors">The file's vectors so far.</param>
    internal static void Add(List<JsonObject> vectors)
    {
        const string Name = "identity_invalid_signature_small_order_r";
        using DeterministicRandomSource random = VectorSeeds.For(File, Name);
        PartyKeys keys = PartyKeys.DrawIdentity(random);
        byte[] valid;
        using (IdentityKeyPair identity = keys.CreateIdentity())
        {
            valid = identity.PublicKey.ToBytes();
        }

        byte[] signingKey = valid[..32];
        byte[] agreementKey = valid[32..64];
        byte[] neutral = new byte[32];
        neutral[0] = 0x01;
        byte[] message = [.. Encoding.ASCII.GetBytes("E2eChat/v1/identity-dh-key"), 0x00, .. agreementKey];
        BigInteger k = Scalar(SHA512.HashData([.. neutral, .. signingKey, .. message]));
        BigInteger s = k * SecretScalar(keys.Ed25519Seed) % KeyVectors.GroupOrder;
        byte[] sBytes = new byte[32];
        if (!s.TryWriteBytes(sBytes, out _, isUnsigned: true, isBigEndian: false))
        {
            throw new InvalidOperationException("S does not fit 32 bytes.");
        }

        vectors.Add(Expect.Fails(KeyVectors.InvalidIdentity(Name, [.. signingKey, .. agreementKey, .. neutral, .. sBytes]), nameof(E2eChatFailure.InvalidIdentityKey)));
    }

    /// <summary>RFC 8032 5.1.5: the clamped first half of SHA-512(seed), reduced modulo L.</summary>
    internal static BigInteger SecretScalar(byte[] seed)
    {
        byte[] h = SHA512.HashData(seed)[..32];
        h[0] &= 248;
        h[31] &= 127;
        h[31] |= 64;
        return new BigInteger(h, isUnsigned: true, isBigEndian: false) % KeyVectors.GroupOrder;
    }

    internal static BigInteger Scalar(byte[] digest) => new BigInteger(digest, isUnsigned: true, isBigEndian: false) % KeyVectors.GroupOrder;
}
