namespace E2eChat.Ratchet;

/// <summary>Why a Double Ratchet message could not be encrypted (PROTOCOL.md section 5.4).</summary>
public enum EncryptionFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>
    /// The session has no sending chain yet: a responder must receive a message before it can send.
    /// </summary>
    NotReady,

    /// <summary>The plaintext is longer than <see cref="ProtocolLimits.MaxPlaintextLength"/> bytes.</summary>
    PlaintextTooLong,

    /// <summary>
    /// The sending chain has used its last counter (<see cref="ProtocolLimits.MaxChainCounter"/>);
    /// a new chain starts when the peer replies.
    /// </summary>
    ChainExhausted,
}
