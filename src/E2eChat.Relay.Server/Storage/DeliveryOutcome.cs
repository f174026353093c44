namespace E2eChat.Relay.Server.Storage;

/// <summary>What the store did for one recipient device of a <see cref="MessageToStore"/>.</summary>
internal enum DeliveryOutcome
{
    /// <summary>Queued now.</summary>
    Stored,

    /// <summary>The same (recipient device, message id) was queued before; nothing changed.</summary>
    Duplicate,

    /// <summary>The device is not registered; nothing queued for it.</summary>
    UnknownRecipient,
}
