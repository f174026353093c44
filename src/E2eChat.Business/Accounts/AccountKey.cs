using System.Security.Cryptography;
using E2eChat.Crypto;

namespace E2eChat;

/// <summary>
/// An account's public Ed25519 key (PROTOCOL.md section 14): 32 bytes that sign the account's
/// device lists and contact links. Public data; compared in constant time all the same.
/// </summary>
public sealed class AccountKey : IEquatable<AccountKey>
{
    /// <summary>The length of an account key in bytes.</summary>
    public const int Length = Ed25519.PublicKeyLength;

    private readonly byte[] _bytes;

    private AccountKey(byte[] bytes) => _bytes = bytes;

    /// <summary>Wraps 32 bytes of a public key (not checked beyond the length: signatures under a bad key fail).</summary>
    /// <param name="bytes">The 32 bytes.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 32 bytes.</exception>
    public static AccountKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"Account keys are {Length} bytes.", nameof(bytes));
        }

        return new AccountKey(bytes.ToArray());
    }

    /// <summary>The 32 bytes, read-only.</summary>
    /// <returns>A view of the key.</returns>
    public ReadOnlySpan<byte> AsSpan() => _bytes;

    /// <summary>A copy of the 32 bytes.</summary>
    /// <returns>A new array.</returns>
    public byte[] ToBytes() => (byte[])_bytes.Clone();

    /// <inheritdoc/>
    public bool Equals(AccountKey? other) => other is not null && CryptographicOperations.FixedTimeEquals(_bytes, other._bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as AccountKey);

    /// <inheritdoc/>
    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);

    /// <summary>The first 8 bytes in hex (public data).</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"AccountKey({Convert.ToHexStringLower(_bytes.AsSpan(0, 8))}…)";

    /// <summary>Verifies a signature over <c>label || 0x00 || body</c> strictly (section 1); never throws.</summary>
    internal bool Verify(ReadOnlySpan<byte> label, ReadOnlySpan<byte> body, ReadOnlySpan<byte> signature) =>
        Ed25519.Verify(_bytes, label, body, signature);
}
