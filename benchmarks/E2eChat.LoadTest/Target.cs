using Grpc.Net.Client;

namespace E2eChat.LoadTest;

internal sealed class Target(string name, Uri address, bool authenticate)
{
    public string Name { get; } = name;

    public bool Authenticate { get; } = authenticate;

    public GrpcChannel CreateChannel() => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        MaxReceiveMessageSize = 16 * 1024 * 1024,
    });
}
