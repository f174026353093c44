using E2eChat.Crypto;

namespace E2eChat;

/// <summary>
/// A one-time X25519 pre-key (PROTOCOL.md section 3.2): a nonzero id and a key pair, unsigned, deleted
/// after the first handshake that uses it. Holds a private key: dispose it.
/// </summary>
public sealed class OneTimePreKey : IDisposable
{
    private readonly SecretBuffer _privateKey;
    private readonly byte[] _publicKey;

    private OneTimePreKey(uint id, SecretBuffer privateKey, byte[] publicKey)
    {
        Id = id;
        _privateKey = privateKey;
        _publicKey = publicKey;
    }

    /// <summary>The nonzero id under which the key is published and stored.</summary>
    public uint Id { get; }

    /// <summary>The 32-byte X25519 public key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>The 32-byte X25519 private scalar.</summary>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    internal ReadOnlySpan<byte> PrivateKey => _privateKey.Span;

    /// <summary>Generates a new one-time pre-key.</summary>
    /// <param name="id">The nonzero id.</param>
    /// <returns>A key the caller disposes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is zero.</exception>
    public static OneTimePreKey Generate(uint id) => Generate(id, RandomSource.System);

    /// <summary>Generates a one-time pre-key, drawing the 32-byte private scalar from <paramref name="random"/>.</summary>
    internal static OneTimePreKey Generate(uint id, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfZero(id);
        var privateKey = new SecretBuffer(X25519.KeyLength);
        byte[] publicKey = new byte[X25519.KeyLength];
        X25519.GenerateKeyPair(random, privateKey.WritableSpan, publicKey);
        return new OneTimePreKey(id, privateKey, publicKey);
    }

    /// <summary>Restores a one-time pre-key from storage (the public key is recomputed).</summary>
    /// <param name="id">The nonzero id.</param>
    /// <param name="privateKey">The 32-byte private scalar, as exported by <see cref="ExportPrivateKey"/>.</param>
    /// <returns>A key the caller disposes.</returns>
    /// <exception cref="ArgumentException">The length is wrong or <paramref name="id"/> is zero.</exception>
    public static OneTimePreKey Import(uint id, ReadOnlySpan<byte> privateKey)
    {
        ArgumentOutOfRangeException.ThrowIfZero(id);
        Error.CheckLength(privateKey, X25519.KeyLength, nameof(privateKey));

        byte[] publicKey = new byte[X25519.KeyLength];
        X25519.DerivePublicKey(privateKey, publicKey);
        return new OneTimePreKey(id, new SecretBuffer(privateKey), publicKey);
    }

    /// <summary>Exports the private scalar for the application's storage.</summary>
    /// <returns>A 32-byte secret the caller disposes.</returns>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public SecretBuffer ExportPrivateKey() => _privateKey.Clone();

    /// <summary>Returns an independent copy (for stores that hand out keys the caller disposes).</summary>
    /// <returns>A copy the caller disposes.</returns>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public OneTimePreKey Clone() => new(Id, _privateKey.Clone(), _publicKey);

    /// <summary>Wipes the private key. Safe to call more than once.</summary>
    public void Dispose() => _privateKey.Dispose();

    /// <summary>Names the id only.</summary>
    /// <returns>A description without secret material.</returns>
    public override string ToString() => $"OneTimePreKey({Id})";
}
