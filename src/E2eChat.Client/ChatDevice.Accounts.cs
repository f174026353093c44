using System.Security.Cryptography;
using System.Text;
using E2eChat.Wire;

namespace E2eChat.Client;

/// <content>Sending to accounts: every device in the account's signed list, plus sync copies to our own other devices (PROTOCOL.md 14).</content>
public sealed partial class ChatDevice
{
    /// <summary>
    /// Sends a text message to every device of <paramref name="account"/> (from its signed device list
    /// in <see cref="Accounts"/>) and a sync copy to each other device of our own account. Every copy
    /// carries the same message id: the relay bills and de-duplicates it as one logical message.
    /// </summary>
    /// <param name="account">The recipient account.</param>
    /// <param name="text">The text (UTF-8).</param>
    /// <param name="category">From a business to a person: the message's category (required then, absent otherwise).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One result per device.</returns>
    /// <exception cref="E2eChatException">
    /// With a <see cref="E2eChatFailure"/> (no device list for the account or our own, no bundle, a bundle
    /// whose identity is not the listed one) or a <see cref="E2eChatFailure"/>; nothing was sent then.
    /// </exception>
    public async Task<IReadOnlyList<SendResult>> SendToAccountAsync(string account, string text, Category category = Category.Unspecified, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(text);
        ObjectDisposedException.ThrowIf(_disposed, this);
        SignedDeviceList? recipientList = await GetOrFetchDeviceListAsync(account, cancellationToken).ConfigureAwait(false);
        await GetOrFetchDeviceListAsync(Address.Name, cancellationToken).ConfigureAwait(false);
        var fanOut = new FanOut(_sessions, Accounts, Address, (device, token) => new ValueTask<PreKeyBundle?>(FetchBundleAsync(device, token)));
        FanOutResult result = await fanOut.SendAsync(account, new ApplicationMessage(Encoding.UTF8.GetBytes(text), (int)category), cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            throw new E2eChatException(result.Failure);
        }

        byte[] messageId = RandomNumberGenerator.GetBytes(Envelope.MessageIdLength);
        ulong now = (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds();
        var envelopes = new List<(ProtocolAddress, byte[], byte[])>(result.Messages.Count);
        foreach (OutgoingMessage message in result.Messages)
        {
            Category envelopeCategory = Kind == AccountKind.Business && message.RecipientKind == AccountKind.Person ? category : Category.Unspecified;
            var envelope = new Envelope(Address, Kind, message.Recipient, message.RecipientKind, messageId, now, message.Message, envelopeCategory);
            envelopes.Add((message.Recipient, messageId, EnvelopeCodec.Encode(envelope)));
        }

        if (recipientList is not null)
        {
            await CustomerWroteAsync(account, recipientList.List.Kind, cancellationToken).ConfigureAwait(false);
        }

        return await SendEnvelopesAsync(envelopes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends our account's signed device list to every device of <paramref name="account"/>, so that
    /// its devices can send to all of ours (they apply it on receipt: <see cref="DeviceListChanged"/>).
    /// </summary>
    /// <param name="account">The contact's account (its list must be in <see cref="Accounts"/>).</param>
    /// <param name="ownList">Our account's signed list.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One result per device.</returns>
    /// <exception cref="E2eChatException">With <see cref="E2eChatFailure.NoDeviceList"/> or a <see cref="E2eChatFailure"/>.</exception>
    public async Task<IReadOnlyList<SendResult>> SendDeviceListAsync(string account, SignedDeviceList ownList, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(ownList);
        if (ownList.List.Account != Address.Name)
        {
            throw new ArgumentException("Send our own account's list.", nameof(ownList));
        }

        return await SendContentToAccountAsync(account, Content.FromDeviceList(ownList).ToBytes(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends an encoded content (not an application message: no sync copies) to every device of
    /// <paramref name="account"/>, all under one message id; a business's copy to a person is a
    /// <see cref="Category.Service"/> envelope.
    /// </summary>
    internal async Task<IReadOnlyList<SendResult>> SendContentToAccountAsync(string account, byte[] content, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        SignedDeviceList recipient = await GetOrFetchDeviceListAsync(account, cancellationToken).ConfigureAwait(false)
            ?? throw new E2eChatException(E2eChatFailure.NoDeviceList);
        byte[] messageId = RandomNumberGenerator.GetBytes(Envelope.MessageIdLength);
        ulong now = (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds();
        Category category = Kind == AccountKind.Business && recipient.List.Kind == AccountKind.Person ? Category.Service : Category.Unspecified;
        var envelopes = new List<(ProtocolAddress, byte[], byte[])>();
        foreach (DeviceEntry device in recipient.List.Devices)
        {
            var address = new ProtocolAddress(account, device.Device);
            CiphertextMessage message = await EncryptAsync(address, content, cancellationToken).ConfigureAwait(false);
            envelopes.Add((address, messageId, EnvelopeCodec.Encode(new Envelope(Address, Kind, address, recipient.List.Kind, messageId, now, message, category))));
        }

        return await SendEnvelopesAsync(envelopes, cancellationToken).ConfigureAwait(false);
    }
}
