using E2eChat.Relay.Server.Api;
using DeviceAddress = E2eChat.Relay.Server.Addressing.DeviceAddress;
using Microsoft.Extensions.Options;

namespace E2eChat.Relay.Server.Auth;

/// <summary>The <c>Auth</c> service: challenges, proof of possession of the identity key, registration and tokens.</summary>
internal sealed partial class AuthService
{
    private readonly IRelayStore _store;
    private readonly ChallengeIssuer _challenges;
    private readonly TokenIssuer _tokens;
    private readonly IDeviceAdmission _admission;
    private readonly TimeProvider _time;
    private readonly RelayOptions _options;
    private readonly ILogger<AuthService> _logger;

    /// <summary>Creates the service.</summary>
    public AuthService(IRelayStore store, ChallengeIssuer challenges, TokenIssuer tokens, IDeviceAdmission admission, TimeProvider time, IOptions<RelayOptions> options, ILogger<AuthService> logger)
    {
        _store = store;
        _challenges = challenges;
        _tokens = tokens;
        _admission = admission;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public Task<GetChallengeResponse> GetChallenge(GetChallengeRequest request, ServerCallContext context)
    {
        byte[] challenge = _challenges.Issue(_time.GetUtcNow().ToUnixTimeMilliseconds(), out long expiresAt);
        return Task.FromResult(new GetChallengeResponse
        {
            Challenge = ByteString.CopyFrom(challenge),
            RelayId = _options.RelayId,
            ExpiresAtMs = (ulong)expiresAt,
        });
    }

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public async Task<AuthenticateResponse> Authenticate(AuthenticateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        CancellationToken cancellationToken = context.CancellationToken;
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        (DeviceAddress address, PartyKind kind) = RequestAddresses.Read(request.Device);
        ReadOnlySpan<byte> identity = request.IdentityKey.Span;
        if (!PublicKeyChecks.IsValidIdentity(identity))
        {
            throw RelayErrors.Create(StatusCode.InvalidArgument, RelayFailure.InvalidIdentityKey, "the identity key is not a valid public identity (PROTOCOL.md 3.1)");
        }

        ReadOnlySpan<byte> challenge = request.Challenge.Span;
        if (_challenges.Check(challenge, now, out long challengeExpiry) is RelayFailure challengeFailure)
        {
            throw RelayErrors.Create(StatusCode.Unauthenticated, challengeFailure, challengeFailure == RelayFailure.ChallengeExpired ? "the challenge has expired" : "the challenge was not issued by this relay");
        }

        byte[] body = AuthMessage.Build(_options.RelayId, challenge, address, kind);
        if (!Ed25519Verifier.Verify(PublicKeyChecks.SigningKey(identity), SignatureLabels.RelayAuth, body, request.Signature.Span))
        {
            LogRefused(_logger, address, RelayFailure.BadSignature);
            throw RelayErrors.Create(StatusCode.Unauthenticated, RelayFailure.BadSignature, "the signature over the challenge does not verify under the identity key");
        }

        if (!await _store.TryUseChallengeAsync(challenge[..ChallengeIssuer.IdLength].ToArray(), challengeExpiry, cancellationToken).ConfigureAwait(false))
        {
            LogRefused(_logger, address, RelayFailure.ChallengeReplayed);
            throw RelayErrors.Create(StatusCode.Unauthenticated, RelayFailure.ChallengeReplayed, "the challenge was already used");
        }

        byte[] identityBytes = request.IdentityKey.ToByteArray();
        DeviceRegistration? existing = await _store.GetDeviceAsync(address, cancellationToken).ConfigureAwait(false);
        AdmissionDecision decision = await _admission.AdmitAsync(new DeviceAdmissionRequest(address, kind, identityBytes, existing), cancellationToken).ConfigureAwait(false);
        if (!decision.Admitted)
        {
            LogRefused(_logger, address, decision.Failure);
            throw RelayErrors.Create(StatusCode.PermissionDenied, decision.Failure, decision.Reason ?? "the device is not admitted");
        }

        bool registered = false;
        if (existing is null)
        {
            RegistrationOutcome outcome = await _store.RegisterDeviceAsync(new DeviceRegistration(address, kind, identityBytes, now), cancellationToken).ConfigureAwait(false);
            switch (outcome)
            {
                case RegistrationOutcome.IdentityMismatch:
                    throw RelayErrors.Create(StatusCode.PermissionDenied, RelayFailure.IdentityMismatch, "the device is registered with another identity");
                case RegistrationOutcome.KindMismatch:
                    throw RelayErrors.Create(StatusCode.PermissionDenied, RelayFailure.AccountKindMismatch, "the account is registered with the other kind");
                case RegistrationOutcome.Registered:
                    registered = true;
                    LogRegistered(_logger, address, kind);
                    break;
            }
        }

        long expiresAt = now + (long)_options.TokenLifetime.TotalMilliseconds;
        string token = _tokens.Issue(new AuthenticatedDevice(address, kind), expiresAt);
        return new AuthenticateResponse { Token = token, ExpiresAtMs = (ulong)expiresAt, Registered = registered };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered device {Device} ({Kind})")]
    private static partial void LogRegistered(ILogger logger, DeviceAddress device, PartyKind kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused authentication of {Device}: {Failure}")]
    private static partial void LogRefused(ILogger logger, DeviceAddress device, RelayFailure failure);
}
