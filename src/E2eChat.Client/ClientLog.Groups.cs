using Microsoft.Extensions.Logging;

namespace E2eChat.Client;

/// <content>Log messages of groups and status (event ids from 100): addresses, counts and failure names only.</content>
internal static partial class ClientLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Device {Device} sent its sender key to {Accepted} of {Devices} devices")]
    public static partial void SenderKeyDistributed(ILogger logger, ProtocolAddress device, int accepted, int devices);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Device {Device} posted to {Accepted} of {Devices} audience devices")]
    public static partial void Posted(ILogger logger, ProtocolAddress device, int accepted, int devices);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Device {Device} rotated its sender key for {Group} after a member left")]
    public static partial void SenderKeyRotated(ILogger logger, ProtocolAddress device, DistributionId group);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "Device {Device} dropped an expired post from {Sender}")]
    public static partial void ExpiredPostDropped(ILogger logger, ProtocolAddress device, ProtocolAddress sender);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Device {Device} deleted {Posts} expired status posts and {Keys} expired sender message keys")]
    public static partial void ExpiredPurged(ILogger logger, ProtocolAddress device, int posts, int keys);
}
