using BenchmarkDotNet.Attributes;
using E2eChat.Wire;

namespace E2eChat.Benchmarks;

/// <summary>
/// A customer's 100-byte message to a business with 1, 4 and 16 devices: the library's fan-out (list
/// lookups, content encoding and one session encryption per device, PROTOCOL.md section 14.4) against
/// the sum of the same single-device encryptions done by hand. Sessions are established in setup.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet generates a class derived from it.</remarks>
[MemoryDiagnoser]
public class FanOutBenchmarks : IDisposable
{
    private const string Shop = "acme-shoes";
    private readonly List<IDisposable> _owned = [];
    private readonly ApplicationMessage _message = new(new byte[100]);
    private ProtocolAddress[] _devices = [];
    private SessionManager? _customer;
    private FanOut? _fanOut;
    private byte[] _plaintext = [];

    /// <summary>The number of business devices.</summary>
    [Params(1, 4, 16)]
    public int Devices { get; set; }

    /// <summary>Creates the business devices, both device lists and the customer's sessions.</summary>
    [GlobalSetup]
    public void Setup() => SetupAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The library: one call for every device of the account's current list.</summary>
    /// <returns>The number of messages.</returns>
    [Benchmark]
    public async Task<int> FanOutToAccount()
    {
        FanOutResult result = await _fanOut!.SendAsync(Shop, _message).ConfigureAwait(false);
        return result.IsSuccess ? result.Messages.Count : throw new InvalidOperationException(result.Failure.ToString());
    }

    /// <summary>The same content encrypted device by device (the baseline: the fan-out's overhead is the difference).</summary>
    /// <returns>The number of messages.</returns>
    [Benchmark(Baseline = true)]
    public async Task<int> SumOfSingleEncrypts()
    {
        foreach (ProtocolAddress device in _devices)
        {
            _ = await _customer!.EncryptAsync(device, _plaintext).ConfigureAwait(false);
        }

        return _devices.Length;
    }

    /// <summary>Disposes the keys and managers.</summary>
    public void Dispose()
    {
        foreach (IDisposable owned in _owned)
        {
            owned.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    private async ValueTask SetupAsync()
    {
        using var shopKey = AccountKeyPair.Generate();
        using var customerKey = AccountKeyPair.Generate();
        var bundles = new Dictionary<ProtocolAddress, PreKeyGenerator>();
        var entries = new List<DeviceEntry>();
        _devices = [.. Enumerable.Range(1, Devices).Select(i => new ProtocolAddress(Shop, (uint)i))];
        foreach (ProtocolAddress device in _devices)
        {
            var identity = IdentityKeyPair.Generate();
            _owned.Add(identity);
            ProtocolStores stores = ProtocolStores.CreateInMemory(identity);
            PreKeyGenerator generator = await stores.CreatePreKeyGeneratorAsync().ConfigureAwait(false);
            await generator.GenerateAsync(oneTimeCount: 1).ConfigureAwait(false);
            bundles[device] = generator;
            entries.Add(new DeviceEntry(device.DeviceId, identity.PublicKey, $"Agent {device.DeviceId}", DeviceRole.Agent));
        }

        var customerIdentity = IdentityKeyPair.Generate();
        _owned.Add(customerIdentity);
        ProtocolStores customerStores = ProtocolStores.CreateInMemory(customerIdentity);
        var customerAddress = new ProtocolAddress("alice", 1);
        _customer = new SessionManager(customerStores, customerAddress);
        _owned.Add(_customer);
        var directory = new AccountDirectory(new InMemoryAccountStore(), customerStores.Identities);
        await directory.ApplyAsync(Shop, SignedDeviceList.Sign(shopKey, new DeviceList(Shop, AccountKind.Business, 1, 1, entries)).ToBytes()).ConfigureAwait(false);
        await directory.ApplyAsync("alice", SignedDeviceList.Sign(customerKey, new DeviceList("alice", AccountKind.Person, 1, 1, [new DeviceEntry(1, customerIdentity.PublicKey, "phone", DeviceRole.Agent)])).ToBytes()).ConfigureAwait(false);
        _fanOut = new FanOut(_customer, directory, customerAddress, async (address, ct) => await bundles[address].CreateBundleAsync(ct).ConfigureAwait(false));
        _plaintext = Content.FromMessage(_message).ToBytes();
        _ = await FanOutToAccount().ConfigureAwait(false);
    }
}
