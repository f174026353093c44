namespace E2eChat.Ratchet;

/// <summary>
/// Test instrumentation: sees the keys of every message a <see cref="RatchetState"/> encrypts, so
/// tests can prove that no (header key, nonce) pair or message key is ever used twice. Never set
/// outside tests.
/// </summary>
internal interface IRatchetKeyObserver
{
    /// <summary>Called after a message was encrypted, before its keys are wiped.</summary>
    /// <param name="headerKey">The header key the header was encrypted under.</param>
    /// <param name="headerNonce">The header's random 24-byte nonce.</param>
    /// <param name="messageKey">The 32-byte message key.</param>
    /// <param name="plaintext">The plaintext.</param>
    void OnEncrypted(ReadOnlySpan<byte> headerKey, ReadOnlySpan<byte> headerNonce, ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> plaintext);
}
