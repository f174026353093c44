using E2eChat.Relay.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace E2eChat.Demo;

/// <summary>The reference relay, started in process on 127.0.0.1 (a free port) over SQLite in a directory of the demo's.</summary>
internal sealed class DemoRelay : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DemoRelay(WebApplication app, string dataDirectory)
    {
        _app = app;
        DataDirectory = dataDirectory;
        Address = RelayApplication.GetAddress(app);
    }

    /// <summary>Where the relay listens.</summary>
    internal Uri Address { get; }

    /// <summary>Where its SQLite files are.</summary>
    internal string DataDirectory { get; }

    /// <summary>Starts the relay with the demo's rate card on the demo's clock; logs only warnings.</summary>
    internal static async Task<DemoRelay> StartAsync(string dataDirectory, TimeProvider time)
    {
        WebApplication app = await RelayApplication.CreateAsync(
        [
            "--Relay:Listen=127.0.0.1:0",
            $"--Relay:DataDirectory={dataDirectory}",
            "--Relay:Currency=USD",
            "--Relay:RateCard:SERVICE=0",
            "--Relay:RateCard:UTILITY=4000",
            "--Relay:RateCard:MARKETING=25000",
            "--Relay:RateCard:AUTHENTICATION=3500",
            "--Logging:LogLevel:Default=Warning",
        ],
        services => services.AddSingleton(time)).ConfigureAwait(false);
        await app.StartAsync().ConfigureAwait(false);
        return new DemoRelay(app, dataDirectory);
    }

    /// <summary>Every byte of the relay's database files (the database, its WAL and shared memory), read while it runs.</summary>
    internal IReadOnlyList<(string Name, byte[] Bytes)> ReadFiles()
    {
        var files = new List<(string, byte[])>();
        foreach (string path in Directory.GetFiles(DataDirectory).Order(StringComparer.Ordinal))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files.Add((Path.GetFileName(path), copy.ToArray()));
        }

        return files;
    }

    /// <summary>Stops the relay.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
