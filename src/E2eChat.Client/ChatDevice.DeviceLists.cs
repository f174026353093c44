using Google.Protobuf;
using Grpc.Core;

namespace E2eChat.Client;

/// <content>Device lists through the relay's Accounts service (PROTOCOL.md 14.6): publish our account's, fetch contacts'.</content>
public sealed partial class ChatDevice
{
    /// <summary>
    /// Publishes our account's signed device list at the relay (the first list pins the account key
    /// there; later ones need the same key and a higher version) and applies it to <see cref="Accounts"/>.
    /// Contacts then fetch it (<see cref="FetchDeviceListAsync"/>) instead of receiving it in the chat.
    /// </summary>
    /// <param name="list">Our account's list, signed by its account key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the relay's list changed (<see langword="false"/> for a byte-identical repeat).</returns>
    /// <exception cref="ArgumentException">The list is another account's or kind's.</exception>
    /// <exception cref="E2eChatException">
    /// With <see cref="E2eChatFailure.DeviceListRefused"/> (the relay or our own directory refused it:
    /// another account key, an older version) or <see cref="E2eChatFailure.RelayUnavailable"/>.
    /// </exception>
    public async Task<bool> PublishDeviceListAsync(SignedDeviceList list, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(list);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (list.List.Account != Address.Name || list.List.Kind != Kind)
        {
            throw new ArgumentException("Publish our own account's list.", nameof(list));
        }

        DeviceListUpdate local = await Accounts.ApplyAsync(Address.Name, list.ToBytes(), cancellationToken).ConfigureAwait(false);
        if (!local.IsSuccess)
        {
            ClientLog.DeviceListRefused(_logger, Address.Name, local.Failure.ToString());
            throw new E2eChatException(E2eChatFailure.DeviceListRefused);
        }

        try
        {
            var request = new Api.PublishDeviceListRequest { SignedList = ByteString.CopyFrom(list.AsSpan()) };
            Api.PublishDeviceListResponse response = await CallAsync(options => _accountsApi.PublishDeviceListAsync(request, options).ResponseAsync, cancellationToken).ConfigureAwait(false);
            return response.Changed;
        }
        catch (RpcException e)
        {
            ClientLog.DeviceListRefused(_logger, Address.Name, FailureName(e));
            throw new E2eChatException(E2eChatFailure.DeviceListRefused);
        }
    }

    /// <summary>
    /// Fetches <paramref name="account"/>'s current signed device list from the relay and applies it to
    /// <see cref="Accounts"/> under section 14.2's rules: the account key is pinned on first use (a
    /// list under another key is refused with <see cref="E2eChatFailure.AccountKeyMismatch"/> until the
    /// app approves it), and the version never goes backwards (<see cref="E2eChatFailure.VersionRollback"/>).
    /// The relay is not trusted: a refused list changes nothing.
    /// </summary>
    /// <param name="account">The account.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The outcome, or <see langword="null"/> when the relay has no list for the account.</returns>
    /// <exception cref="E2eChatException">With <see cref="E2eChatFailure.RelayUnavailable"/> or <see cref="E2eChatFailure.RelayRefused"/>.</exception>
    public async Task<DeviceListUpdate?> FetchDeviceListAsync(string account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ObjectDisposedException.ThrowIf(_disposed, this);
        ReadOnlyMemory<byte>? signed = await GetRelayDeviceListAsync(account, cancellationToken).ConfigureAwait(false);
        if (signed is not { } bytes)
        {
            return null;
        }

        DeviceListUpdate update = await Accounts.ApplyAsync(account, bytes, cancellationToken).ConfigureAwait(false);
        if (!update.IsSuccess)
        {
            ClientLog.DeviceListRefused(_logger, account, update.Failure.ToString());
        }

        return update;
    }

    /// <summary>
    /// Opens a chat from a scanned contact link (PROTOCOL.md 15.3): fetches the business's device list
    /// from the relay and accepts it only if it is signed by the account key the link pins (and the key
    /// already pinned for the account, if any). A relay that substitutes the key is caught before any
    /// session starts.
    /// </summary>
    /// <param name="link">The link, opened and verified with <see cref="SignedContactLink.TryOpen"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The failure (nothing stored; <see cref="E2eChatFailure.DeviceListRefused"/> when the relay has no list), or <see cref="E2eChatFailure.None"/> and the update.</returns>
    /// <exception cref="E2eChatException">With <see cref="E2eChatFailure.RelayUnavailable"/> or <see cref="E2eChatFailure.RelayRefused"/>.</exception>
    public async Task<(E2eChatFailure Failure, DeviceListUpdate? Update)> OpenContactLinkAsync(SignedContactLink link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        ObjectDisposedException.ThrowIf(_disposed, this);
        ReadOnlyMemory<byte>? signed = await GetRelayDeviceListAsync(link.Link.Account, cancellationToken).ConfigureAwait(false);
        return signed is { } bytes
            ? await Accounts.OpenContactLinkAsync(link, bytes, cancellationToken).ConfigureAwait(false)
            : (E2eChatFailure.DeviceListRefused, null);
    }

    /// <summary>The relay's signed list of <paramref name="account"/> as it serves it (unverified), or <see langword="null"/> when it has none.</summary>
    private async Task<ReadOnlyMemory<byte>?> GetRelayDeviceListAsync(string account, CancellationToken cancellationToken)
    {
        try
        {
            Api.GetDeviceListResponse response = await CallAsync(options => _accountsApi.GetDeviceListAsync(new Api.GetDeviceListRequest { Account = account }, options).ResponseAsync, cancellationToken).ConfigureAwait(false);
            return response.SignedList.Memory;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
        catch (RpcException e)
        {
            ClientLog.DeviceListRefused(_logger, account, FailureName(e));
            throw new E2eChatException(E2eChatFailure.RelayRefused);
        }
    }

    /// <summary>The list of <paramref name="account"/> from <see cref="Accounts"/>, fetched from the relay first when there is none.</summary>
    private async Task<SignedDeviceList?> GetOrFetchDeviceListAsync(string account, CancellationToken cancellationToken)
    {
        SignedDeviceList? list = await Accounts.GetDeviceListAsync(account, cancellationToken).ConfigureAwait(false);
        if (list is null)
        {
            await FetchDeviceListAsync(account, cancellationToken).ConfigureAwait(false);
            list = await Accounts.GetDeviceListAsync(account, cancellationToken).ConfigureAwait(false);
        }

        return list;
    }
}
