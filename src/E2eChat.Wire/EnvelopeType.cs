namespace E2eChat.Wire;

/// <summary>
/// The kind of an envelope (<c>Envelope.type</c> in <c>wire.proto</c>); it names the one content
/// field the envelope carries.
/// </summary>
public enum EnvelopeType
{
    /// <summary>Not a valid type; only seen in a default <see cref="EnvelopeView"/>.</summary>
    Unspecified = 0,

    /// <summary>The first message(s) of a session: a handshake carrying a ratchet message.</summary>
    PreKey = 1,

    /// <summary>A Double Ratchet message of an established session.</summary>
    Ratchet = 2,

    /// <summary>A broadcast or status post encrypted once under a sender key.</summary>
    SenderKey = 3,
}
