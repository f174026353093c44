namespace E2eChat.Client;

/// <summary>
/// Something <see cref="ChatDevice.ReceiveAsync"/> reports: a <see cref="MessageReceived"/>,
/// <see cref="GroupMessageReceived"/>, <see cref="StatusReceived"/>, <see cref="SenderKeyReceived"/>,
/// <see cref="ReceiptReceived"/>, <see cref="ContentReceived"/>, <see cref="DeviceListChanged"/>, <see cref="UntrustedIdentityDetected"/>,
/// <see cref="ViolationDetected"/>, <see cref="MessagesDropped"/> or <see cref="QueueCaughtUp"/>.
/// Events never carry keys; message contents only where they are the point (<see cref="MessageReceived"/>),
/// and never in <see cref="object.ToString"/>.
/// </summary>
public abstract class ChatEvent
{
    private protected ChatEvent()
    {
    }
}
