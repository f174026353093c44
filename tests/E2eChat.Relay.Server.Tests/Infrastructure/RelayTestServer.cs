using E2eChat.Relay.Server.Hosting;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace E2eChat.Relay.Server.Tests.Infrastructure;

/// <summary>The real relay, in process, on 127.0.0.1 with an ephemeral port, over a SQLite file in a temp directory.</summary>
internal sealed class RelayTestServer : IAsyncDisposable
{
    private WebApplication? _app;

    private RelayTestServer(string dataDirectory, FakeTimeProvider? time)
    {
        DataDirectory = dataDirectory;
        Time = time;
    }

    public string DataDirectory { get; }

    public FakeTimeProvider? Time { get; }

    public GrpcChannel Channel { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public Uri Address => RelayApplication.GetAddress(_app!);

    public static async Task<RelayTestServer> StartAsync(FakeTimeProvider? time = null, Action<IServiceCollection>? services = null, string? dataDirectory = null, params string[] settings)
    {
        var server = new RelayTestServer(dataDirectory ?? TempDirectory.Create(), time);
        await server.StartAppAsync(services, settings);
        return server;
    }

    public async Task RestartAsync(Action<IServiceCollection>? services = null, params string[] settings)
    {
        await StopAppAsync();
        await StartAppAsync(services, settings);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAppAsync();
        TempDirectory.Delete(DataDirectory);
    }

    private async Task StartAppAsync(Action<IServiceCollection>? services, string[] settings)
    {
        string[] args = [$"--Relay:Listen=127.0.0.1:0", $"--Relay:DataDirectory={DataDirectory}", "--Relay:SqliteSynchronous=Normal", "--Logging:LogLevel:Default=Warning", .. settings];
        _app = await RelayApplication.CreateAsync(args, collection =>
        {
            if (Time is not null)
            {
                collection.AddSingleton<TimeProvider>(Time);
            }

            services?.Invoke(collection);
        });
        await _app.StartAsync();
        Channel = GrpcChannel.ForAddress(RelayApplication.GetAddress(_app), new GrpcChannelOptions { MaxReceiveMessageSize = 16 * 1024 * 1024, MaxSendMessageSize = 16 * 1024 * 1024 });
    }

    private async Task StopAppAsync()
    {
        Channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }
}
