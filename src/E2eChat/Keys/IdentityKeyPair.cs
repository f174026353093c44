using E2eChat.Crypto;
using Key = NSec.Cryptography.Key;

namespace E2eChat;

/// <summary>
/// Our long-term identity (PROTOCOL.md section 3.1): an Ed25519 signing key pair and an X25519
/// agreement key pair, with the public identity <see cref="PublicKey"/> binding the two. The private
/// parts live in secure memory and are wiped on <see cref="Dispose"/>.
/// </summary>
public sealed class IdentityKeyPair : IDisposable
{
    /// <summary>
    /// The length of the exported private key: the Ed25519 seed (32) followed by the X25519 private
    /// scalar (32).
    /// </summary>
    public const int PrivateKeyLength = Ed25519.SeedLength + X25519.KeyLength;

    private readonly Key _signingKey;
    private readonly SecretBuffer _agreementPrivateKey;
    private bool _disposed;

    private IdentityKeyPair(Key signingKey, SecretBuffer agreementPrivateKey)
    {
        _signingKey = signingKey;
        _agreementPrivateKey = agreementPrivateKey;
        Span<byte> agreementPublicKey = stackalloc byte[X25519.KeyLength];
        X25519.DerivePublicKey(agreementPrivateKey.Span, agreementPublicKey);
        PublicKey = IdentityKey.Create(signingKey, agreementPublicKey);
    }

    /// <summary>The public identity to publish and to send in pre-key messages.</summary>
    public IdentityKey PublicKey { get; }

    /// <summary>The X25519 private scalar <c>idk</c>.</summary>
    /// <exception cref="ObjectDisposedException">The key pair was disposed.</exception>
    internal ReadOnlySpan<byte> AgreementPrivateKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _agreementPrivateKey.Span;
        }
    }

    /// <summary>Generates a new identity from the system CSPRNG.</summary>
    /// <returns>A key pair the caller disposes.</returns>
    public static IdentityKeyPair Generate() => Generate(RandomSource.System);

    /// <summary>Generates a new identity: the Ed25519 seed (32 bytes) is drawn first, then the X25519 scalar (32 bytes).</summary>
    internal static IdentityKeyPair Generate(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Key signingKey = Ed25519.GenerateKey(random);
        var agreementPrivateKey = new SecretBuffer(X25519.KeyLength);
        random.Fill(agreementPrivateKey.WritableSpan);
        return new IdentityKeyPair(signingKey, agreementPrivateKey);
    }

    /// <summary>
    /// Restores an identity from the 64 bytes written by <see cref="ExportPrivateKey"/>. The public
    /// identity is recomputed (Ed25519 signatures are deterministic, so it is the same as before).
    /// </summary>
    /// <param name="privateKey">The Ed25519 seed (32) followed by the X25519 private scalar (32).</param>
    /// <returns>A key pair the caller disposes.</returns>
    /// <exception cref="ArgumentException"><paramref name="privateKey"/> is not 64 bytes.</exception>
    public static IdentityKeyPair Import(ReadOnlySpan<byte> privateKey)
    {
        Error.CheckLength(privateKey, PrivateKeyLength, nameof(privateKey));

        Key signingKey = Ed25519.ImportSeed(privateKey[..Ed25519.SeedLength]);
        return new IdentityKeyPair(signingKey, new SecretBuffer(privateKey[Ed25519.SeedLength..]));
    }

    /// <summary>
    /// Exports the private parts for the application's storage: the Ed25519 seed (32) followed by the
    /// X25519 private scalar (32). Keep the result encrypted at rest and dispose it promptly.
    /// </summary>
    /// <returns>A 64-byte secret the caller disposes.</returns>
    /// <exception cref="ObjectDisposedException">The key pair was disposed.</exception>
    public SecretBuffer ExportPrivateKey()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var exported = new SecretBuffer(PrivateKeyLength);
        using (SecretBuffer seed = Ed25519.ExportSeed(_signingKey))
        {
            seed.Span.CopyTo(exported.WritableSpan);
        }

        _agreementPrivateKey.Span.CopyTo(exported.WritableSpan[Ed25519.SeedLength..]);
        return exported;
    }

    /// <summary>Signs <c>label || 0x00 || body</c> with the identity's Ed25519 key.</summary>
    internal void Sign(ReadOnlySpan<byte> label, ReadOnlySpan<byte> body, Span<byte> signature)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Ed25519.Sign(_signingKey, label, body, signature);
    }

    /// <summary>Wipes the private parts. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _signingKey.Dispose();
            _agreementPrivateKey.Dispose();
        }
    }

    /// <summary>Names the public identity only.</summary>
    /// <returns>A description without secret material.</returns>
    public override string ToString() => $"IdentityKeyPair({PublicKey})";
}
