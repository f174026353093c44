using System.Buffers.Binary;
using E2eChat.Crypto;

namespace E2eChat;

/// <summary>
/// An ML-KEM-768 pre-key (PROTOCOL.md section 3.3): a nonzero id, a kind (last-resort or one-time),
/// a key pair and the identity's signature over <c>u32be(id) || kind || public key</c>. Holds a
/// decapsulation key: dispose it.
/// </summary>
public sealed class KemPreKey : IDisposable
{
    private const int SignedBodyLength = sizeof(uint) + 1 + MlKem768.PublicKeyLength;

    /// <summary>
    /// Where the encapsulation key sits inside a FIPS 203 decapsulation key
    /// (<c>dk_PKE (1152) || ek (1184) || H(ek) (32) || z (32)</c>).
    /// </summary>
    private const int PublicKeyOffsetInSecretKey = 1152;

    private readonly SecretBuffer _secretKey;
    private readonly byte[] _publicKey;
    private readonly byte[] _signature;

    private KemPreKey(uint id, KemPreKeyKind kind, SecretBuffer secretKey, byte[] publicKey, byte[] signature)
    {
        Id = id;
        Kind = kind;
        _secretKey = secretKey;
        _publicKey = publicKey;
        _signature = signature;
    }

    /// <summary>The nonzero id under which the key is published and stored.</summary>
    public uint Id { get; }

    /// <summary>Whether the key is kept after use (last resort) or deleted (one-time).</summary>
    public KemPreKeyKind Kind { get; }

    /// <summary>The 1184-byte ML-KEM-768 encapsulation key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>The 64-byte Ed25519 signature by the owner's identity.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>The 2400-byte ML-KEM-768 decapsulation key.</summary>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    internal ReadOnlySpan<byte> SecretKey => _secretKey.Span;

    /// <summary>Generates and signs a new KEM pre-key.</summary>
    /// <param name="identity">The owner's identity, which signs the key.</param>
    /// <param name="id">The nonzero id.</param>
    /// <param name="kind">Last-resort or one-time.</param>
    /// <returns>A key the caller disposes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is zero or <paramref name="kind"/> is undefined.</exception>
    public static KemPreKey Generate(IdentityKeyPair identity, uint id, KemPreKeyKind kind) =>
        Generate(identity, id, kind, RandomSource.System);

    /// <summary>Generates a KEM pre-key, drawing the 64-byte key-generation seed <c>d || z</c> from <paramref name="random"/>.</summary>
    internal static KemPreKey Generate(IdentityKeyPair identity, uint id, KemPreKeyKind kind, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfZero(id);
        CheckKind(kind);
        var secretKey = new SecretBuffer(MlKem768.SecretKeyLength);
        byte[] publicKey = new byte[MlKem768.PublicKeyLength];
        MlKem768.GenerateKeyPair(random, publicKey, secretKey.WritableSpan);
        byte[] signature = new byte[Ed25519.SignatureLength];
        Span<byte> body = stackalloc byte[SignedBodyLength];
        WriteSignedBody(id, kind, publicKey, body);
        identity.Sign(ProtocolLabels.KemPreKey, body, signature);
        return new KemPreKey(id, kind, secretKey, publicKey, signature);
    }

    /// <summary>
    /// Restores a KEM pre-key from storage. The encapsulation key is read from inside the FIPS 203
    /// decapsulation key.
    /// </summary>
    /// <param name="id">The nonzero id.</param>
    /// <param name="kind">The kind it was signed with.</param>
    /// <param name="secretKey">The 2400-byte decapsulation key, as exported by <see cref="ExportSecretKey"/>.</param>
    /// <param name="signature">The 64-byte signature.</param>
    /// <returns>A key the caller disposes.</returns>
    /// <exception cref="ArgumentException">A length is wrong, <paramref name="id"/> is zero or <paramref name="kind"/> is undefined.</exception>
    public static KemPreKey Import(uint id, KemPreKeyKind kind, ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> signature)
    {
        ArgumentOutOfRangeException.ThrowIfZero(id);
        CheckKind(kind);
        Error.CheckLength(secretKey, MlKem768.SecretKeyLength, nameof(secretKey));

        Error.CheckLength(signature, Ed25519.SignatureLength, nameof(signature));

        byte[] publicKey = secretKey.Slice(PublicKeyOffsetInSecretKey, MlKem768.PublicKeyLength).ToArray();
        return new KemPreKey(id, kind, new SecretBuffer(secretKey), publicKey, signature.ToArray());
    }

    /// <summary>Verifies a KEM pre-key signature (section 3.3) under an identity's signing key.</summary>
    internal static bool VerifySignature(IdentityKey identity, uint id, KemPreKeyKind kind, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != MlKem768.PublicKeyLength)
        {
            return false;
        }

        Span<byte> body = stackalloc byte[SignedBodyLength];
        WriteSignedBody(id, kind, publicKey, body);
        return Ed25519.Verify(identity.SigningKey, ProtocolLabels.KemPreKey, body, signature);
    }

    /// <summary>Exports the decapsulation key for the application's storage.</summary>
    /// <returns>A 2400-byte secret the caller disposes.</returns>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public SecretBuffer ExportSecretKey() => _secretKey.Clone();

    /// <summary>Returns an independent copy (for stores that hand out keys the caller disposes).</summary>
    /// <returns>A copy the caller disposes.</returns>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public KemPreKey Clone() => new(Id, Kind, _secretKey.Clone(), _publicKey, _signature);

    /// <summary>Wipes the decapsulation key. Safe to call more than once.</summary>
    public void Dispose() => _secretKey.Dispose();

    /// <summary>Names the id and kind only.</summary>
    /// <returns>A description without secret material.</returns>
    public override string ToString() => $"KemPreKey({Id}, {Kind})";

    private static void CheckKind(KemPreKeyKind kind)
    {
        if (kind is not (KemPreKeyKind.LastResort or KemPreKeyKind.OneTime))
        {
            throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private static void WriteSignedBody(uint id, KemPreKeyKind kind, ReadOnlySpan<byte> publicKey, Span<byte> body)
    {
        BinaryPrimitives.WriteUInt32BigEndian(body, id);
        body[sizeof(uint)] = (byte)kind;
        publicKey.CopyTo(body[(sizeof(uint) + 1)..]);
    }
}
