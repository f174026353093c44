namespace E2eChat;

/// <summary>
/// The outcome of <see cref="SessionManager.TryDecryptAsync(ProtocolAddress, CiphertextMessage, CancellationToken)"/>:
/// the plaintext, or an <see cref="E2eChatFailure"/> to switch over: a ratchet failure (e.g.
/// <see cref="E2eChatFailure.Duplicate"/>), a handshake failure (a first message that could not start a
/// session, or <see cref="E2eChatFailure.UntrustedIdentity"/> for a session whose peer identity is no
/// longer trusted), a stored record that could not be loaded (e.g. <see cref="E2eChatFailure.Corrupt"/>),
/// <see cref="E2eChatFailure.NoSession"/>, <see cref="E2eChatFailure.WrongRecipient"/> or
/// <see cref="E2eChatFailure.StoreConflict"/>.
/// </summary>
public readonly struct DecryptResult
{
    private DecryptResult(byte[]? plaintext, E2eChatFailure failure)
    {
        Plaintext = plaintext;
        Failure = failure;
    }

    /// <summary>Whether the message decrypted.</summary>
    public bool IsSuccess => Plaintext is not null;

    /// <summary>The plaintext on success, otherwise <see langword="null"/>.</summary>
    public byte[]? Plaintext { get; }

    /// <summary>The failure, or <see cref="E2eChatFailure.None"/> on success.</summary>
    public E2eChatFailure Failure { get; }

    internal static DecryptResult Success(byte[] plaintext) => new(plaintext, E2eChatFailure.None);

    internal static DecryptResult Failed(E2eChatFailure failure) => new(null, failure);

    /// <summary>Names the outcome without the plaintext.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => IsSuccess ? $"Success ({Plaintext!.Length} bytes)" : $"Failure: {Failure}";
}
