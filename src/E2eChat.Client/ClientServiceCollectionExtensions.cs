using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace E2eChat.Client;

/// <summary>Registers a <see cref="ChatDevice"/> in an app's service container.</summary>
public static class ClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="ChatDevice"/> as a singleton, configured through
    /// <see cref="IOptions{TOptions}"/> of <see cref="ChatDeviceOptions"/> (validated when the device is first
    /// resolved), logging to the container's <see cref="ILogger{TCategoryName}"/> and using its
    /// <see cref="TimeProvider"/> when one is registered. The device is opened on first resolution (not
    /// connected: call <see cref="ChatDevice.ConnectAsync"/>) and disposed with the container.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options (relay address, account, device, data directory...).</param>
    /// <param name="storageKey">Returns the 32-byte storage key (from the platform's key store); called once.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddE2eChatClient(this IServiceCollection services, Action<ChatDeviceOptions> configure, Func<IServiceProvider, byte[]> storageKey)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(storageKey);
        services.AddOptions<ChatDeviceOptions>().Configure(configure);
        services.AddSingleton(provider =>
        {
            byte[] key = storageKey(provider);
            try
            {
                return ChatDevice.Open(
                    provider.GetRequiredService<IOptions<ChatDeviceOptions>>().Value,
                    key,
                    provider.GetService<ILogger<ChatDevice>>(),
                    provider.GetService<TimeProvider>());
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
            }
        });
        return services;
    }
}
