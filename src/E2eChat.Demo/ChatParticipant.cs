using System.Security.Cryptography;
using System.Text;
using E2eChat.Envelopes;
using E2eChat.Keys;
using E2eChat.Relay;
using E2eChat.Wire;
using E2eChat.Sessions;
using E2eChat.Storage;

namespace E2eChat.Demo;

/// <summary>
/// One device in the chat (a customer's phone or a support agent's desk), as an app would build it on
/// the library: its identity and in-memory stores, a <see cref="SessionManager"/>, and the bundles it
/// publishes. It talks to the world only through the key directory and the relay, in bytes.
/// </summary>
internal sealed class ChatParticipant : IDisposable
{
    private readonly KeyDirectory _directory;
    private readonly InMemoryRelay _relay;
    private readonly List<TranscriptEntry> _transcript = [];

    private ChatParticipant(ProtocolAddress address, AccountKind kind, ProtocolStores stores, KeyDirectory directory, InMemoryRelay relay)
    {
        Address = address;
        Kind = kind;
        Stores = stores;
        Manager = new SessionManager(stores, address);
        _directory = directory;
        _relay = relay;
    }

    /// <summary>This device's address.</summary>
    internal ProtocolAddress Address { get; }

    /// <summary>Person or business.</summary>
    internal AccountKind Kind { get; }

    /// <summary>The device's stores (identity, sessions, pre-keys).</summary>
    internal ProtocolStores Stores { get; }

    /// <summary>The device's session manager.</summary>
    internal SessionManager Manager { get; }

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

    /// <summary>
    /// Fetches a bundle of <paramref name="device"/> from the directory, verifies it and starts a
    /// session from it (no round trip: the first message can go out right away).
    /// </summary>
    /// <exception cref="InvalidOperationException">No bundle is left, or the bundle does not verify.</exception>
    internal async Task<PreKeyBundle> OpenSessionAsync(ProtocolAddress device)
    {
        byte[] bytes = _directory.TakeBundle(device)
            ?? throw new InvalidOperationException($"The directory has no bundle left for {device}.");
        if (!PreKeyBundle.TryParse(bytes, out PreKeyBundle? bundle, out BundleFailure failure))
        {
            throw new InvalidOperationException($"The bundle of {device} does not verify: {failure}.");
        }

        await Manager.StartSessionAsync(device, bundle).ConfigureAwait(false);
        return bundle;
    }

    /// <summary>
    /// Encrypts <paramref name="text"/> once per recipient device (opening sessions from the directory
    /// where needed), wraps each in an envelope and submits the bytes to the relay.
    /// </summary>
    /// <returns>What the relay recorded for each envelope, in recipient order.</returns>
    /// <exception cref="InvalidOperationException">The relay refused one of our envelopes.</exception>
    /// <param name="text">The message.</param>
    /// <param name="recipients">The recipient devices.</param>
    /// <param name="category">What a business's message to a person is (service: a reply in the customer's conversation).</param>
    internal async Task<IReadOnlyList<RelayRecord>> SendAsync(string text, IReadOnlyList<ProtocolAddress> recipients, Category category = Category.Service)
    {
        byte[] plaintext = Encoding.UTF8.GetBytes(text);
        var records = new List<RelayRecord>();
        foreach (ProtocolAddress recipient in recipients)
        {
            if (!await Manager.HasSessionAsync(recipient).ConfigureAwait(false))
            {
                await OpenSessionAsync(recipient).ConfigureAwait(false);
            }

            CiphertextMessage message = await Manager.EncryptAsync(recipient, plaintext).ConfigureAwait(false);
            AccountKind recipientKind = _directory.KindOf(recipient.Name);
            var envelope = new Envelope(
                Address,
                Kind,
                recipient,
                recipientKind,
                RandomNumberGenerator.GetBytes(Envelope.MessageIdLength),
                (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                message,
                Kind == AccountKind.Business && recipientKind == AccountKind.Person ? category : Category.Unspecified);
            if (!_relay.TrySubmit(EnvelopeCodec.Encode(envelope), out RelayRecord? record, out EnvelopeFailure failure))
            {
                throw new InvalidOperationException($"The relay refused our envelope to {recipient}: {failure}.");
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
        if (!EnvelopeCodec.TryDecode(envelopeBytes, out Envelope? envelope, out EnvelopeFailure envelopeFailure))
        {
            return new Received(default, null, envelopeFailure);
        }

        // Refused with SessionManagerFailure.WrongRecipient unless the envelope is addressed to this device.
        DecryptResult result = await Manager.TryDecryptAsync(envelope).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return new Received(envelope.Sender, null, result.Failure);
        }

        string text = Encoding.UTF8.GetString(result.Plaintext!);
        _transcript.Add(new TranscriptEntry(relaySequence, _directory.DisplayName(envelope.Sender), text));
        return new Received(envelope.Sender, text, null);
    }

    /// <summary>Releases the session manager's cached state.</summary>
    public void Dispose() => Manager.Dispose();
}
