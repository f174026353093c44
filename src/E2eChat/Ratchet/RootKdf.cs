using System.Security.Cryptography;
using E2eChat.Crypto;

namespace E2eChat.Ratchet;

/// <summary>
/// The root-key step of the Double Ratchet (PROTOCOL.md section 5.2):
/// <c>OKM = HKDF(salt = rk, ikm = dh, "E2eChat/v1/ratchet/root", 96)</c> gives the next root key, a
/// chain key and the next header key.
/// </summary>
internal static class RootKdf
{
    /// <summary>Length of root, chain and header keys in bytes.</summary>
    internal const int KeyLength = 32;

    private const int OutputLength = 3 * KeyLength;

    /// <summary>Runs one root-key step.</summary>
    /// <param name="rootKey">The current 32-byte root key.</param>
    /// <param name="dhOutput">The 32-byte X25519 output.</param>
    /// <param name="nextRootKey">Receives RK'; may be the same memory as <paramref name="rootKey"/>.</param>
    /// <param name="chainKey">Receives the new chain key.</param>
    /// <param name="nextHeaderKey">Receives the new next header key.</param>
    internal static void Advance(ReadOnlySpan<byte> rootKey, ReadOnlySpan<byte> dhOutput, Span<byte> nextRootKey, Span<byte> chainKey, Span<byte> nextHeaderKey)
    {
        Error.CheckLength(rootKey.Length, KeyLength, nameof(rootKey));
        Error.CheckLength(dhOutput.Length, KeyLength, nameof(dhOutput));
        Error.CheckLength(nextRootKey.Length, KeyLength, nameof(nextRootKey));
        Error.CheckLength(chainKey.Length, KeyLength, nameof(chainKey));
        Error.CheckLength(nextHeaderKey.Length, KeyLength, nameof(nextHeaderKey));
        Span<byte> okm = stackalloc byte[OutputLength];
        try
        {
            HkdfSha256.DeriveKey(rootKey, dhOutput, ProtocolLabels.RatchetRoot, okm);
            okm[..KeyLength].CopyTo(nextRootKey);
            okm[KeyLength..(2 * KeyLength)].CopyTo(chainKey);
            okm[(2 * KeyLength)..].CopyTo(nextHeaderKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(okm);
        }
    }
}
