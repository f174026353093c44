using E2eChat.Relay.Server.Api;
using DeviceAddress = E2eChat.Relay.Server.Addressing.DeviceAddress;

namespace E2eChat.Relay.Server.Keys;

/// <summary>The <c>Keys</c> service: publishing, atomic bundle claims and counts.</summary>
internal sealed partial class KeysService
{
    private readonly IRelayStore _store;
    private readonly ILogger<KeysService> _logger;

    /// <summary>Creates the service.</summary>
    public KeysService(IRelayStore store, ILogger<KeysService> logger)
    {
        _store = store;
        _logger = logger;
    }

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public async Task<PublishPreKeysResponse> PublishPreKeys(PublishPreKeysRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        AuthenticatedDevice device = AuthenticatedDevice.From(context);
        RequestAddresses.RequireSelf(request.Device, device);
        DeviceRegistration registration = await _store.GetDeviceAsync(device.Address, context.CancellationToken).ConfigureAwait(false)
            ?? throw RelayErrors.Create(StatusCode.Unauthenticated, RelayFailure.DeviceNotRegistered, "the token's device is not registered");
        PreKeyUpload upload = PreKeyVerifier.Verify(request, registration.IdentityKey);
        PublishOutcome outcome = await _store.PublishPreKeysAsync(device.Address, upload, RelayServerLimits.MaxStoredOneTimePreKeys, context.CancellationToken).ConfigureAwait(false);
        if (!outcome.Stored)
        {
            throw RelayErrors.Create(StatusCode.ResourceExhausted, RelayFailure.TooManyPreKeys, $"a device holds at most {RelayServerLimits.MaxStoredOneTimePreKeys} one-time pre-keys of each kind");
        }

        LogPublished(_logger, device.Address, upload.OneTimePreKeys.Count, upload.OneTimeKemPreKeys.Count);
        return new PublishPreKeysResponse { Count = ToApi(outcome.Counts) };
    }

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public async Task<FetchBundlesResponse> FetchBundles(FetchBundlesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        _ = AuthenticatedDevice.From(context);
        CancellationToken cancellationToken = context.CancellationToken;
        if (!DeviceAddress.IsValidName(request.Name) || request.Device > RelayServerLimits.MaxDeviceId)
        {
            throw RelayErrors.Create(StatusCode.InvalidArgument, RelayFailure.InvalidAddress, "the account name or device id is malformed");
        }

        var response = new FetchBundlesResponse();
        if (request.Device != 0)
        {
            var address = new DeviceAddress(request.Name, (int)request.Device);
            ClaimedBundle claimed = await _store.ClaimBundleAsync(address, cancellationToken).ConfigureAwait(false)
                ?? throw await NoBundle(address, cancellationToken).ConfigureAwait(false);
            response.Bundles.Add(ToApi(claimed));
            return response;
        }

        IReadOnlyList<DeviceRegistration> devices = await _store.GetAccountDevicesAsync(request.Name, cancellationToken).ConfigureAwait(false);
        if (devices.Count == 0)
        {
            throw RelayErrors.Create(StatusCode.NotFound, RelayFailure.UnknownAccount, $"no device of {request.Name} is registered");
        }

        foreach (DeviceRegistration device in devices)
        {
            if (await _store.ClaimBundleAsync(device.Address, cancellationToken).ConfigureAwait(false) is { } claimed)
            {
                response.Bundles.Add(ToApi(claimed));
            }
        }

        if (response.Bundles.Count == 0)
        {
            throw RelayErrors.Create(StatusCode.FailedPrecondition, RelayFailure.NoPreKeys, $"no device of {request.Name} has published pre-keys");
        }

        return response;
    }

    /// <summary>See <c>relay.proto</c>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The call.</param>
    /// <returns>The response.</returns>
    public async Task<GetPreKeyCountResponse> GetPreKeyCount(GetPreKeyCountRequest request, ServerCallContext context)
    {
        AuthenticatedDevice device = AuthenticatedDevice.From(context);
        PreKeyCounts counts = await _store.CountPreKeysAsync(device.Address, context.CancellationToken).ConfigureAwait(false);
        return new GetPreKeyCountResponse { Count = ToApi(counts) };
    }

    private async Task<RpcException> NoBundle(DeviceAddress address, CancellationToken cancellationToken) =>
        await _store.GetDeviceAsync(address, cancellationToken).ConfigureAwait(false) is null
            ? RelayErrors.Create(StatusCode.NotFound, RelayFailure.UnknownRecipient, $"{address} is not registered")
            : RelayErrors.Create(StatusCode.FailedPrecondition, RelayFailure.NoPreKeys, $"{address} has not published a signed pre-key and a last-resort KEM pre-key");

    private static Api.PreKeyCount ToApi(PreKeyCounts counts) =>
        new() { OneTimePrekeys = (uint)counts.OneTime, OneTimeKemPrekeys = (uint)counts.OneTimeKem };

    private static DeviceBundle ToApi(ClaimedBundle claimed)
    {
        var bundle = new Api.PreKeyBundle
        {
            IdentityKey = ByteString.CopyFrom(claimed.Device.IdentityKey),
            SignedPrekeyId = claimed.SignedPreKey.Id,
            SignedPrekey = ByteString.CopyFrom(claimed.SignedPreKey.PublicKey),
            SignedPrekeySignature = ByteString.CopyFrom(claimed.SignedPreKey.Signature),
            KemPrekeyId = claimed.KemPreKey.Id,
            KemPrekeyLastResort = claimed.KemIsLastResort,
            KemPrekey = ByteString.CopyFrom(claimed.KemPreKey.PublicKey),
            KemPrekeySignature = ByteString.CopyFrom(claimed.KemPreKey.Signature),
        };
        if (claimed.OneTimePreKey is { } oneTime)
        {
            bundle.OneTimePrekeyId = oneTime.Id;
            bundle.OneTimePrekey = ByteString.CopyFrom(oneTime.PublicKey);
        }

        return new DeviceBundle
        {
            Device = new Api.DeviceAddress { Name = claimed.Device.Address.Name, Device = (uint)claimed.Device.Address.Device, Kind = (Api.AccountKind)(int)claimed.Device.Kind },
            Bundle = bundle,
        };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Device} published pre-keys ({OneTime} one-time, {OneTimeKem} one-time KEM)")]
    private static partial void LogPublished(ILogger logger, DeviceAddress device, int oneTime, int oneTimeKem);
}
