using E2eChat.Handshake;
using E2eChat.Wire;

namespace E2eChat;

/// <summary>
/// Encrypts one message for a whole account (PROTOCOL.md section 14.4): one message per device of the
/// recipient's current accepted device list, each in its own session (started from a fetched bundle
/// whose identity must be the listed one), plus a <see cref="SyncMessage"/> copy to every other device
/// of the sender's own list. Devices not in the current lists get nothing.
/// </summary>
public sealed class FanOut
{
    private readonly SessionManager _sessions;
    private readonly AccountDirectory _directory;
    private readonly ProtocolAddress _local;
    private readonly Func<ProtocolAddress, CancellationToken, ValueTask<PreKeyBundle?>> _fetchBundle;
    private readonly bool _refuseHostedEndpoints;

    /// <summary>Creates a fan-out for one local device.</summary>
    /// <param name="sessions">The local device's session manager.</param>
    /// <param name="directory">Where the accepted device lists are (the recipient's and the sender's own).</param>
    /// <param name="local">The local device's address.</param>
    /// <param name="fetchBundle">Fetches a device's pre-key bundle from the key directory (null when none).</param>
    /// <param name="refuseHostedEndpoints">Refuse to encrypt to an account with hosted devices (<see cref="E2eChatFailure.HostedEndpointRefused"/>).</param>
    public FanOut(SessionManager sessions, AccountDirectory directory, ProtocolAddress local, Func<ProtocolAddress, CancellationToken, ValueTask<PreKeyBundle?>> fetchBundle, bool refuseHostedEndpoints = false)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(fetchBundle);
        _sessions = sessions;
        _directory = directory;
        _local = local;
        _fetchBundle = fetchBundle;
        _refuseHostedEndpoints = refuseHostedEndpoints;
    }

    /// <summary>Encrypts <paramref name="message"/> for every device of <paramref name="account"/> and syncs it to the sender's other devices.</summary>
    /// <param name="account">The recipient account.</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The messages, or a failure before anything was encrypted.</returns>
    public async ValueTask<FanOutResult> SendAsync(string account, ApplicationMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(message);
        SignedDeviceList? recipient = await _directory.GetDeviceListAsync(account, cancellationToken).ConfigureAwait(false);
        SignedDeviceList? own = await _directory.GetDeviceListAsync(_local.Name, cancellationToken).ConfigureAwait(false);
        if (recipient is null || own is null)
        {
            return new FanOutResult(E2eChatFailure.NoDeviceList, []);
        }

        if (_refuseHostedEndpoints && BusinessInfo.From(recipient.List).EndToEnd == EndToEnd.ToProcessor)
        {
            return new FanOutResult(E2eChatFailure.HostedEndpointRefused, []);
        }

        var targets = new List<(ProtocolAddress Address, AccountKind Kind, IdentityKey Identity, bool Sync)>();
        targets.AddRange(recipient.List.Devices.Select(d => (new ProtocolAddress(account, d.Device), recipient.List.Kind, d.Identity, false)));
        targets.AddRange(own.List.Devices.Where(d => d.Device != _local.DeviceId && account != _local.Name).Select(d => (new ProtocolAddress(_local.Name, d.Device), own.List.Kind, d.Identity, true)));

        byte[] plaintext = Content.FromMessage(message).ToBytes();
        byte[] sync = Content.FromSync(new SyncMessage(account, recipient.List.Kind, message)).ToBytes();
        var messages = new List<OutgoingMessage>(targets.Count);
        foreach ((ProtocolAddress address, AccountKind kind, IdentityKey identity, bool isSync) in targets)
        {
            (CiphertextMessage? encrypted, E2eChatFailure failure) = await EncryptAsync(address, identity, isSync ? sync : plaintext, cancellationToken).ConfigureAwait(false);
            if (failure != E2eChatFailure.None)
            {
                // Nothing is released: messages already encrypted for other devices are dropped (their
                // sessions skip one message key, which receivers tolerate).
                return new FanOutResult(failure, []);
            }

            messages.Add(new OutgoingMessage(address, kind, isSync, encrypted!));
        }

        return new FanOutResult(E2eChatFailure.None, messages);
    }

    private async ValueTask<E2eChatFailure> StartSessionAsync(ProtocolAddress address, IdentityKey identity, CancellationToken cancellationToken)
    {
        PreKeyBundle? bundle = await _fetchBundle(address, cancellationToken).ConfigureAwait(false);
        if (bundle is null)
        {
            return E2eChatFailure.NoBundle;
        }

        if (bundle.IdentityKey != identity)
        {
            return E2eChatFailure.BundleIdentityMismatch;
        }

        await _sessions.StartSessionAsync(address, bundle, cancellationToken).ConfigureAwait(false);
        return E2eChatFailure.None;
    }

    /// <summary>
    /// Encrypts in the current session. A device without one (newly listed), or whose session has an
    /// identity the list no longer names (a reinstalled device: the directory approved the listed
    /// one), gets a new session from a fetched bundle first.
    /// </summary>
    private async ValueTask<(CiphertextMessage? Message, E2eChatFailure Failure)> EncryptAsync(ProtocolAddress address, IdentityKey identity, byte[] plaintext, CancellationToken cancellationToken)
    {
        try
        {
            return (await _sessions.EncryptAsync(address, plaintext, cancellationToken).ConfigureAwait(false), E2eChatFailure.None);
        }
        catch (E2eChatException e) when (e.Failure is E2eChatFailure.NoSession or E2eChatFailure.UntrustedIdentity)
        {
            E2eChatFailure failure = await StartSessionAsync(address, identity, cancellationToken).ConfigureAwait(false);
            return failure != E2eChatFailure.None
                ? (null, failure)
                : (await _sessions.EncryptAsync(address, plaintext, cancellationToken).ConfigureAwait(false), E2eChatFailure.None);
        }
    }
}
