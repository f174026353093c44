namespace E2eChat.Sessions;

/// <summary>
/// The outcome of <see cref="SessionManager.TryDecryptAsync"/>: the plaintext, or a typed failure
/// that is a <see cref="Ratchet.DecryptionFailure"/>, a <see cref="Handshake.HandshakeFailure"/>
/// (for a first message that could not start a session) or a <see cref="StateFailure"/> (stored
/// state that could not be loaded).
/// </summary>
public readonly struct DecryptResult
{
    private DecryptResult(byte[]? plaintext, Enum? failure)
    {
        Plaintext = plaintext;
        Failure = failure;
    }

    /// <summary>Whether the message decrypted.</summary>
    public bool IsSuccess => Plaintext is not null;

    /// <summary>The plaintext on success, otherwise <see langword="null"/>.</summary>
    public byte[]? Plaintext { get; }

    /// <summary>The failure, or <see langword="null"/> on success.</summary>
    public Enum? Failure { get; }

    internal static DecryptResult Success(byte[] plaintext) => new(plaintext, null);

    internal static DecryptResult Failed(Enum failure) => new(null, failure);

    /// <summary>Names the outcome without the plaintext.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => IsSuccess ? $"Success ({Plaintext!.Length} bytes)" : $"Failure: {Failure}";
}
