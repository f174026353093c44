using E2eChat.Client.Tests.Infrastructure;
using E2eChat.Wire;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.DependencyInjection;

namespace E2eChat.Client.Tests;

/// <summary>
/// A relay that fails every call with each gRPC status in turn (with and without a relay failure
/// name): every public operation of the client returns or throws <see cref="E2eChatException"/>, never
/// a transport exception.
/// </summary>
public sealed class ChatDeviceRelayRefusalTests
{
    /// <summary>Every status a relay can answer with except OK.</summary>
    private static readonly StatusCode[] s_codes = [.. Enum.GetValues<StatusCode>().Where(c => c != StatusCode.OK)];

    /// <summary>Relay failure names sent with the statuses in a second pass (ones the client acts on, and one it does not know).</summary>
    private static readonly string[] s_failures = ["TokenExpired", "TooManyPreKeys", "NoPreKeys", "UnknownRecipient", "SomethingNew"];

    [Fact]
    public async Task EveryOperation_RelayFailsWithAnyStatus_TypedFailureOnly()
    {
        var refusal = new Refusal();
        await using TestRelay relay = await StartRelayAsync(refusal);
        await using var devices = new TestDevices(relay);
        Action<ChatDeviceOptions> fewAttempts = options => options.MaxSendAttempts = 2;
        ChatDevice alice = await devices.OpenAsync("alice", configure: fewAttempts);
        ChatDevice bob = await devices.OpenAsync("bob", configure: fewAttempts);
        ChatDevice shop = await devices.OpenAsync("acme-shoes", kind: AccountKind.Business, configure: fewAttempts);
        Assert.True((await alice.SendAsync(shop.Address, AccountKind.Business, "hello")).IsAccepted);

        var operations = new List<(string Name, Func<int, Task> Run)>
        {
            ("ConnectAsync (a new device)", n => devices.OpenAsync($"carol{n}", configure: fewAttempts)),
            ("SendAsync (no session yet)", _ => alice.SendAsync(bob.Address, AccountKind.Person, "hi")),
            ("SendAsync (in a session)", _ => alice.SendAsync(shop.Address, AccountKind.Business, "again")),
            ("GetUsageAsync", _ => shop.GetUsageAsync(DateOnly.FromDateTime(DateTime.UtcNow), DateOnly.FromDateTime(DateTime.UtcNow))),
            ("RefillPreKeysAsync", _ => alice.RefillPreKeysAsync()),
            ("FetchDeviceListAsync", _ => alice.FetchDeviceListAsync(shop.Address.Name)),
            ("BlockAsync", _ => alice.BlockAsync(shop.Address.Name)),
            ("PostStatusAsync", _ => shop.PostStatusAsync([alice.Address.Name], "sale", TimeSpan.FromHours(1))),
            ("ReceiveAsync", _ => ReceiveForAsync(bob, ReceiveFor)),
        };

        var leaks = new List<string>();
        int round = 0;
        foreach (string? failure in s_failures.Prepend(null))
        {
            foreach (StatusCode code in s_codes)
            {
                refusal.Set(code, failure);
                foreach ((string name, Func<int, Task> run) in operations)
                {
                    round++;
                    try
                    {
                        await run(round);
                    }
                    catch (E2eChatException)
                    {
                        // Typed: what the client promises.
                    }
                    catch (OperationCanceledException) when (name == "ReceiveAsync")
                    {
                        // Still reconnecting after a transient refusal when the test stopped it.
                    }
                    catch (Exception e)
                    {
                        leaks.Add($"{name} with {code}/{failure ?? "-"}: {e.GetType().Name}: {e.Message}");
                    }
                }

                refusal.Set(null, null);
            }
        }

        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks));
    }

    [Theory]
    [InlineData(StatusCode.FailedPrecondition, "NoPreKeys", E2eChatFailure.NoPreKeys)]
    [InlineData(StatusCode.NotFound, "UnknownRecipient", E2eChatFailure.NoPreKeys)]
    [InlineData(StatusCode.FailedPrecondition, "SomethingNew", E2eChatFailure.RelayRefused)]
    [InlineData(StatusCode.ResourceExhausted, "TooManyPreKeys", E2eChatFailure.RelayRefused)]
    [InlineData(StatusCode.ResourceExhausted, null, E2eChatFailure.RelayUnavailable)]
    public async Task SendAsync_BundleFetchRefused_FailureByStatusAndName(StatusCode code, string? failure, E2eChatFailure expected)
    {
        var refusal = new Refusal();
        await using TestRelay relay = await StartRelayAsync(refusal);
        await using var devices = new TestDevices(relay);
        ChatDevice alice = await devices.OpenAsync("alice", configure: options => options.MaxSendAttempts = 2);
        ChatDevice bob = await devices.OpenAsync("bob");

        // Alice holds a token and has no session with Bob: the first call is the bundle fetch.
        refusal.Set(code, failure);
        E2eChatException e = await Assert.ThrowsAsync<E2eChatException>(() => alice.SendAsync(bob.Address, AccountKind.Person, "hi"));
        Assert.Equal(expected, e.Failure);
    }

    [Fact]
    public async Task EveryUnaryOperation_CancelledWhileTheRelayWaits_OperationCanceled()
    {
        var refusal = new Refusal();
        await using TestRelay relay = await StartRelayAsync(refusal);
        await using var devices = new TestDevices(relay);
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice bob = await devices.OpenAsync("bob");
        ChatDevice shop = await devices.OpenAsync("acme-shoes", kind: AccountKind.Business);
        var operations = new List<(string Name, Func<CancellationToken, Task> Run)>
        {
            ("SendAsync (no session yet)", token => alice.SendAsync(bob.Address, AccountKind.Person, "hi", cancellationToken: token)),
            ("GetUsageAsync", token => shop.GetUsageAsync(DateOnly.FromDateTime(DateTime.UtcNow), DateOnly.FromDateTime(DateTime.UtcNow), token)),
            ("RefillPreKeysAsync", token => alice.RefillPreKeysAsync(token)),
            ("FetchDeviceListAsync", token => alice.FetchDeviceListAsync(shop.Address.Name, token)),
        };

        // The relay holds every call until the client gives up: a cancellation is no relay refusal.
        refusal.HoldCalls = true;
        var wrong = new List<string>();
        foreach ((string name, Func<CancellationToken, Task> run) in operations)
        {
            using var cancel = new CancellationTokenSource(CancelAfter);
            try
            {
                await run(cancel.Token);
                wrong.Add($"{name}: completed");
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                wrong.Add($"{name}: {e.GetType().Name}: {e.Message}");
            }
        }

        refusal.HoldCalls = false;
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    /// <summary>When the cancellation test cancels its calls (they are held at the relay meanwhile).</summary>
    private static readonly TimeSpan CancelAfter = TimeSpan.FromMilliseconds(200);

    /// <summary>The real relay, every call of which passes <paramref name="refusal"/> first.</summary>
    private static Task<TestRelay> StartRelayAsync(Refusal refusal) =>
        TestRelay.StartAsync(configure: services =>
        {
            services.AddSingleton(refusal);
            services.Configure<GrpcServiceOptions>(options => options.Interceptors.Add<RefusingInterceptor>());
        });

    /// <summary>How long the receive operation runs before the test stops it (a transient refusal makes it reconnect until then).</summary>
    private static readonly TimeSpan ReceiveFor = TimeSpan.FromMilliseconds(300);

    private static async Task ReceiveForAsync(ChatDevice device, TimeSpan duration)
    {
        using var stop = new CancellationTokenSource(duration);
        await foreach (ChatEvent _ in device.ReceiveAsync(stop.Token))
        {
        }
    }

    /// <summary>The status every call fails with while set; or every call held until its caller cancels.</summary>
    private sealed class Refusal
    {
        private volatile Tuple<StatusCode, string?>? _current;

        public volatile bool HoldCalls;

        public void Set(StatusCode? code, string? failure) => _current = code is { } c ? Tuple.Create(c, failure) : null;

        public void ThrowIfSet()
        {
            if (_current is { } current)
            {
                var trailers = new Metadata();
                if (current.Item2 is { } name)
                {
                    trailers.Add("e2echat-failure", name);
                }

                throw new RpcException(new Status(current.Item1, "refused by the test"), trailers);
            }
        }
    }

    private sealed class RefusingInterceptor(Refusal refusal) : Interceptor
    {
        public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            refusal.ThrowIfSet();
            if (refusal.HoldCalls)
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }

            return await continuation(request, context);
        }

        public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
        {
            refusal.ThrowIfSet();
            return continuation(requestStream, responseStream, context);
        }
    }
}
