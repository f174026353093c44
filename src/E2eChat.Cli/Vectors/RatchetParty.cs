namespace E2eChat.Cli.Vectors;

/// <summary>The two parties of a ratchet transcript.</summary>
internal enum RatchetParty
{
    /// <summary>The initiator.</summary>
    Alice,

    /// <summary>The responder.</summary>
    Bob,
}
