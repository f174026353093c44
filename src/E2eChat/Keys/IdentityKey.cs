using System.Diagnostics.CodeAnalysis;
using E2eChat.Crypto;

namespace E2eChat;

/// <summary>
/// A party's public identity (PROTOCOL.md section 3.1): exactly 128 bytes,
/// <c>ipk (32) || idh (32) || bind (64)</c>, where <c>ipk</c> is the Ed25519 signing key, <c>idh</c>
/// the X25519 agreement key and <c>bind</c> the signature of <c>idh</c> under <c>ipk</c>. Immutable;
/// two identities are equal when their 128 bytes are equal.
/// </summary>
public sealed class IdentityKey : IEquatable<IdentityKey>
{
    /// <summary>The length of the serialized identity in bytes.</summary>
    public const int Length = SigningKeyLength + AgreementKeyLength + Ed25519.SignatureLength;

    private const int SigningKeyLength = Ed25519.PublicKeyLength;
    private const int AgreementKeyLength = X25519.KeyLength;

    private readonly byte[] _bytes;

    /// <summary>Wraps bytes that are known to be a valid identity (our own); takes ownership.</summary>
    private IdentityKey(byte[] bytes)
    {
        _bytes = bytes;
    }

    /// <summary>The Ed25519 signing public key <c>ipk</c>.</summary>
    internal ReadOnlySpan<byte> SigningKey => _bytes.AsSpan(0, SigningKeyLength);

    /// <summary>The X25519 agreement public key <c>idh</c>.</summary>
    internal ReadOnlySpan<byte> AgreementKey => _bytes.AsSpan(SigningKeyLength, AgreementKeyLength);

    /// <summary>Compares two identities byte for byte.</summary>
    /// <param name="left">The first identity.</param>
    /// <param name="right">The second identity.</param>
    /// <returns><see langword="true"/> when both are null or have the same bytes.</returns>
    public static bool operator ==(IdentityKey? left, IdentityKey? right) =>
        left is null ? right is null : left.Equals(right);

    /// <summary>Compares two identities byte for byte.</summary>
    /// <param name="left">The first identity.</param>
    /// <param name="right">The second identity.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(IdentityKey? left, IdentityKey? right) => !(left == right);

    /// <summary>
    /// Parses and verifies a received identity: the length is 128, the X25519 part passes the peer key
    /// check (canonical, not of small order) and the binding signature verifies. Never throws for
    /// hostile input.
    /// </summary>
    /// <param name="bytes">The 128 bytes as received.</param>
    /// <param name="identity">The identity, when valid.</param>
    /// <param name="failure">Why the identity was refused, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the identity is valid.</returns>
    public static bool TryParse(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out IdentityKey? identity, out E2eChatFailure failure)
    {
        identity = null;
        failure = Verify(bytes);
        if (failure != E2eChatFailure.None)
        {
            return false;
        }

        identity = new IdentityKey(bytes.ToArray());
        return true;
    }

    /// <summary>Parses and verifies a received identity, throwing on invalid input.</summary>
    /// <param name="bytes">The 128 bytes as received.</param>
    /// <returns>The identity.</returns>
    /// <exception cref="E2eChatException">The identity is invalid; <see cref="E2eChatException.Failure"/> is an <see cref="E2eChatFailure"/>.</exception>
    public static IdentityKey Parse(ReadOnlySpan<byte> bytes) =>
        TryParse(bytes, out IdentityKey? identity, out E2eChatFailure failure) ? identity : throw new E2eChatException(failure);

    /// <summary>
    /// Wraps the peer identity of a stored session state, which was verified when the session was
    /// created; not verified again (session records are not authenticated unless sealed, and the
    /// value only serves to compare with the identity trusted for the address).
    /// </summary>
    /// <param name="bytes">128 bytes.</param>
    /// <returns>The identity.</returns>
    internal static IdentityKey FromState(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"Identities are {Length} bytes.", nameof(bytes));
        }

        return new IdentityKey(bytes.ToArray());
    }

    /// <summary>Builds our own identity from its public parts by signing the agreement key.</summary>
    internal static IdentityKey Create(NSec.Cryptography.Key signingKey, ReadOnlySpan<byte> agreementKey)
    {
        byte[] bytes = new byte[Length];
        Ed25519.GetPublicKey(signingKey, bytes.AsSpan(0, SigningKeyLength));
        agreementKey.CopyTo(bytes.AsSpan(SigningKeyLength, AgreementKeyLength));
        Ed25519.Sign(signingKey, ProtocolLabels.IdentityDhKey, agreementKey, bytes.AsSpan(SigningKeyLength + AgreementKeyLength));
        return new IdentityKey(bytes);
    }

    /// <summary>Checks received identity bytes without allocating.</summary>
    internal static E2eChatFailure Verify(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            return E2eChatFailure.InvalidLength;
        }

        ReadOnlySpan<byte> agreementKey = bytes.Slice(SigningKeyLength, AgreementKeyLength);
        if (X25519.ValidatePublicKey(agreementKey) != KeyAgreementFailure.None)
        {
            return E2eChatFailure.InvalidAgreementKey;
        }

        ReadOnlySpan<byte> signature = bytes[(SigningKeyLength + AgreementKeyLength)..];
        if (!Ed25519.Verify(bytes[..SigningKeyLength], ProtocolLabels.IdentityDhKey, agreementKey, signature))
        {
            return E2eChatFailure.BadSignature;
        }

        return E2eChatFailure.None;
    }

    /// <summary>The canonical 128-byte serialization, read-only.</summary>
    /// <returns>A view of the bytes.</returns>
    public ReadOnlySpan<byte> AsSpan() => _bytes;

    /// <summary>The canonical 128-byte serialization.</summary>
    /// <returns>A new array.</returns>
    public byte[] ToBytes() => (byte[])_bytes.Clone();

    /// <summary>Whether both identities have the same 128 bytes.</summary>
    /// <param name="other">The other identity.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public bool Equals(IdentityKey? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as IdentityKey);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    /// <summary>A short, public description: the first bytes of the signing key in hex.</summary>
    /// <returns>A description (public data only).</returns>
    public override string ToString() => $"IdentityKey({Convert.ToHexStringLower(_bytes.AsSpan(0, 8))}…)";
}
