using Grpc.Net.Client;

namespace E2eChat.Relay.Server.Tests.Infrastructure;

/// <summary>A channel to a relay that may be replaced (a restarted server process listens on a new port).</summary>
internal sealed class GrpcChannelHolder(GrpcChannel channel)
{
    public GrpcChannel Channel { get; set; } = channel;
}
