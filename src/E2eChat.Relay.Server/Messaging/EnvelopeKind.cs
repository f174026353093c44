namespace E2eChat.Relay.Server.Messaging;

/// <summary>An envelope's type (<c>wire.proto</c>'s <c>EnvelopeType</c> values).</summary>
internal enum EnvelopeKind
{
    /// <summary>Not a valid type.</summary>
    Unspecified = 0,

    /// <summary>Starts a session.</summary>
    PreKey = 1,

    /// <summary>A message of an established session.</summary>
    Ratchet = 2,

    /// <summary>A sender-key post or broadcast.</summary>
    SenderKey = 3,
}
