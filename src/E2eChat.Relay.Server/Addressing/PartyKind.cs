namespace E2eChat.Relay.Server.Addressing;

/// <summary>The kind of account a device belongs to; the values are <c>wire.proto</c>'s <c>AccountKind</c>.</summary>
internal enum PartyKind
{
    /// <summary>Not a valid kind.</summary>
    Unspecified = 0,

    /// <summary>A person (never billed).</summary>
    Person = 1,

    /// <summary>A business (billed for what it sends to others).</summary>
    Business = 2,
}
