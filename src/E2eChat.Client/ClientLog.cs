using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace E2eChat.Client;

/// <summary>The client's structured log messages: addresses, counts and failure names only, never contents or keys.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Device {Device} opened its state ({Forgotten} old received ids forgotten)")]
    public static partial void Opened(ILogger logger, ProtocolAddress device, int forgotten);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Device {Device} closed")]
    public static partial void Closed(ILogger logger, ProtocolAddress device);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Device {Device} signed in (registered now: {Registered}); token valid until {ExpiresAt:O}")]
    public static partial void SignedIn(ILogger logger, ProtocolAddress device, bool registered, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "The relay calls itself {RelayId}, not the relay configured")]
    public static partial void RelayIdMismatch(ILogger logger, string relayId);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Device {Device} was refused sign-in: {Failure}")]
    public static partial void SignInRefused(ILogger logger, ProtocolAddress device, string failure);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "The relay did not answer after {Attempts} attempts ({Status})")]
    public static partial void RelayUnavailable(ILogger logger, int attempts, StatusCode status);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Device {Device} published {Count} pre-keys (signed pre-key rotated: {Rotated})")]
    public static partial void PreKeysPublished(ILogger logger, ProtocolAddress device, int count, bool rotated);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "Device {Device} started a session with {Peer}")]
    public static partial void SessionStarted(ILogger logger, ProtocolAddress device, ProtocolAddress peer);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "The relay served a bundle for {Peer} that does not verify: {Failure}")]
    public static partial void BundleRefused(ILogger logger, ProtocolAddress peer, E2eChatFailure failure);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Device {Device}: the relay refused a send: {Failure}")]
    public static partial void SendRefused(ILogger logger, ProtocolAddress device, string failure);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Device {Device}: the relay dropped {Count} queued messages (queue full)")]
    public static partial void QueueTrimmed(ILogger logger, ProtocolAddress device, ulong count);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Device {Device}: receive stream re-opening (attempt {Attempt})")]
    public static partial void StreamReconnecting(ILogger logger, ProtocolAddress device, int attempt);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Device {Device}: another receive stream replaced this one")]
    public static partial void StreamReplaced(ILogger logger, ProtocolAddress device);

    [LoggerMessage(EventId = 14, Level = LogLevel.Error, Message = "Device {Device}: the relay refused the receive stream: {Failure}")]
    public static partial void StreamRefused(ILogger logger, ProtocolAddress device, string failure);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning, Message = "Device {Device}: delivery from {Sender} refused: {Failure}")]
    public static partial void Violation(ILogger logger, ProtocolAddress device, ProtocolAddress? sender, E2eChatFailure failure);

    [LoggerMessage(EventId = 16, Level = LogLevel.Debug, Message = "Device {Device}: delivery {Sequence} from {Sender} was received before; not shown again")]
    public static partial void DuplicateIgnored(ILogger logger, ProtocolAddress device, ProtocolAddress sender, ulong sequence);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "The device list of {Account} was refused: {Failure}")]
    public static partial void DeviceListRefused(ILogger logger, string account, string failure);

    [LoggerMessage(EventId = 18, Level = LogLevel.Information, Message = "Device {Device}: consent record {Action} for {Business} submitted; relay answered {Outcome}")]
    public static partial void ConsentSubmitted(ILogger logger, ProtocolAddress device, E2eChat.Wire.ConsentAction action, string business, string outcome);

    [LoggerMessage(EventId = 19, Level = LogLevel.Information, Message = "Device {Device}: a message from {Sender} is {Decision} ({Policy})")]
    public static partial void InboxGate(ILogger logger, ProtocolAddress device, ProtocolAddress sender, InboxDecision decision, E2eChat.Wire.ConsentDecision policy);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Device {Device}: a message from {Sender} committed before a restart is handed over now")]
    public static partial void PendingHandedOver(ILogger logger, ProtocolAddress device, ProtocolAddress sender);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "Device {Device}: the relay refused {Operation}: {Failure}")]
    public static partial void CallRefused(ILogger logger, ProtocolAddress device, string operation, string failure);
}
