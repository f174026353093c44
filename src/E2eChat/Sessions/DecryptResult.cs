namespace E2eChat.Sessions;

/// <summary>
/// The outcome of <see cref="SessionManager.TryDecryptAsync(ProtocolAddress, Envelopes.CiphertextMessage, CancellationToken)"/>:
/// the plaintext, or a typed failure that is a <see cref="Ratchet.DecryptionFailure"/>, a
/// <see cref="Handshake.HandshakeFailure"/> (a first message that could not start a session, or
/// <see cref="Handshake.HandshakeFailure.UntrustedIdentity"/> for a session whose peer identity is no
/// longer trusted), a <see cref="StateFailure"/> (a stored record that could not be loaded) or a
/// <see cref="SessionManagerFailure"/> (<see cref="SessionManagerFailure.WrongRecipient"/>,
/// <see cref="SessionManagerFailure.StoreConflict"/>).
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
