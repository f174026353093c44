using E2eChat.Relay.Server.Api;
using Google.Protobuf;
using Grpc.Core;

namespace E2eChat.Client;

/// <content>Sign-in (PROTOCOL.md 12.1), token renewal and the retry rules shared by every call.</content>
public sealed partial class ChatDevice
{
    /// <summary>The trailer naming the relay's typed failure (PROTOCOL.md 12.7).</summary>
    private const string FailureTrailer = "e2echat-failure";

    /// <summary>Call options carrying a valid token (renewed when it is about to expire).</summary>
    private async Task<CallOptions> CallOptionsAsync(CancellationToken cancellationToken)
    {
        string token = await GetTokenAsync(forceRenewal: false, cancellationToken).ConfigureAwait(false);
        return new CallOptions(new Metadata { { "authorization", "Bearer " + token } }, cancellationToken: cancellationToken);
    }

    /// <summary>The current token, or a new one when there is none, it expires within the margin, or <paramref name="forceRenewal"/>.</summary>
    private async Task<string> GetTokenAsync(bool forceRenewal, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _authGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!forceRenewal && _token is not null && _time.GetUtcNow() + ClientLimits.TokenRenewalMargin < _tokenExpiresAt)
            {
                return _token;
            }

            AuthenticateResponse response;
            try
            {
                response = await WithRetriesAsync(() => AuthenticateOnceAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                // Neither transient nor cancelled (WithRetriesAsync ends those): the relay refused the sign-in.
                ClientLog.SignInRefused(_logger, Address, FailureName(e));
                throw new E2eChatException(E2eChatFailure.AuthenticationRefused);
            }

            _token = response.Token;
            _tokenExpiresAt = UnixTimeClamped(response.ExpiresAtMs);
            ClientLog.SignedIn(_logger, Address, response.Registered, _tokenExpiresAt);
            return _token;
        }
        finally
        {
            _authGate.Release();
        }
    }

    private async Task<AuthenticateResponse> AuthenticateOnceAsync(CancellationToken cancellationToken)
    {
        GetChallengeResponse challenge = await _auth.GetChallengeAsync(new GetChallengeRequest(), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (_options.RelayId is not null && challenge.RelayId != _options.RelayId)
        {
            ClientLog.RelayIdMismatch(_logger, challenge.RelayId);
            throw new E2eChatException(E2eChatFailure.RelayIdMismatch);
        }

        byte[] signature = RelayAuthSigner.Sign(_identity, challenge.RelayId, challenge.Challenge.Span, Address, Kind);
        return await _auth.AuthenticateAsync(
            new AuthenticateRequest
            {
                Device = ApiAddress(Address, Kind),
                IdentityKey = ByteString.CopyFrom(_identity.PublicKey.AsSpan()),
                Challenge = challenge.Challenge,
                Signature = ByteString.CopyFrom(signature),
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs an authenticated call: renews the token once when the relay says it expired, and retries
    /// transient failures with doubling delays up to <see cref="ChatDeviceOptions.MaxSendAttempts"/> attempts.
    /// </summary>
    private Task<T> CallAsync<T>(Func<CallOptions, Task<T>> call, CancellationToken cancellationToken) =>
        WithRetriesAsync(
            async () =>
            {
                try
                {
                    return await call(await CallOptionsAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                }
                catch (RpcException e) when (IsTokenRefused(e))
                {
                    await GetTokenAsync(forceRenewal: true, cancellationToken).ConfigureAwait(false);
                    return await call(await CallOptionsAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                }
            },
            cancellationToken);

    /// <summary>
    /// Runs <paramref name="attempt"/> until it succeeds or fails for a reason other than a transient one,
    /// at most the configured number of times; once <paramref name="cancellationToken"/> is cancelled, a
    /// failed call ends as <see cref="OperationCanceledException"/>.
    /// </summary>
    private async Task<T> WithRetriesAsync<T>(Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (int tries = 1; ; tries++)
        {
            try
            {
                return await attempt().ConfigureAwait(false);
            }
            catch (RpcException e) when (cancellationToken.IsCancellationRequested)
            {
                // The caller cancelled: the call's status (Cancelled, or a failure that raced with it) is
                // no refusal of the relay's.
                throw new OperationCanceledException(e.Message, e, cancellationToken);
            }
            catch (RpcException e) when (IsTransient(e))
            {
                if (tries >= _options.MaxSendAttempts)
                {
                    ClientLog.RelayUnavailable(_logger, tries, e.StatusCode);
                    throw new E2eChatException(E2eChatFailure.RelayUnavailable);
                }

                await Task.Delay(RetryDelay(tries), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The delay before retry number <paramref name="tries"/> (1-based): doubling from the configured delay, capped.</summary>
    private TimeSpan RetryDelay(int tries)
    {
        double factor = Math.Pow(2, Math.Min(tries - 1, 16));
        TimeSpan delay = _options.RetryDelay * factor;
        return delay < ClientLimits.MaxRetryDelay ? delay : ClientLimits.MaxRetryDelay;
    }

    /// <summary>
    /// Failures worth retrying: the relay or the network is down or overloaded for a moment. A
    /// <c>RESOURCE_EXHAUSTED</c> that names a relay failure (<c>TooManyPreKeys</c>) is a refusal that
    /// retrying the same request cannot fix; without one it is the transport's overload answer.
    /// </summary>
    private static bool IsTransient(RpcException e) =>
        e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown
        || (e.StatusCode == StatusCode.ResourceExhausted && e.Trailers.GetValue(FailureTrailer) is null);

    /// <summary>
    /// A refusal of <paramref name="operation"/> that this client has no more specific answer for
    /// (any status a relay may send, hostile or newer): logged and typed as <see cref="E2eChatFailure.RelayRefused"/>.
    /// </summary>
    private E2eChatException Refused(RpcException e, string operation) => Refused(operation, FailureName(e));

    /// <summary>A refusal of <paramref name="operation"/> for <paramref name="failure"/> (a relay failure name, or the client's for a malformed answer): logged and typed.</summary>
    private E2eChatException Refused(string operation, string failure)
    {
        ClientLog.CallRefused(_logger, Address, operation, failure);
        return new E2eChatException(E2eChatFailure.RelayRefused);
    }

    /// <summary><see cref="CallAsync{T}"/> for a call whose every refusal is final: typed by <see cref="Refused(RpcException, string)"/>.</summary>
    private async Task<T> CallOrRefuseAsync<T>(string operation, Func<CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(call, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw Refused(e, operation);
        }
    }

    /// <summary>A time in Unix milliseconds from the relay or a peer; one beyond the calendar (as a broken or hostile sender could give) is the calendar's end.</summary>
    private static DateTimeOffset UnixTimeClamped(ulong milliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Min(milliseconds, (ulong)DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()));

    private static bool IsTokenRefused(RpcException e) =>
        e.StatusCode == StatusCode.Unauthenticated && FailureName(e) is "TokenExpired" or "BadToken" or "MalformedToken" or "MissingToken";

    /// <summary>The relay's typed failure name from the trailer, or the status code.</summary>
    private static string FailureName(RpcException e) => e.Trailers.GetValue(FailureTrailer) ?? e.StatusCode.ToString();

    private static DeviceAddress ApiAddress(ProtocolAddress address, Wire.AccountKind kind) =>
        new() { Name = address.Name, Device = address.DeviceId, Kind = (Relay.Server.Api.AccountKind)(int)kind };
}
