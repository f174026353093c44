using System.Security.Cryptography;
using E2eChat.Wire;

namespace E2eChat.Client.Tests.Infrastructure;

/// <summary>Chat devices over one test relay, each with its own state directory and storage key, reopenable as a restarted process would.</summary>
internal sealed class TestDevices : IAsyncDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly TestRelay _relay;
    private readonly string _root = TestDirectory.Create();
    private readonly Dictionary<string, byte[]> _keys = [];
    private readonly List<ChatDevice> _open = [];

    public TestDevices(TestRelay relay)
    {
        _relay = relay;
    }

    public ChatDeviceOptions Options(string account, uint device = 1, AccountKind kind = AccountKind.Person) => new()
    {
        RelayAddress = _relay.Address,
        Account = account,
        DeviceId = device,
        Kind = kind,
        DataDirectory = Path.Combine(_root, $"{account}.{device}"),
        OneTimePreKeyTarget = 5,
        OneTimePreKeyThreshold = 2,
        RetryDelay = TimeSpan.FromMilliseconds(50),
    };

    /// <summary>Opens (or reopens) a device and connects it.</summary>
    public async Task<ChatDevice> OpenAsync(string account, uint device = 1, AccountKind kind = AccountKind.Person, Action<ChatDeviceOptions>? configure = null, TimeProvider? time = null)
    {
        ChatDeviceOptions options = Options(account, device, kind);
        configure?.Invoke(options);
        byte[] key = StorageKey(account, device);
        ChatDevice chat = ChatDevice.Open(options, key, time: time);
        _open.Add(chat);
        await chat.ConnectAsync();
        return chat;
    }

    public byte[] StorageKey(string account, uint device = 1)
    {
        string name = $"{account}.{device}";
        if (!_keys.TryGetValue(name, out byte[]? key))
        {
            key = RandomNumberGenerator.GetBytes(32);
            _keys[name] = key;
        }

        return key;
    }

    /// <summary>Receives until <paramref name="done"/> holds at a caught-up point (so every event before it was acknowledged).</summary>
    public static async Task<List<ChatEvent>> ReceiveUntilAsync(ChatDevice device, Func<List<ChatEvent>, bool> done)
    {
        var events = new List<ChatEvent>();
        using var timeout = new CancellationTokenSource(s_timeout);
        await foreach (ChatEvent item in device.ReceiveAsync(timeout.Token))
        {
            events.Add(item);
            if (item is QueueCaughtUp && done(events))
            {
                return events;
            }
        }

        throw new InvalidOperationException("The event stream ended.");
    }

    /// <summary>Receives until <paramref name="count"/> messages arrived.</summary>
    public static async Task<List<MessageReceived>> ReceiveMessagesAsync(ChatDevice device, int count) =>
        [.. (await ReceiveUntilAsync(device, events => events.OfType<MessageReceived>().Count() >= count)).OfType<MessageReceived>()];

    public async ValueTask DisposeAsync()
    {
        foreach (ChatDevice device in _open)
        {
            await device.DisposeAsync();
        }

        TestDirectory.Delete(_root);
    }
}
