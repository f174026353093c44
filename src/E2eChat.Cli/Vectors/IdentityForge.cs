using System.Numerics;
using System.Security.Cryptography;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// What the strict Ed25519 vectors of <c>keys.json</c> forge identities with: a seeded identity's
/// parts, and scalar arithmetic modulo L on little-endian 32-byte encodings (RFC 8032).
/// </summary>
internal static class IdentityForge
{
    /// <summary>The order of the Ed25519 base point, L = 2^252 + 27742317777372353535851937790883648493.</summary>
    internal static BigInteger GroupOrder { get; } = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The identity of a key pair drawn from <paramref name="random"/>, in parts: its seeds, the
    /// signing key A, the agreement key X, and the message the binding signature covers (the
    /// identity-DH label, a zero byte, X).
    /// </summary>
    internal static (PartyKeys Keys, byte[] SigningKey, byte[] AgreementKey, byte[] BindingMessage) DrawIdentity(RandomSource random)
    {
        PartyKeys keys = PartyKeys.DrawIdentity(random);
        byte[] valid;
        using (IdentityKeyPair identity = keys.CreateIdentity())
        {
            valid = identity.PublicKey.ToBytes();
        }

        byte[] agreementKey = valid[32..64];
        return (keys, valid[..32], agreementKey, [.. ProtocolLabels.IdentityDhKey, 0x00, .. agreementKey]);
    }

    /// <summary>RFC 8032 5.1.5: the clamped first half of SHA-512(seed), reduced modulo L.</summary>
    internal static BigInteger SecretScalar(byte[] seed)
    {
        byte[] h = SHA512.HashData(seed)[..32];
        h[0] &= 248;
        h[31] &= 127;
        h[31] |= 64;
        return Scalar(h);
    }

    /// <summary>A little-endian number (a digest, a scalar) reduced modulo L.</summary>
    internal static BigInteger Scalar(byte[] littleEndian) => new BigInteger(littleEndian, isUnsigned: true, isBigEndian: false) % GroupOrder;

    /// <summary>The 32-byte little-endian encoding of <paramref name="value"/>.</summary>
    internal static byte[] Le32(BigInteger value)
    {
        byte[] bytes = new byte[EdwardsPoints.Length];
        Expect.True(value.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false), "a scalar does not fit 32 bytes");
        return bytes;
    }
}
