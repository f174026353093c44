using E2eChat.Client.Tests.Infrastructure;
using E2eChat.Wire;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.DependencyInjection;

namespace E2eChat.Client.Tests;

/// <summary>A relay that answers a send with the wrong number of results: the client fails the envelopes, typed, and does not throw.</summary>
public sealed class ChatDeviceHostileRelayTests
{
    [Fact]
    public async Task SendAsync_RelayAnswersWithoutResults_FailsTypedWithoutThrowing()
    {
        await using TestRelay relay = await TestRelay.StartAsync(configure: services =>
            services.Configure<GrpcServiceOptions>(options => options.Interceptors.Add<DroppingResultsInterceptor>()));
        await using var devices = new TestDevices(relay);
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice shop = await devices.OpenAsync("acme-shoes", kind: AccountKind.Business);

        SendResult sent = await alice.SendAsync(shop.Address, AccountKind.Business, "Where is my order?");

        Assert.Equal(SendStatus.Failed, sent.Status);
        Assert.Equal("MalformedRelayAnswer", sent.Reason);
        Assert.Equal(1, sent.Attempts);
    }

    /// <summary>Answers every <c>Send</c> with no per-envelope results, as a broken or hostile relay could.</summary>
    private sealed class DroppingResultsInterceptor : Interceptor
    {
        public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            TResponse response = await continuation(request, context);
            // By descriptor: the relay's and the client's generated types share a name in two assemblies.
            if (response is IMessage message && message.Descriptor.FullName == "e2echat.relay.v1.SendResponse")
            {
                message.Descriptor.FindFieldByName("results").Accessor.Clear(message);
            }

            return response;
        }
    }
}
