using E2eChat.Client.Tests.Infrastructure;
using E2eChat.Wire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace E2eChat.Client.Tests;

/// <summary>The container registration: options, logger and clock from the container, disposed with it.</summary>
public sealed class ClientServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddE2eChatClient_Resolved_OpensConfiguredDeviceThatConnects()
    {
        await using TestRelay relay = await TestRelay.StartAsync();
        string directory = TestDirectory.Create();
        var clock = new OffsetClock();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddE2eChatClient(
            options =>
            {
                options.RelayAddress = relay.Address;
                options.Account = "acme-shoes";
                options.DeviceId = 3;
                options.Kind = AccountKind.Business;
                options.DataDirectory = directory;
                options.OneTimePreKeyTarget = 5;
                options.OneTimePreKeyThreshold = 2;
            },
            _ => new byte[32]);
        try
        {
            await using (ServiceProvider provider = services.BuildServiceProvider())
            {
                ChatDevice device = provider.GetRequiredService<ChatDevice>();
                Assert.Same(device, provider.GetRequiredService<ChatDevice>());
                Assert.Equal("acme-shoes.3", device.Address.ToString());
                Assert.Equal(AccountKind.Business, device.Kind);
                Assert.NotNull(device.Proofs);
                await device.ConnectAsync();
            }

            // Disposed with the container: the state files are closed and the device reopens.
            Assert.True(File.Exists(Path.Combine(directory, ChatDevice.ProtocolStoreFileName)));
        }
        finally
        {
            TestDirectory.Delete(directory);
        }
    }

    [Fact]
    public void AddE2eChatClient_InvalidOptions_ThrowsOnResolve()
    {
        var services = new ServiceCollection();
        services.AddE2eChatClient(options => options.Account = "Not Valid", _ => new byte[32]);
        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.Throws<ArgumentException>(() => provider.GetRequiredService<ChatDevice>());
    }
}
