namespace E2eChat;

/// <summary>
/// The key a sender-key record is stored under (<see cref="ISenderKeyStore"/>): the sending
/// device and the distribution id of its audience.
/// </summary>
/// <param name="Sender">The device that sends the posts.</param>
/// <param name="DistributionId">The audience's distribution id.</param>
public readonly record struct SenderKeyName(ProtocolAddress Sender, DistributionId DistributionId)
{
    /// <summary>Formats as <c>name.device/distribution-id</c>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => $"{Sender}/{DistributionId}";
}
