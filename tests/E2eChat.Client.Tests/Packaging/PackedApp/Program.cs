// The tiny app PackedPackagesTests builds against the PACKED E2eChat packages (PackageReference to
// E2eChat.Client from a local folder, never a project reference): a customer and a business, each a
// ChatDevice with its SQLite state, exchange messages over the relay at args[0]. Exit code 0 only if
// both sides read the other's message.
using E2eChat;
using E2eChat.Client;
using E2eChat.Wire;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: PackedApp <relay address> <data directory>");
    return 2;
}

var relay = new Uri(args[0]);
string data = args[1];
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
try
{
    await using ChatDevice customer = await OpenAsync("alice", AccountKind.Person);
    await using ChatDevice shop = await OpenAsync("acme-shoes", AccountKind.Business);

    SendResult asked = await customer.SendAsync(shop.Address, AccountKind.Business, "Where is my order?", cancellationToken: timeout.Token);
    Require(asked.IsAccepted, $"the customer's message was not accepted: {asked.Status}");
    MessageReceived question = await NextMessageAsync(shop);
    Require(question.Text == "Where is my order?" && question.Sender == customer.Address, "the business did not read the customer's message");
    Console.WriteLine($"business read: {question.Text}");

    SendResult answered = await shop.SendAsync(customer.Address, AccountKind.Person, "It ships today.", Category.Service, timeout.Token);
    Require(answered.IsAccepted, $"the business's answer was not accepted: {answered.Status}");
    MessageReceived answer = await NextMessageAsync(customer);
    Require(answer.Text == "It ships today." && answer.Sender == shop.Address && answer.Category == Category.Service, "the customer did not read the business's answer");
    Console.WriteLine($"customer read: {answer.Text}");
    Console.WriteLine("PACKED-APP-OK");
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine($"FAILED: {e}");
    return 1;
}

async Task<ChatDevice> OpenAsync(string account, AccountKind kind)
{
    ChatDevice device = ChatDevice.Open(
        new ChatDeviceOptions { RelayAddress = relay, Account = account, Kind = kind, DataDirectory = Path.Combine(data, account), OneTimePreKeyTarget = 5, OneTimePreKeyThreshold = 2 },
        System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    await device.ConnectAsync(timeout.Token);
    return device;
}

async Task<MessageReceived> NextMessageAsync(ChatDevice device)
{
    await foreach (ChatEvent item in device.ReceiveAsync(timeout.Token))
    {
        if (item is MessageReceived message)
        {
            return message;
        }
    }

    throw new InvalidOperationException($"{device}: the event stream ended without a message");
}

static void Require(bool condition, string failure)
{
    if (!condition)
    {
        throw new InvalidOperationException(failure);
    }
}
