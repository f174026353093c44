using System.Text;
using E2eChat.Relay;
using E2eChat.Wire;

namespace E2eChat.Demo;

/// <summary>
/// A relay in memory that handles bytes only: it holds no key and parses nothing but what
/// <see cref="EnvelopeValidator"/> reports. Every envelope is validated before it is queued (invalid
/// ones are refused), messages sent by business accounts are metered, and every accepted envelope is
/// kept so the leak check can search everything the relay ever stored.
/// </summary>
internal sealed class InMemoryRelay
{
    private const int PrefixLength = 16;

    private readonly List<byte[]> _stored = [];
    private readonly List<RelayRecord> _records = [];
    private readonly Dictionary<ProtocolAddress, List<(RelayRecord Record, byte[] Envelope)>> _mailboxes = [];
    private readonly SortedDictionary<string, int> _businessMessages = new(StringComparer.Ordinal);

    /// <summary>Every envelope accepted, in arrival order (copies of the bytes received).</summary>
    internal IReadOnlyList<byte[]> Stored => _stored;

    /// <summary>What the relay saw of each accepted envelope, in arrival order.</summary>
    internal IReadOnlyList<RelayRecord> Records => _records;

    /// <summary>Messages sent per business account (the metering a business is billed by).</summary>
    internal IReadOnlyDictionary<string, int> BusinessMessageCounts => _businessMessages;

    /// <summary>How many envelopes were refused by the validator.</summary>
    internal int Refused { get; private set; }

    /// <summary>Validates <paramref name="envelope"/> and, when valid, stores and queues it for its recipient.</summary>
    internal bool TrySubmit(ReadOnlySpan<byte> envelope, out RelayRecord? record, out EnvelopeFailure failure)
    {
        record = null;
        if (!EnvelopeValidator.TryValidate(envelope, out EnvelopeView info, out failure))
        {
            Refused++;
            return false;
        }

        byte[] copy = envelope.ToArray();
        ProtocolAddress sender = new(Encoding.ASCII.GetString(info.Sender.GetName(copy)), info.Sender.Device);
        ProtocolAddress recipient = new(Encoding.ASCII.GetString(info.Recipient.GetName(copy)), info.Recipient.Device);
        ReadOnlySpan<byte> ciphertext = CiphertextField(copy, info);
        record = new RelayRecord(
            _records.Count + 1,
            info.Type,
            info.Length,
            sender,
            info.Sender.Kind,
            recipient,
            info.CiphertextLength,
            ciphertext[..Math.Min(PrefixLength, ciphertext.Length)].ToArray());

        _stored.Add(copy);
        _records.Add(record);
        if (info.Sender.Kind == AccountKind.Business)
        {
            _businessMessages[sender.Name] = _businessMessages.GetValueOrDefault(sender.Name) + 1;
        }

        if (!_mailboxes.TryGetValue(recipient, out List<(RelayRecord Record, byte[] Envelope)>? mailbox))
        {
            mailbox = [];
            _mailboxes.Add(recipient, mailbox);
        }

        mailbox.Add((record, [.. copy]));
        return true;
    }

    /// <summary>
    /// Hands over (and empties) the mailbox of <paramref name="recipient"/>, in arrival order, each
    /// envelope with its record; the caller delivers them (and may reorder or repeat deliveries).
    /// </summary>
    internal IReadOnlyList<(RelayRecord Record, byte[] Envelope)> Collect(ProtocolAddress recipient)
    {
        if (!_mailboxes.Remove(recipient, out List<(RelayRecord Record, byte[] Envelope)>? mailbox))
        {
            return [];
        }

        return mailbox;
    }

    /// <summary>
    /// The ciphertext field of a validated envelope. The validator accepts only the canonical encoding
    /// (fields in ascending order, PROTOCOL.md section 8), so in a pre-key or ratchet envelope the
    /// ratchet message's ciphertext is the last field and its <see cref="EnvelopeView.CiphertextLength"/>
    /// bytes end the envelope; in a sender-key envelope only the signature field (tag, length, 64
    /// bytes) follows it.
    /// </summary>
    internal static ReadOnlySpan<byte> CiphertextField(ReadOnlySpan<byte> envelope, in EnvelopeView info)
    {
        int end = info.Type == EnvelopeType.SenderKey ? info.Length - (2 + WireLimits.SignatureLength) : info.Length;
        return envelope[(end - info.CiphertextLength)..end];
    }
}
