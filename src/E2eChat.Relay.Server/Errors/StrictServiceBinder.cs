using E2eChat.Relay.Server.Accounts;
using E2eChat.Relay.Server.Api;
using E2eChat.Relay.Server.Auth;
using E2eChat.Relay.Server.Billing;
using E2eChat.Relay.Server.Keys;
using E2eChat.Relay.Server.Messaging;
using Google.Protobuf;
using Grpc.Core;

namespace E2eChat.Relay.Server.Errors;

/// <summary>
/// Binds the relay's services with request marshallers that turn a request that does not parse into
/// InvalidArgument with <see cref="RelayFailure.MalformedRequest"/> (the generated binding would answer
/// Unknown). The methods are the ones <c>relay.proto</c> declares; the services name this binder with
/// <see cref="BindServiceMethodAttribute"/> on their abstract bases (Grpc.AspNetCore binds the methods
/// declared on the type that carries the attribute).
/// </summary>
internal static class StrictServiceBinder
{
    private const string Package = "e2echat.relay.v1.";

    /// <summary>Binds <c>Auth</c>.</summary>
    /// <param name="binder">The binder.</param>
    /// <param name="service">The implementation (null while discovering methods).</param>
    public static void BindAuth(ServiceBinderBase binder, AuthServiceBase? service)
    {
        ArgumentNullException.ThrowIfNull(binder);
        binder.AddMethod(Unary<GetChallengeRequest, GetChallengeResponse>("Auth", "GetChallenge"), service is null ? null! : service.GetChallenge);
        binder.AddMethod(Unary<AuthenticateRequest, AuthenticateResponse>("Auth", "Authenticate"), service is null ? null! : service.Authenticate);
    }

    /// <summary>Binds <c>Keys</c>.</summary>
    /// <param name="binder">The binder.</param>
    /// <param name="service">The implementation (null while discovering methods).</param>
    public static void BindKeys(ServiceBinderBase binder, KeysServiceBase? service)
    {
        ArgumentNullException.ThrowIfNull(binder);
        binder.AddMethod(Unary<PublishPreKeysRequest, PublishPreKeysResponse>("Keys", "PublishPreKeys"), service is null ? null! : service.PublishPreKeys);
        binder.AddMethod(Unary<FetchBundlesRequest, FetchBundlesResponse>("Keys", "FetchBundles"), service is null ? null! : service.FetchBundles);
        binder.AddMethod(Unary<GetPreKeyCountRequest, GetPreKeyCountResponse>("Keys", "GetPreKeyCount"), service is null ? null! : service.GetPreKeyCount);
    }

    /// <summary>Binds <c>Messaging</c>.</summary>
    /// <param name="binder">The binder.</param>
    /// <param name="service">The implementation (null while discovering methods).</param>
    public static void BindMessaging(ServiceBinderBase binder, MessagingServiceBase? service)
    {
        ArgumentNullException.ThrowIfNull(binder);
        binder.AddMethod(Unary<SendRequest, SendResponse>("Messaging", "Send"), service is null ? null! : service.Send);
        binder.AddMethod(Unary<PostRequest, PostResponse>("Messaging", "Post"), service is null ? null! : service.Post);
        binder.AddMethod(
            new Method<ReceiveRequest, ReceiveResponse>(MethodType.DuplexStreaming, Package + "Messaging", "Receive", Request<ReceiveRequest>(), Response<ReceiveResponse>()),
            service is null ? null! : service.Receive);
    }

    /// <summary>Binds <c>Accounts</c>.</summary>
    /// <param name="binder">The binder.</param>
    /// <param name="service">The implementation (null while discovering methods).</param>
    public static void BindAccounts(ServiceBinderBase binder, AccountsServiceBase? service)
    {
        ArgumentNullException.ThrowIfNull(binder);
        binder.AddMethod(Unary<PublishDeviceListRequest, PublishDeviceListResponse>("Accounts", "PublishDeviceList"), service is null ? null! : service.PublishDeviceList);
        binder.AddMethod(Unary<GetDeviceListRequest, GetDeviceListResponse>("Accounts", "GetDeviceList"), service is null ? null! : service.GetDeviceList);
        binder.AddMethod(Unary<SubmitConsentRequest, SubmitConsentResponse>("Accounts", "SubmitConsent"), service is null ? null! : service.SubmitConsent);
        binder.AddMethod(Unary<ResolveContactLinkRequest, ResolveContactLinkResponse>("Accounts", "ResolveContactLink"), service is null ? null! : service.ResolveContactLink);
    }

    /// <summary>Binds <c>Billing</c>.</summary>
    /// <param name="binder">The binder.</param>
    /// <param name="service">The implementation (null while discovering methods).</param>
    public static void BindBilling(ServiceBinderBase binder, BillingServiceBase? service)
    {
        ArgumentNullException.ThrowIfNull(binder);
        binder.AddMethod(Unary<GetUsageRequest, GetUsageResponse>("Billing", "GetUsage"), service is null ? null! : service.GetUsage);
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
