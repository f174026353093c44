using System.Buffers.Binary;
using E2eChat.Crypto;

namespace E2eChat;

/// <summary>
/// A signed X25519 pre-key (PROTOCOL.md section 3.2): a nonzero id, a key pair and the identity's
/// signature over <c>u32be(id) || public key</c>. The responder's first ratchet key pair is the signed
/// pre-key an initiator used. Holds a private key: dispose it.
/// </summary>
public sealed class SignedPreKey : IDisposable
{
    private const int SignedBodyLength = sizeof(uint) + X25519.KeyLength;

    private readonly SecretBuffer _privateKey;
    private readonly byte[] _publicKey;
    private readonly byte[] _signature;

    private SignedPreKey(uint id, SecretBuffer privateKey, byte[] publicKey, byte[] signature)
    {
        Id = id;
        _privateKey = privateKey;
        _publicKey = publicKey;
        _signature = signature;
    }

    /// <summary>The nonzero id under which the key is published and stored.</summary>
    public uint Id { get; }

    /// <summary>The 32-byte X25519 public key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>The 64-byte Ed25519 signature by the owner's identity.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>The 32-byte X25519 private scalar.</summary>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    internal ReadOnlySpan<byte> PrivateKey => _privateKey.Span;

    /// <summary>Generates and signs a new signed pre-key.</summary>
    /// <param name="identity">The owner's identity, which signs the key.</param>
    /// <param name="id">The nonzero id.</param>
    /// <returns>A key the caller disposes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is zero.</exception>
    public static SignedPreKey Generate(IdentityKeyPair identity, uint id) => Generate(identity, id, RandomSource.System);

    /// <summary>Generates a signed pre-key, drawing the 32-byte private scalar from <paramref name="random"/>.</summary>
    internal static SignedPreKey Generate(IdentityKeyPair identity, uint id, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfZero(id);
        var privateKey = new SecretBuffer(X25519.KeyLength);
        byte[] publicKey = new byte[X25519.KeyLength];
        X25519.GenerateKeyPair(random, privateKey.WritableSpan, publicKey);
        byte[] signature = new byte[Ed25519.SignatureLength];
        Span<byte> body = stackalloc byte[SignedBodyLength];
        WriteSignedBody(id, publicKey, body);
        identity.Sign(ProtocolLabels.SignedPreKey, body, signature);
        return new SignedPreKey(id, privateKey, publicKey, signature);
    }

    /// <summary>Restores a signed pre-key from storage (the public key is recomputed).</summary>
    /// <param name="id">The nonzero id.</param>
    /// <param name="privateKey">The 32-byte private scalar, as exported by <see cref="ExportPrivateKey"/>.</param>
    /// <param name="signature">The 64-byte signature.</param>
    /// <returns>A key the caller disposes.</returns>
    /// <exception cref="ArgumentException">A length is wrong or <paramref name="id"/> is zero.</exception>
    public static SignedPreKey Import(uint id, ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> signature)
    {
        ArgumentOutOfRangeException.ThrowIfZero(id);
        Error.CheckLength(privateKey, X25519.KeyLength, nameof(privateKey));

        Error.CheckLength(signature, Ed25519.SignatureLength, nameof(signature));

        byte[] publicKey = new byte[X25519.KeyLength];
        X25519.DerivePublicKey(privateKey, publicKey);
        return new SignedPreKey(id, new SecretBuffer(privateKey), publicKey, signature.ToArray());
    }

    /// <summary>Verifies a signed pre-key signature (section 3.2) under an identity's signing key.</summary>
    internal static bool VerifySignature(IdentityKey identity, uint id, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != X25519.KeyLength)
        {
            return false;
        }

        Span<byte> body = stackalloc byte[SignedBodyLength];
        WriteSignedBody(id, publicKey, body);
        return Ed25519.Verify(identity.SigningKey, ProtocolLabels.SignedPreKey, body, signature);
    }

    /// <summary>Exports the private scalar for the application's storage.</summary>
    /// <returns>A 32-byte secret the caller disposes.</returns>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public SecretBuffer ExportPrivateKey() => _privateKey.Clone();

    /// <summary>Returns an independent copy (for stores that hand out keys the caller disposes).</summary>
    /// <returns>A copy the caller disposes.</returns>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public SignedPreKey Clone() => new(Id, _privateKey.Clone(), _publicKey, _signature);

    /// <summary>Wipes the private key. Safe to call more than once.</summary>
    public void Dispose() => _privateKey.Dispose();

    /// <summary>Names the id only.</summary>
    /// <returns>A description without secret material.</returns>
    public override string ToString() => $"SignedPreKey({Id})";

    private static void WriteSignedBody(uint id, ReadOnlySpan<byte> publicKey, Span<byte> body)
    {
        BinaryPrimitives.WriteUInt32BigEndian(body, id);
        publicKey.CopyTo(body[sizeof(uint)..]);
    }
}
