using System.Security.Cryptography;
using System.Text;
using E2eChat.Relay;
using E2eChat.Wire;

namespace E2eChat.Demo;

/// <summary>
/// One device in the chat (a customer's phone or a support agent's desk), as an app would build it on
/// the library: its identity and in-memory stores, a <see cref="SessionManager"/>, the bundles it
/// publishes, an <see cref="AccountDirectory"/> of the device lists it accepted and the library's
/// <see cref="FanOut"/>. It talks to the world only through the key directory and the relay, in bytes.
/// </summary>
internal sealed class ChatParticipant : IDisposable
{
    private readonly KeyDirectory _directory;
    private readonly InMemoryRelay _relay;
    private readonly List<TranscriptEntry> _transcript = [];
    private readonly Dictionary<string, byte[]> _referrals = [];
    private readonly FanOut _fanOut;

    private ChatParticipant(ProtocolAddress address, AccountKind kind, ProtocolStores stores, KeyDirectory directory, InMemoryRelay relay)
    {
        Address = address;
        Kind = kind;
        Stores = stores;
        Manager = new SessionManager(stores, address);
        Accounts = new AccountDirectory(new InMemoryAccountStore(), stores.Identities);
        _directory = directory;
        _relay = relay;
        _fanOut = new FanOut(Manager, Accounts, address, FetchBundleAsync);
    }

    /// <summary>This device's address.</summary>
    internal ProtocolAddress Address { get; }

    /// <summary>Person or business.</summary>
    internal AccountKind Kind { get; }

    /// <summary>The device's stores (identity, sessions, pre-keys).</summary>
    internal ProtocolStores Stores { get; }

    /// <summary>The device's session manager.</summary>
    internal SessionManager Manager { get; }

    /// <summary>The device lists this device accepted (pinned account keys).</summary>
    internal AccountDirectory Accounts { get; }

    /// <summary>The conversation as this device shows it: what it sent and what it decrypted, in order.</summary>
    internal IReadOnlyList<TranscriptEntry> Transcript => _transcript;

    /// <summary>Creates a device with a new identity and publishes <paramref name="bundles"/> pre-key bundles.</summary>
    internal static async Task<ChatParticipant> CreateAsync(
        ProtocolAddress address, AccountKind kind, string displayName, KeyDirectory directory, InMemoryRelay relay, int bundles = 3)
    {
        ProtocolStores stores = ProtocolStores.CreateInMemory(IdentityKeyPair.Generate());
        PreKeyGenerator generator = await stores.CreatePreKeyGeneratorAsync().ConfigureAwait(false);
        await generator.GenerateAsync(oneTimeCount: bundles).ConfigureAwait(false);
        var participant = new ChatParticipant(address, kind, stores, directory, relay);
        for (int i = 0; i < bundles; i++)
        {
            PreKeyBundle bundle = await generator.CreateBundleAsync().ConfigureAwait(false);
            directory.Publish(address, kind, displayName, bundle.ToBytes());
        }

        return participant;
    }

    /// <summary>Our public identity.</summary>
    internal async Task<IdentityKey> IdentityAsync() =>
        (await Stores.Identities.GetIdentityKeyPairAsync().ConfigureAwait(false)).PublicKey;

    /// <summary>This device's entry for its account's device list.</summary>
    internal async Task<DeviceEntry> EntryAsync(string label, DeviceRole role = DeviceRole.Agent, string? processor = null) =>
        new(Address.DeviceId, await IdentityAsync().ConfigureAwait(false), label, role, processor);

    /// <summary>
    /// Opens a contact link (section 15.3): checks the URI, the signature and the expiry, then accepts
    /// the business's device list from the key directory only if the link's account key signed it.
    /// The link's referral goes into the first message to that business.
    /// </summary>
    internal async Task<(E2eChatFailure Failure, SignedContactLink? Link)> OpenContactLinkAsync(string uri, ulong nowMs, byte[]? directoryList = null)
    {
        if (!SignedContactLink.TryOpen(uri, nowMs, out SignedContactLink? link, out E2eChatFailure failure))
        {
            return (failure, null);
        }

        byte[] list = directoryList ?? _directory.DeviceList(link.Link.Account) ?? [];
        (failure, _) = await Accounts.OpenContactLinkAsync(link, list).ConfigureAwait(false);
        if (failure == E2eChatFailure.None && !link.Link.Referral.IsEmpty)
        {
            _referrals[link.Link.Account] = link.Link.Referral.ToArray();
        }

        return (failure, failure == E2eChatFailure.None ? link : null);
    }

