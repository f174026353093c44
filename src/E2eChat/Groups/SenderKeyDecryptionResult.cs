using System.Diagnostics.CodeAnalysis;

namespace E2eChat;

/// <summary>The outcome of <see cref="GroupReceiver.TryDecryptAsync"/>: the plaintext, or why the post was refused.</summary>
public readonly struct SenderKeyDecryptionResult : IEquatable<SenderKeyDecryptionResult>
{
    private SenderKeyDecryptionResult(byte[]? plaintext, E2eChatFailure failure)
    {
        Plaintext = plaintext;
        Failure = failure;
    }

    /// <summary>The plaintext on success, otherwise <see langword="null"/>.</summary>
    public byte[]? Plaintext { get; }

    /// <summary>Why the post was refused, or <see cref="E2eChatFailure.None"/>.</summary>
    public E2eChatFailure Failure { get; }

    /// <summary>Whether the post decrypted.</summary>
    [MemberNotNullWhen(true, nameof(Plaintext))]
    public bool Succeeded => Plaintext is not null;

    /// <summary>Whether two results are equal (same failure, same plaintext array).</summary>
    /// <param name="left">The first result.</param>
    /// <param name="right">The second result.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool operator ==(SenderKeyDecryptionResult left, SenderKeyDecryptionResult right) => left.Equals(right);

    /// <summary>Whether two results differ.</summary>
    /// <param name="left">The first result.</param>
    /// <param name="right">The second result.</param>
    /// <returns><see langword="true"/> when not equal.</returns>
    public static bool operator !=(SenderKeyDecryptionResult left, SenderKeyDecryptionResult right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(SenderKeyDecryptionResult other) => Failure == other.Failure && ReferenceEquals(Plaintext, other.Plaintext);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SenderKeyDecryptionResult other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Failure, Plaintext);

    /// <summary>Describes the outcome without the plaintext.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => Succeeded ? $"Decrypted ({Plaintext.Length} bytes)" : $"Failed: {Failure}";

    /// <summary>A successful result.</summary>
    internal static SenderKeyDecryptionResult Success(byte[] plaintext) => new(plaintext, E2eChatFailure.None);

    /// <summary>A failed result.</summary>
    internal static SenderKeyDecryptionResult Failed(E2eChatFailure failure) => new(null, failure);
}
