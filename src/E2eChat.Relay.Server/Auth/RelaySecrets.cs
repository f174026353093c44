using System.Security.Cryptography;

namespace E2eChat.Relay.Server.Auth;

/// <summary>
/// The relay's own MAC keys for challenges and tokens, derived with HKDF-SHA256 from one 32-byte
/// server secret (from configuration, or generated once and kept in the store so every node over the
/// same database accepts the others' tokens). Owns and wipes its buffers. No user key is ever here.
/// </summary>
internal sealed class RelaySecrets : IDisposable
{
    /// <summary>The server secret's length.</summary>
    internal const int SecretLength = 32;

    /// <summary>The name the server secret is stored under.</summary>
    internal const string StoreName = "server-secret-v1";

    private const int MacKeyLength = 32;

    private readonly byte[] _challengeKey = GC.AllocateUninitializedArray<byte>(MacKeyLength, pinned: true);
    private readonly byte[] _tokenKey = GC.AllocateUninitializedArray<byte>(MacKeyLength, pinned: true);
    private bool _initialized;
    private bool _disposed;

    /// <summary>Derives the keys from the server secret.</summary>
    /// <param name="secret">32 bytes; the caller wipes its copy.</param>
    /// <exception cref="ArgumentException">The length is wrong.</exception>
    internal void Initialize(ReadOnlySpan<byte> secret)
    {
        if (secret.Length != SecretLength)
        {
            throw new ArgumentException($"The server secret is {SecretLength} bytes.", nameof(secret));
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, _challengeKey, salt: default, SignatureLabels.RelayChallenge);
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, _tokenKey, salt: default, SignatureLabels.RelayToken);
        _initialized = true;
    }

    /// <summary>HMAC-SHA256 of <c>label || 0x00 || data</c> under the challenge key.</summary>
    /// <param name="data">The MACed bytes.</param>
    /// <param name="mac">32 bytes of output.</param>
    internal void ChallengeMac(ReadOnlySpan<byte> data, Span<byte> mac) => Mac(_challengeKey, SignatureLabels.RelayChallenge, data, mac);

    /// <summary>HMAC-SHA256 of <c>label || 0x00 || data</c> under the token key.</summary>
    /// <param name="data">The MACed bytes.</param>
    /// <param name="mac">32 bytes of output.</param>
    internal void TokenMac(ReadOnlySpan<byte> data, Span<byte> mac) => Mac(_tokenKey, SignatureLabels.RelayToken, data, mac);

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_challengeKey);
        CryptographicOperations.ZeroMemory(_tokenKey);
    }

    /// <summary>Names nothing secret.</summary>
    /// <returns>A fixed description.</returns>
    public override string ToString() => nameof(RelaySecrets);

    private void Mac(byte[] key, byte[] label, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
        {
            throw new InvalidOperationException("The relay secrets are not loaded.");
        }

        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(label);
        hmac.AppendData([0]);
        hmac.AppendData(data);
        hmac.GetHashAndReset(mac);
    }
}
