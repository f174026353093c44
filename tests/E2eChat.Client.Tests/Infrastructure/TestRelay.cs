using E2eChat.Relay.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace E2eChat.Client.Tests.Infrastructure;

/// <summary>The real relay in process on 127.0.0.1 (a free port), over SQLite in a temporary directory.</summary>
internal sealed class TestRelay : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestRelay(WebApplication app, string dataDirectory)
    {
        _app = app;
        DataDirectory = dataDirectory;
        Address = RelayApplication.GetAddress(app);
    }

    public Uri Address { get; }

    public string DataDirectory { get; }

    public static async Task<TestRelay> StartAsync(TimeProvider? time = null, Action<IServiceCollection>? configure = null)
    {
        string directory = TestDirectory.Create();
        WebApplication app = await RelayApplication.CreateAsync(
            ["--Relay:Listen=127.0.0.1:0", $"--Relay:DataDirectory={directory}", "--Relay:SqliteSynchronous=Normal", "--Logging:LogLevel:Default=Warning"],
            time is null && configure is null ? null : services =>
            {
                if (time is not null)
                {
                    services.AddSingleton(time);
                }

                configure?.Invoke(services);
            });
        await app.StartAsync();
        return new TestRelay(app, directory);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        TestDirectory.Delete(DataDirectory);
    }
}
