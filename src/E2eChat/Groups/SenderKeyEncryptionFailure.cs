namespace E2eChat.Groups;

/// <summary>Why a post could not be encrypted under a sender key (PROTOCOL.md section 7).</summary>
public enum SenderKeyEncryptionFailure
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>The plaintext is longer than <see cref="ProtocolLimits.MaxPlaintextLength"/> bytes.</summary>
    PlaintextTooLong,

    /// <summary>
    /// The chain has used its last iteration (<see cref="ProtocolLimits.MaxChainCounter"/>); rotate
    /// (<see cref="GroupSender.Rotate"/>) and distribute the new generation.
    /// </summary>
    ChainExhausted,
}
