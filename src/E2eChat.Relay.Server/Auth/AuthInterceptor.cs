using Grpc.Core.Interceptors;

namespace E2eChat.Relay.Server.Auth;

/// <summary>
/// Authenticates every call except <c>Auth</c> and health checks: a valid, unexpired bearer token
/// from this relay, whose device is attached to the call (<see cref="AuthenticatedDevice.From"/>).
/// </summary>
internal sealed class AuthInterceptor : Interceptor
{
    private const string Scheme = "Bearer ";

    private readonly TokenIssuer _tokens;
    private readonly TimeProvider _time;

    /// <summary>Creates the interceptor.</summary>
    public AuthInterceptor(TokenIssuer tokens, TimeProvider time)
    {
        _tokens = tokens;
        _time = time;
    }

    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authenticate(context);
        return continuation(request, context);
    }

    /// <inheritdoc />
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authenticate(context);
        return continuation(requestStream, responseStream, context);
    }

    /// <inheritdoc />
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authenticate(context);
        return continuation(requestStream, context);
    }

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Authenticate(context);
        return continuation(request, responseStream, context);
    }

    private void Authenticate(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string method = context.Method;
        if (method.StartsWith("/e2echat.relay.v1.Auth/", StringComparison.Ordinal) || method.StartsWith("/grpc.health.", StringComparison.Ordinal))
        {
            return;
        }

        string? header = context.RequestHeaders.GetValue("authorization");
        if (header is null || !header.StartsWith(Scheme, StringComparison.Ordinal))
        {
            throw RelayErrors.Create(StatusCode.Unauthenticated, RelayFailure.MissingToken, "no \"authorization: Bearer <token>\" metadata");
        }

        RelayFailure? failure = _tokens.Check(header.AsSpan(Scheme.Length), _time.GetUtcNow().ToUnixTimeMilliseconds(), out AuthenticatedDevice? device);
        if (failure is RelayFailure refused)
        {
            string detail = refused switch
            {
                RelayFailure.TokenExpired => "the token has expired; authenticate again",
                RelayFailure.BadToken => "the token does not verify",
                _ => "the token is malformed",
            };
            throw RelayErrors.Create(StatusCode.Unauthenticated, refused, detail);
        }

        device!.AttachTo(context);
    }
}