    /// <summary>
    /// Encrypts <paramref name="text"/> for every device of <paramref name="account"/>'s current device
    /// list, plus a sync copy to this account's other devices, with the library's <see cref="FanOut"/>
    /// (sessions are started from the directory's bundles where needed); wraps each in an envelope
    /// (one message id for all) and submits the bytes to the relay.
    /// </summary>
    /// <returns>What the relay recorded for each envelope, in fan-out order.</returns>
    /// <exception cref="InvalidOperationException">A device list was refused, the fan-out failed, or the relay refused an envelope.</exception>
    /// <param name="text">The message.</param>
    /// <param name="account">The recipient account.</param>
    /// <param name="category">What a business's message to a person is (service: a reply in the customer's conversation).</param>
    internal async Task<IReadOnlyList<RelayRecord>> SendAsync(string text, string account, Category category = Category.Service)
    {
        await RefreshDeviceListAsync(account).ConfigureAwait(false);
        await RefreshDeviceListAsync(Address.Name).ConfigureAwait(false);
        bool toPerson = Kind == AccountKind.Business && _directory.KindOf(account) == AccountKind.Person;
        byte[] referral = _referrals.Remove(account, out byte[]? r) ? r : [];
        var message = new ApplicationMessage(Encoding.UTF8.GetBytes(text), toPerson ? (int)category : 0, referral);
        FanOutResult result = await _fanOut.SendAsync(account, message).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"The fan-out to {account} failed: {result.Failure}.");
        }

        byte[] messageId = RandomNumberGenerator.GetBytes(Envelope.MessageIdLength);
        ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var records = new List<RelayRecord>();
        foreach (OutgoingMessage outgoing in result.Messages)
        {
            bool businessToPerson = Kind == AccountKind.Business && outgoing.RecipientKind == AccountKind.Person;
            var envelope = new Envelope(Address, Kind, outgoing.Recipient, outgoing.RecipientKind, messageId, now, outgoing.Message, businessToPerson ? category : Category.Unspecified);
            if (!_relay.TrySubmit(EnvelopeCodec.Encode(envelope), out RelayRecord? record, out EnvelopeFailure failure))
            {
                throw new InvalidOperationException($"The relay refused our envelope to {outgoing.Recipient}: {failure}.");
            }

            records.Add(record!);
        }

        _transcript.Add(new TranscriptEntry(records[0].Sequence, "me", text));
        return records;
    }

    /// <summary>
    /// Decodes an envelope delivered by the relay (validated again on this side), decrypts it, and adds
    /// it to the transcript. A refused delivery (duplicate, tampered, not for us) changes nothing.
    /// </summary>
    internal async Task<Received> ReceiveAsync(byte[] envelopeBytes, int relaySequence)
    {
        if (!EnvelopeCodec.TryDecode(envelopeBytes, out Envelope? envelope, out E2eChatFailure envelopeFailure))
        {
            return new Received(default, null, envelopeFailure);
        }

        // Refused with E2eChatFailure.WrongRecipient unless the envelope is addressed to this device.
        DecryptResult result = await Manager.TryDecryptAsync(envelope).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return new Received(envelope.Sender, null, result.Failure);
        }

        if (!Content.TryRead(result.Plaintext!, out Content? content, out E2eChatFailure contentFailure))
        {
            return new Received(envelope.Sender, null, contentFailure);
        }

        string speaker = _directory.DisplayName(envelope.Sender);
        ApplicationMessage? message = content.Message;
        string? note = null;
        if (content.Kind == ContentKind.Sync)
        {
            message = content.Sync!.Message;
            speaker += $" (to {content.Sync.Recipient})";
            note = $"sync copy of a message to {content.Sync.Recipient}";
        }
        else if (message is not null)
        {
            bool businessToPerson = envelope.SenderKind == AccountKind.Business && envelope.RecipientKind == AccountKind.Person;
            contentFailure = Content.CheckCategory(message, businessToPerson, (int)envelope.Category);
            note = message.HasReferral ? $"referral \"{Encoding.UTF8.GetString(message.Referral.Span)}\" from the contact link" : null;
        }

        if (message is null || contentFailure != E2eChatFailure.None)
        {
            return new Received(envelope.Sender, null, message is null ? E2eChatFailure.UnknownContent : contentFailure);
        }

        string text = Encoding.UTF8.GetString(message.Body.Span);
        _transcript.Add(new TranscriptEntry(relaySequence, speaker, text));
        return new Received(envelope.Sender, text, E2eChatFailure.None, note);
    }

    private async Task RefreshDeviceListAsync(string account)
    {
        byte[] list = _directory.DeviceList(account)
            ?? throw new InvalidOperationException($"The directory has no device list for {account}.");
        DeviceListUpdate update = await Accounts.ApplyAsync(account, list).ConfigureAwait(false);
        if (!update.IsSuccess)
        {
            throw new InvalidOperationException($"The device list of {account} was refused: {update.Failure}.");
        }
    }

    private ValueTask<PreKeyBundle?> FetchBundleAsync(ProtocolAddress device, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_directory.TakeBundle(device) is { } bytes && PreKeyBundle.TryParse(bytes, out PreKeyBundle? bundle, out _) ? bundle : null);

    /// <summary>Releases the session manager's cached state.</summary>
    public void Dispose() => Manager.Dispose();
}
