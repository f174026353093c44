using E2eChat.Client.Tests.Infrastructure;
using E2eChat.Wire;
using Google.Protobuf;
using Google.Protobuf.Reflection;
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

    [Fact]
    public async Task ReceiveAsync_RelaySendsADeliveryBeyondTheClientsLimit_RelayRefusedNotReconnectingForever()
    {
        await using TestRelay relay = await StartOversizingRelayAsync(new OversizedStreams(int.MaxValue));
        await using var devices = new TestDevices(relay);
        ChatDevice bob = await devices.OpenAsync("bob");

        // Every stream starts with a delivery one byte over the client's message limit: reopening
        // would bring it again, so after as many streams as a call is tried the client stops with a
        // typed refusal instead of retrying forever.
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        E2eChatException e = await Assert.ThrowsAsync<E2eChatException>(() => ReceiveForAsync(bob, Timeout.InfiniteTimeSpan, bound.Token));
        Assert.Equal(E2eChatFailure.RelayRefused, e.Failure);
    }

    [Fact]
    public async Task Operations_RelayAnswersWithOutOfRangeNumbers_TypedOrHandled()
    {
        var answers = new Answers();
        await using TestRelay relay = await TestRelay.StartAsync(configure: services =>
        {
            services.AddSingleton(answers);
            services.Configure<GrpcServiceOptions>(options => options.Interceptors.Add<ExtremeNumbersInterceptor>());
        });
        await using var devices = new TestDevices(relay);
        ChatDevice alice = await devices.OpenAsync("alice", configure: options => options.MaxSendAttempts = 2);
        ChatDevice shop = await devices.OpenAsync("acme-shoes", kind: AccountKind.Business);
        Assert.True((await alice.SendAsync(shop.Address, AccountKind.Business, "hello")).IsAccepted);
        answers.Extreme = true;
        var leaks = new List<string>();

        // A token that expires beyond any date, a rate limit that lifts never, a bill for a day beyond any calendar.
        foreach ((string name, Func<Task> run) in new (string, Func<Task>)[]
        {
            ("ConnectAsync (token expiry)", () => devices.OpenAsync("carol")),
            ("SendAsync (retry after)", async () =>
            {
                // Rate limited at every attempt: it waits at most the client's longest delay, then reports it.
                SendResult sent = await alice.SendAsync(shop.Address, AccountKind.Business, "again");
                if (sent.Status != SendStatus.Failed || sent.Reason != "RateLimited" || sent.Attempts != 2)
                {
                    leaks.Add($"SendAsync (retry after): {sent.Status} {sent.Reason} after {sent.Attempts}");
                }
            }),
            ("GetUsageAsync (day)", () => shop.GetUsageAsync(DateOnly.FromDateTime(DateTime.UtcNow), DateOnly.FromDateTime(DateTime.UtcNow))),
        })
        {
            try
            {
                await run();
            }
            catch (E2eChatException)
            {
            }
            catch (Exception e)
            {
                leaks.Add($"{name}: {e.GetType().Name}: {e.Message}");
            }
        }

        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks));
    }

    [Fact]
    public async Task ReceiveAsync_OneStreamEndsResourceExhausted_OpenedAgainAndReceives()
    {
        await using TestRelay relay = await StartOversizingRelayAsync(new OversizedStreams(1));
        await using var devices = new TestDevices(relay);
        ChatDevice alice = await devices.OpenAsync("alice");
        ChatDevice bob = await devices.OpenAsync("bob");
        Assert.True((await alice.SendAsync(bob.Address, AccountKind.Person, "hello")).IsAccepted);

        // Once is the transport's overload answer as far as the client can tell: it opens the stream again.
        Assert.Equal("hello", Assert.Single(await TestDevices.ReceiveMessagesAsync(bob, 1)).Text);
    }

    /// <summary>The real relay, whose first receive streams (as many as <paramref name="streams"/> holds) start with an oversized delivery.</summary>
    private static Task<TestRelay> StartOversizingRelayAsync(OversizedStreams streams) =>
        TestRelay.StartAsync(configure: services =>
        {
            services.AddSingleton(streams);
            services.Configure<GrpcServiceOptions>(options =>
            {
                options.MaxSendMessageSize = null;
                options.Interceptors.Add<OversizedDeliveryInterceptor>();
            });
        });

    /// <summary>The real relay, every call of which passes <paramref name="refusal"/> first.</summary>
    private static Task<TestRelay> StartRelayAsync(Refusal refusal) =>
        TestRelay.StartAsync(configure: services =>
        {
            services.AddSingleton(refusal);
            services.Configure<GrpcServiceOptions>(options => options.Interceptors.Add<RefusingInterceptor>());
        });

    /// <summary>How long the receive operation runs before the test stops it (a transient refusal makes it reconnect until then).</summary>
    private static readonly TimeSpan ReceiveFor = TimeSpan.FromMilliseconds(300);

    private static async Task ReceiveForAsync(ChatDevice device, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
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
                    trailers.Add(E2eChat.Relay.Server.Errors.RelayErrors.FailureTrailer, name);
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

    /// <summary>How many receive streams still start with an oversized delivery.</summary>
    private sealed class OversizedStreams(int remaining)
    {
        private int _remaining = remaining;

        public bool TakeOne() => Interlocked.Decrement(ref _remaining) >= 0;
    }

    /// <summary>Starts receive streams with a delivery one byte beyond the client's message limit, as a hostile relay could.</summary>
    private sealed class OversizedDeliveryInterceptor(OversizedStreams streams) : Interceptor
    {
        public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
            continuation(requestStream, streams.TakeOne() ? new OversizedFirst<TResponse>(responseStream) : responseStream, context);
    }

    /// <summary>A receive response (by descriptor: the relay's and the client's generated types share a name) whose delivery is one byte beyond the client's limit.</summary>
    private static IMessage Oversized(MessageDescriptor responseType)
    {
        FieldDescriptor deliveryField = responseType.FindFieldByName("delivery");
        var delivery = (IMessage)Activator.CreateInstance(deliveryField.MessageType.ClrType)!;
        deliveryField.MessageType.FindFieldByName("sequence").Accessor.SetValue(delivery, 1UL);
        deliveryField.MessageType.FindFieldByName("envelope").Accessor.SetValue(delivery, ByteString.CopyFrom(new byte[ClientLimits.MaxRelayMessageBytes + 1]));
        var response = (IMessage)Activator.CreateInstance(responseType.ClrType)!;
        deliveryField.Accessor.SetValue(response, delivery);
        return response;
    }

    /// <summary>Writes an oversized delivery before the first response, then passes everything on.</summary>
    private sealed class OversizedFirst<TResponse>(IServerStreamWriter<TResponse> inner) : IServerStreamWriter<TResponse>
    {
        private bool _sent;

        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(TResponse message) => WriteAsync(message, CancellationToken.None);

        public async Task WriteAsync(TResponse message, CancellationToken cancellationToken)
        {
            if (!_sent && message is IMessage response && response.Descriptor.FullName == "e2echat.relay.v1.ReceiveResponse")
            {
                _sent = true;
                WriteOptions? options = inner.WriteOptions;
                inner.WriteOptions = new WriteOptions();
                await inner.WriteAsync((TResponse)Oversized(response.Descriptor), cancellationToken);
                inner.WriteOptions = options;
            }

            await inner.WriteAsync(message, cancellationToken);
        }
    }

    /// <summary>Whether the relay's answers carry extreme numbers.</summary>
    private sealed class Answers
    {
        public volatile bool Extreme;
    }

    /// <summary>While set, answers with the largest numbers the fields hold (by descriptor: the relay's and the client's generated types share names).</summary>
    private sealed class ExtremeNumbersInterceptor(Answers answers) : Interceptor
    {
        public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            TResponse response = await continuation(request, context);
            if (answers.Extreme && response is IMessage message)
            {
                switch (message.Descriptor.FullName)
                {
                    case "e2echat.relay.v1.AuthenticateResponse":
                        message.Descriptor.FindFieldByName("expires_at_ms").Accessor.SetValue(message, (ulong)long.MaxValue);
                        break;
                    case "e2echat.relay.v1.SendResponse":
                        foreach (IMessage result in (System.Collections.IList)message.Descriptor.FindFieldByName("results").Accessor.GetValue(message))
                        {
                            FieldDescriptor status = result.Descriptor.FindFieldByName("status");
                            status.Accessor.SetValue(result, Enum.ToObject(status.EnumType.ClrType, status.EnumType.FindValueByName("ENVELOPE_STATUS_RATE_LIMITED").Number));
                            result.Descriptor.FindFieldByName("retry_after_ms").Accessor.SetValue(result, ulong.MaxValue);
                        }

                        break;
                    case "e2echat.relay.v1.GetUsageResponse":
                        MessageDescriptor row = message.Descriptor.FindFieldByName("rows").MessageType;
                        var extreme = (IMessage)Activator.CreateInstance(row.ClrType)!;
                        row.FindFieldByName("day").Accessor.SetValue(extreme, uint.MaxValue);
                        row.FindFieldByName("category").Accessor.SetValue(extreme, "SERVICE");
                        ((System.Collections.IList)message.Descriptor.FindFieldByName("rows").Accessor.GetValue(message)).Add(extreme);
                        break;
                }
            }

            return response;
        }
    }
}
