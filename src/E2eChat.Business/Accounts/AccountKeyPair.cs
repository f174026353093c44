using E2eChat.Crypto;
using Key = NSec.Cryptography.Key;

namespace E2eChat;

/// <summary>
/// An account's signing key (PROTOCOL.md section 14): an Ed25519 key pair, kept by the account's
/// owner apart from every device identity, that signs device lists and contact links. The private
/// key lives in secure memory and is wiped on <see cref="Dispose"/>; it never appears in
/// <see cref="ToString"/>.
/// </summary>
public sealed class AccountKeyPair : IDisposable
{
    /// <summary>The length of the exported private key (the Ed25519 seed).</summary>
    public const int PrivateKeyLength = Ed25519.SeedLength;

    private readonly Key _key;
    private bool _disposed;

    private AccountKeyPair(Key key)
    {
        _key = key;
        byte[] publicKey = new byte[AccountKey.Length];
        Ed25519.GetPublicKey(key, publicKey);
        PublicKey = AccountKey.FromBytes(publicKey);
    }

    /// <summary>The public account key to publish.</summary>
    public AccountKey PublicKey { get; }

    /// <summary>Generates a new account key from the system CSPRNG.</summary>
    /// <returns>A key pair the caller disposes.</returns>
    public static AccountKeyPair Generate() => Generate(RandomSource.System);

    /// <summary>Generates a new account key: 32 random bytes of seed.</summary>
    internal static AccountKeyPair Generate(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return new AccountKeyPair(Ed25519.GenerateKey(random));
    }

    /// <summary>Restores an account key from the 32-byte seed written by <see cref="ExportPrivateKey"/>.</summary>
    /// <param name="privateKey">The Ed25519 seed.</param>
    /// <returns>A key pair the caller disposes.</returns>
    /// <exception cref="ArgumentException"><paramref name="privateKey"/> is not 32 bytes.</exception>
    public static AccountKeyPair Import(ReadOnlySpan<byte> privateKey)
    {
        Error.CheckLength(privateKey, PrivateKeyLength, nameof(privateKey));

        return new AccountKeyPair(Ed25519.ImportSeed(privateKey));
    }

    /// <summary>Exports the 32-byte seed for the owner's storage; keep it encrypted and dispose it promptly.</summary>
    /// <returns>A secret the caller disposes.</returns>
    /// <exception cref="ObjectDisposedException">The key pair was disposed.</exception>
    public SecretBuffer ExportPrivateKey()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Ed25519.ExportSeed(_key);
    }

    /// <summary>Signs <c>label || 0x00 || body</c>.</summary>
    internal byte[] Sign(ReadOnlySpan<byte> label, ReadOnlySpan<byte> body)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        byte[] signature = new byte[Ed25519.SignatureLength];
        Ed25519.Sign(_key, label, body, signature);
        return signature;
    }

    /// <summary>Wipes the private key. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _key.Dispose();
        }
    }

    /// <summary>Names the public key only.</summary>
    /// <returns>A description without secret material.</returns>
    public override string ToString() => $"AccountKeyPair({PublicKey})";
}
