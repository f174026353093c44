using E2eChat.Relay.Server.Api;
using E2eChat.Relay.Server.Accounts;
using E2eChat.Relay.Server.Billing;
using E2eChat.Relay.Server.Keys;
using E2eChat.Relay.Server.Messaging;
using Grpc.AspNetCore.Server.Model;

namespace E2eChat.Relay.Server.Errors;

/// <summary>
/// Declares the relay's service methods, the ones <c>relay.proto</c> declares, each bound to its
/// service by an explicit delegate (no per-service abstract base, no reflection), with request
/// marshallers that turn a request that does not parse into InvalidArgument with
/// <see cref="RelayFailure.MalformedRequest"/> (the generated binding would answer Unknown).
/// Registered for every service by <see cref="Register"/>.
/// </summary>
internal sealed class StrictServiceMethods :
    IServiceMethodProvider<AuthService>,
    IServiceMethodProvider<KeysService>,
    IServiceMethodProvider<MessagingService>,
    IServiceMethodProvider<BillingService>,
    IServiceMethodProvider<AccountsService>
{
    private const string Package = "e2echat.relay.v1.";

    /// <summary>Adds the provider for each service (call after <c>AddGrpc</c>).</summary>
    /// <param name="services">The service collection.</param>
    internal static void Register(IServiceCollection services)
    {
        var methods = new StrictServiceMethods();
        services.AddSingleton<IServiceMethodProvider<AuthService>>(methods);
        services.AddSingleton<IServiceMethodProvider<KeysService>>(methods);
        services.AddSingleton<IServiceMethodProvider<MessagingService>>(methods);
        services.AddSingleton<IServiceMethodProvider<BillingService>>(methods);
        services.AddSingleton<IServiceMethodProvider<AccountsService>>(methods);
    }

    /// <summary>Declares <c>Auth</c>.</summary>
    /// <param name="context">The discovery context.</param>
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<AuthService> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.AddUnaryMethod(Unary<GetChallengeRequest, GetChallengeResponse>("Auth", "GetChallenge"), [], static (service, request, call) => service.GetChallenge(request, call));
        context.AddUnaryMethod(Unary<AuthenticateRequest, AuthenticateResponse>("Auth", "Authenticate"), [], static (service, request, call) => service.Authenticate(request, call));
    }

    /// <summary>Declares <c>Keys</c>.</summary>
    /// <param name="context">The discovery context.</param>
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<KeysService> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.AddUnaryMethod(Unary<PublishPreKeysRequest, PublishPreKeysResponse>("Keys", "PublishPreKeys"), [], static (service, request, call) => service.PublishPreKeys(request, call));
        context.AddUnaryMethod(Unary<FetchBundlesRequest, FetchBundlesResponse>("Keys", "FetchBundles"), [], static (service, request, call) => service.FetchBundles(request, call));
        context.AddUnaryMethod(Unary<GetPreKeyCountRequest, GetPreKeyCountResponse>("Keys", "GetPreKeyCount"), [], static (service, request, call) => service.GetPreKeyCount(request, call));
    }

    /// <summary>Declares <c>Messaging</c>.</summary>
    /// <param name="context">The discovery context.</param>
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<MessagingService> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.AddUnaryMethod(Unary<SendRequest, SendResponse>("Messaging", "Send"), [], static (service, request, call) => service.Send(request, call));
        context.AddUnaryMethod(Unary<PostRequest, PostResponse>("Messaging", "Post"), [], static (service, request, call) => service.Post(request, call));
        context.AddDuplexStreamingMethod(
            new Method<ReceiveRequest, ReceiveResponse>(MethodType.DuplexStreaming, Package + "Messaging", "Receive", Request<ReceiveRequest>(), Response<ReceiveResponse>()),
            [],
            static (service, requests, responses, call) => service.Receive(requests, responses, call));
    }

    /// <summary>Declares <c>Billing</c>.</summary>
    /// <param name="context">The discovery context.</param>
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<BillingService> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.AddUnaryMethod(Unary<GetUsageRequest, GetUsageResponse>("Billing", "GetUsage"), [], static (service, request, call) => service.GetUsage(request, call));
    }

    /// <summary>Declares <c>Accounts</c>.</summary>
    /// <param name="context">The discovery context.</param>
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<AccountsService> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.AddUnaryMethod(Unary<PublishDeviceListRequest, PublishDeviceListResponse>("Accounts", "PublishDeviceList"), [], static (service, request, call) => service.PublishDeviceList(request, call));
        context.AddUnaryMethod(Unary<GetDeviceListRequest, GetDeviceListResponse>("Accounts", "GetDeviceList"), [], static (service, request, call) => service.GetDeviceList(request, call));
        context.AddUnaryMethod(Unary<SubmitConsentRequest, SubmitConsentResponse>("Accounts", "SubmitConsent"), [], static (service, request, call) => service.SubmitConsent(request, call));
        context.AddUnaryMethod(Unary<ResolveContactLinkRequest, ResolveContactLinkResponse>("Accounts", "ResolveContactLink"), [], static (service, request, call) => service.ResolveContactLink(request, call));
    }

    private static Method<TRequest, TResponse> Unary<TRequest, TResponse>(string service, string name)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        new(MethodType.Unary, Package + service, name, Request<TRequest>(), Response<TResponse>());

    private static Marshaller<T> Request<T>()
        where T : class, IMessage<T>, new() =>
        Marshallers.Create<T>(Serialize, context =>
        {
            try
            {
                var message = new T();
                message.MergeFrom(context.PayloadAsReadOnlySequence());
                return message;
            }
            catch (InvalidProtocolBufferException)
            {
                throw RelayErrors.Create(StatusCode.InvalidArgument, RelayFailure.MalformedRequest, $"the request is not a valid {typeof(T).Name}");
            }
        });

    private static Marshaller<T> Response<T>()
        where T : class, IMessage<T>, new() =>
        Marshallers.Create<T>(Serialize, context =>
        {
            var message = new T();
            message.MergeFrom(context.PayloadAsReadOnlySequence());
            return message;
        });

    private static void Serialize<T>(T message, SerializationContext context)
        where T : class, IMessage<T>
    {
        context.SetPayloadLength(message.CalculateSize());
        message.WriteTo(context.GetBufferWriter());
        context.Complete();
    }
}
