using E2eChat.Relay.Server.Api;
using DeviceAddress = E2eChat.Relay.Server.Addressing.DeviceAddress;
using Microsoft.Extensions.Options;

namespace E2eChat.Relay.Server.Auth;

/// <summary>The <c>Auth</c> service: challenges, proof of possession of the identity key, registration and tokens.</summary>
internal sealed partial class AuthService(IRelayStore store, ChallengeIssuer challenges, TokenIssuer tokens, IDeviceAdmission admission, TimeProvider time, IOptions<RelayOptions> options, ILogger<AuthService> logger)
{
    private readonly RelayOptions _options = options.Value;

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public Task<GetChallengeResponse> GetChallenge(GetChallengeRequest request, ServerCallContext context)
    {
        byte[] challenge = challenges.Issue(time.GetUtcNow().ToUnixTimeMilliseconds(), out long expiresAt);
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
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        (DeviceAddress address, PartyKind kind) = RequestAddresses.Read(request.Device);
        ReadOnlySpan<byte> identity = request.IdentityKey.Span;
        if (!PublicKeyChecks.IsValidIdentity(identity))
        {
            throw RelayErrors.Create(StatusCode.InvalidArgument, RelayFailure.InvalidIdentityKey, "the identity key is not a valid public identity (PROTOCOL.md 3.1)");
        }

        ReadOnlySpan<byte> challenge = request.Challenge.Span;
        if (challenges.Check(challenge, now, out long challengeExpiry) is RelayFailure challengeFailure)
        {
            throw RelayErrors.Create(StatusCode.Unauthenticated, challengeFailure, challengeFailure == RelayFailure.ChallengeExpired ? "the challenge has expired" : "the challenge was not issued by this relay");
        }

        byte[] body = AuthMessage.Build(_options.RelayId, challenge, address, kind);
        if (!Ed25519Verifier.Verify(PublicKeyChecks.SigningKey(identity), SignatureLabels.RelayAuth, body, request.Signature.Span))
        {
            LogRefused(logger, address, RelayFailure.BadSignature);
            throw RelayErrors.Create(StatusCode.Unauthenticated, RelayFailure.BadSignature, "the signature over the challenge does not verify under the identity key");
        }

        if (!await store.TryUseChallengeAsync(challenge[..ChallengeIssuer.IdLength].ToArray(), challengeExpiry, cancellationToken).ConfigureAwait(false))
        {
            LogRefused(logger, address, RelayFailure.ChallengeReplayed);
            throw RelayErrors.Create(StatusCode.Unauthenticated, RelayFailure.ChallengeReplayed, "the challenge was already used");
        }

        byte[] identityBytes = request.IdentityKey.ToByteArray();
        DeviceRegistration? existing = await store.GetDeviceAsync(address, cancellationToken).ConfigureAwait(false);
        AdmissionDecision decision = await admission.AdmitAsync(new DeviceAdmissionRequest(address, kind, identityBytes, existing), cancellationToken).ConfigureAwait(false);
        if (!decision.Admitted)
        {
            LogRefused(logger, address, decision.Failure);
            throw RelayErrors.Create(StatusCode.PermissionDenied, decision.Failure, decision.Reason ?? "the device is not admitted");
        }

        bool registered = false;
        if (existing is null)
        {
            RegistrationOutcome outcome = await store.RegisterDeviceAsync(new DeviceRegistration(address, kind, identityBytes, now), cancellationToken).ConfigureAwait(false);
            switch (outcome)
            {
                case RegistrationOutcome.IdentityMismatch:
                    throw RelayErrors.Create(StatusCode.PermissionDenied, RelayFailure.IdentityMismatch, "the device is registered with another identity");
                case RegistrationOutcome.KindMismatch:
                    throw RelayErrors.Create(StatusCode.PermissionDenied, RelayFailure.AccountKindMismatch, "the account is registered with the other kind");
                case RegistrationOutcome.Registered:
                    registered = true;
                    LogRegistered(logger, address, kind);
                    break;
            }
        }

        long expiresAt = now + (long)_options.TokenLifetime.TotalMilliseconds;
        string token = tokens.Issue(new AuthenticatedDevice(address, kind), expiresAt);
        return new AuthenticateResponse { Token = token, ExpiresAtMs = (ulong)expiresAt, Registered = registered };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered device {Device} ({Kind})")]
    private static partial void LogRegistered(ILogger logger, DeviceAddress device, PartyKind kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused authentication of {Device}: {Failure}")]
    private static partial void LogRefused(ILogger logger, DeviceAddress device, RelayFailure failure);
}
