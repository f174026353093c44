using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace E2eChat.LoadTest;

internal static class FloorServer
{
    public static async Task<WebApplication> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2);
            k.Limits.Http2.MaxStreamsPerConnection = 20000;
        });
        builder.Services.AddGrpc();

        // gRPC services are transient by default: one instance per call. The floor's queues must be
        // shared by Send and Receive, so the service is one instance (it hung: Send queued into an
        // instance nobody read from).
        builder.Services.AddSingleton<FloorMessagingService>();
        WebApplication app = builder.Build();
        app.MapGrpcService<FloorMessagingService>();
        await app.StartAsync();
        return app;
    }

    public static Uri GetAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
