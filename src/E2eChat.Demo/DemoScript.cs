using System.Globalization;
using System.Text;
using E2eChat.Ratchet;
using E2eChat.Relay;
using E2eChat.Wire;

namespace E2eChat.Demo;

/// <summary>
/// The demo: a customer opens a chat with a business from a signed "click to chat" link (shown as a QR
/// code) and talks with its two support agents, one of them run by an outside processor, through a key
/// directory and a relay that only ever handle bytes. Every message goes out through the library's
/// fan-out to the devices of the recipient's signed device list, with sync copies. Prints the
/// conversation as each device sees it beside what the relay saw, then checks that no plaintext
/// reached the relay.
/// </summary>
internal sealed class DemoScript
{
    /// <summary>The business account.</summary>
    internal const string Business = "acme-shoes";

    /// <summary>The company that runs Priya's desk for the business (a hosted device).</summary>
    internal const string Processor = "Nightdesk Support Ltd";

    private const string WebHost = "acme-shoes.example";

    private static readonly ProtocolAddress s_alice = new("alice", 1);
    private static readonly ProtocolAddress s_sam = new(Business, 1);
    private static readonly ProtocolAddress s_priya = new(Business, 2);

    private readonly DemoReport _report;
    private readonly KeyDirectory _directory = new();
    private readonly InMemoryRelay _relay = new();
    private readonly Dictionary<int, string> _sentBySequence = [];
    private int _decrypted;
    private int _duplicatesRefused;

    private DemoScript(TextWriter output) => _report = new DemoReport(output);

    /// <summary>Runs the whole demo, writing its report to <paramref name="output"/>.</summary>
    internal static Task<DemoResult> RunAsync(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return new DemoScript(output).RunCoreAsync();
    }

    private async Task<DemoResult> RunCoreAsync()
    {
        _report.Heading("1. Each device creates its identity and publishes 3 pre-key bundles (bytes) to the key directory");
        using ChatParticipant alice = await ChatParticipant.CreateAsync(s_alice, AccountKind.Person, "Alice", _directory, _relay).ConfigureAwait(false);
        using ChatParticipant sam = await ChatParticipant.CreateAsync(s_sam, AccountKind.Business, "Sam (Acme Shoes)", _directory, _relay).ConfigureAwait(false);
        using ChatParticipant priya = await ChatParticipant.CreateAsync(s_priya, AccountKind.Business, "Priya (Acme Shoes)", _directory, _relay).ConfigureAwait(false);
        foreach (ChatParticipant p in new[] { alice, sam, priya })
        {
            _report.Line($"  {p.Address,-13} {p.Kind,-8} {_directory.DisplayName(p.Address)}");
        }

        _report.Heading("2. Each account signs its device list with its account key: who runs each device");
        using AccountKeyPair shopKey = AccountKeyPair.Generate();
        using AccountKeyPair aliceKey = AccountKeyPair.Generate();
        ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var shopList = new DeviceList(Business, AccountKind.Business, 1, now, [await sam.EntryAsync("Sam").ConfigureAwait(false), await priya.EntryAsync("Priya (night desk)", DeviceRole.Hosted, Processor).ConfigureAwait(false)]);
        _directory.PublishDeviceList(SignedDeviceList.Sign(shopKey, shopList));
        _directory.PublishDeviceList(SignedDeviceList.Sign(aliceKey, new DeviceList(alice.Address.Name, AccountKind.Person, 1, now, [await alice.EntryAsync("Alice's phone").ConfigureAwait(false)])));
        foreach (DeviceEntry entry in shopList.Devices)
        {
            _report.Line($"  {new ProtocolAddress(Business, entry.Device),-13} {entry}");
        }

        string firstMessage = "Hi! I ordered the Trail Runner 2 in size 42, but the box has a size 44 pair.";
        var link = new ContactLink(Business, "Acme Shoes", shopKey.PublicKey, now, now + (30UL * 24 * 60 * 60 * 1000), firstMessage, Encoding.UTF8.GetBytes("ad-2026-12-trail"));
        string uri = SignedContactLink.Sign(shopKey, link).ToWebUri(WebHost);
        _report.Heading($"3. Alice scans Acme Shoes' signed \"click to chat\" link ({uri.Length} characters; account key {shopKey.PublicKey})");
        foreach (string row in ContactLinkQr.ToText(uri).Split('\n'))
        {
            _report.Line($"  {row}");
        }

        using (AccountKeyPair swapped = AccountKeyPair.Generate())
        {
            byte[] forgedList = SignedDeviceList.Sign(swapped, shopList).ToBytes();
            (E2eChatFailure refused, _) = await alice.OpenContactLinkAsync(uri, now, forgedList).ConfigureAwait(false);
            _report.Line($"  a key directory that swaps Acme Shoes' account key is caught: {refused}; nothing pinned");
        }

        (E2eChatFailure opened, SignedContactLink? openedLink) = await alice.OpenContactLinkAsync(uri, now).ConfigureAwait(false);
        BusinessInfo? info = await alice.Accounts.GetBusinessInfoAsync(Business).ConfigureAwait(false);
        if (opened != E2eChatFailure.None || openedLink is null || info is null)
        {
            Problem($"the contact link did not open: {opened}");
            firstMessage = "Hi!";
        }
        else
        {
            _report.Line($"  link verified, device list signed by the link's account key: {info}");
            _report.Line($"  prefilled text: \"{openedLink.Link.PrefilledText}\"; the referral goes only into the first encrypted message");
        }

        _report.Heading("4. Alice writes; the library's fan-out encrypts each message once per device of Acme Shoes' list");
        await SendAsync(alice, firstMessage, Business).ConfigureAwait(false);
        await SendAsync(alice, "My order number is AC-104-7731.", Business).ConfigureAwait(false);

        _report.Heading("5. Delivery: Sam's desk in order plus a duplicated delivery; Priya's desk in reverse order");
        IReadOnlyList<(RelayRecord Record, byte[] Envelope)> toSam = _relay.Collect(s_sam);
        await DeliverAsync(sam, toSam).ConfigureAwait(false);
        await DeliverDuplicateAsync(sam, toSam[0]).ConfigureAwait(false);
        IReadOnlyList<(RelayRecord Record, byte[] Envelope)> toPriya = _relay.Collect(s_priya);
        await DeliverAsync(priya, [.. toPriya.Reverse()]).ConfigureAwait(false);

        _report.Heading("6. Sam answers (the fan-out adds a sync copy for Priya's desk)");
        await SendAsync(sam, "Hello! Sam from Acme Shoes here. Sorry about the mix-up, we will sort it out today.", s_alice.Name).ConfigureAwait(false);
        await DeliverAllAsync(alice, priya).ConfigureAwait(false);

        _report.Heading("7. Alice answers (a new turn: a DH ratchet step)");
        await SendAsync(alice, "Thanks, Sam! Should I send the size 44 pair back first?", Business).ConfigureAwait(false);
        await DeliverAllAsync(sam, priya).ConfigureAwait(false);

        _report.Heading("8. Priya answers twice; Alice's phone receives the two in reverse order");
        await SendAsync(priya, "Priya here, I am taking over the return. No need to wait for it to arrive.", s_alice.Name).ConfigureAwait(false);
        await SendAsync(priya, "The right pair ships tonight; your prepaid return label is on the order page.", s_alice.Name).ConfigureAwait(false);
        await DeliverAsync(alice, [.. _relay.Collect(s_alice).Reverse()]).ConfigureAwait(false);
        await DeliverAllAsync(sam).ConfigureAwait(false);

        _report.Heading("9. Alice pastes her packing slip (a longer message)");
        await SendAsync(alice, PackingSlip(), Business).ConfigureAwait(false);
        await DeliverAllAsync(sam, priya).ConfigureAwait(false);

        _report.Heading("10. Alternating turns between Alice and Sam (a DH ratchet step each turn)");
        (ChatParticipant From, string Text)[] turns =
        [
            (sam, "Got the slip, thank you. The swap is booked under return AC-RL-5521."),
            (alice, "Perfect. Could the new pair be navy instead of grey?"),
            (sam, "Done: navy, size 42, ships tonight with tracking by email."),
            (alice, "Wonderful, thanks to you both!"),
        ];
        foreach ((ChatParticipant from, string text) in turns)
        {
            await SendAsync(from, text, from == alice ? Business : s_alice.Name).ConfigureAwait(false);
            await DeliverAllAsync(alice, sam, priya).ConfigureAwait(false);
        }

        _report.Heading("11. Someone submits a forged envelope (a stored one with its version changed to 2)");
        byte[] forged = [.. _relay.Stored[^1]];
        forged[1] = 2; // Byte 0 is the tag of field 1 (version), byte 1 its value.
        if (_relay.TrySubmit(forged, out _, out EnvelopeFailure failure))
        {
            Problem("the relay accepted a forged envelope");
        }
        else
        {
            _report.Line($"  relay refused it: {failure}; nothing stored or queued");
        }

        bool safetyNumbersMatch = await CompareSafetyNumbersAsync(alice, sam).ConfigureAwait(false);

        _report.Heading("13. The conversation as each device shows it (in order of sending and decryption; [#n] = relay envelope)");
        foreach (ChatParticipant p in new[] { alice, sam, priya })
        {
            _report.Line($"  {_directory.DisplayName(p.Address)} on {p.Address}:");
            foreach (TranscriptEntry entry in p.Transcript)
            {
                _report.Line($"    [#{entry.RelaySequence:D2}] {entry.Speaker}: {Shorten(entry.Text)}");
            }
        }

        _report.Heading("14. What the relay saw: type, size, sender -> recipient, first 16 bytes of the ciphertext field");
        foreach (RelayRecord record in _relay.Records)
        {
            _report.Line($"  {record}");
        }

        _report.Line($"  {_relay.Records.Count} envelopes validated and stored, {_relay.Refused} refused");
        foreach ((string business, int count) in _relay.BusinessMessageCounts)
        {
            int toOwnDevices = _relay.Records.Count(r => r.Sender.Name == business && r.Recipient.Name == business);
            _report.Line($"  metering: {business} sent {count} messages ({count - toOwnDevices} to customers, {toOwnDevices} sync copies to its own devices)");
        }

        _report.Heading("15. Leak check: no plaintext (nor any 8-byte window of one) in the bytes the relay stored");
        IReadOnlyList<LeakFinding> leaks = LeakCheck.FindLeaks(_relay.Stored, _report.Plaintexts);
        long storedBytes = _relay.Stored.Sum(e => (long)e.Length);
        _report.Line($"  searched {_report.Plaintexts.Count} plaintexts in {_relay.Stored.Count} envelopes ({storedBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes)");
        foreach (LeakFinding leak in leaks)
        {
            _report.Line($"  LEAK: {leak}");
        }

        var result = new DemoResult(
            _relay.Records.Count,
            _relay.Refused,
            _decrypted,
            _duplicatesRefused,
            _relay.BusinessMessageCounts,
            safetyNumbersMatch,
            leaks,
            _report.Problems);
        _report.Line(leaks.Count == 0 ? "  no leak" : $"  {leaks.Count} plaintext(s) leaked");
        _report.Line();
        _report.Line(result.Succeeded
            ? $"OK: {_decrypted} messages decrypted, {_duplicatesRefused} duplicate refused, {_relay.Refused} forged envelope refused, no leak."
            : $"FAILED: {string.Join("; ", _report.Problems.Append(leaks.Count == 0 ? string.Empty : "plaintext leaked to the relay").Where(s => s.Length > 0))}");
        return result;
    }

    private async Task<bool> CompareSafetyNumbersAsync(ChatParticipant alice, ChatParticipant sam)
    {
        _report.Heading("12. Alice and Sam compare their safety number (out of band, e.g. in the shop)");
        IdentityKey? samSeenByAlice = await alice.Stores.Identities.GetIdentityAsync(sam.Address).ConfigureAwait(false);
        IdentityKey? aliceSeenBySam = await sam.Stores.Identities.GetIdentityAsync(alice.Address).ConfigureAwait(false);
        if (samSeenByAlice is null || aliceSeenBySam is null)
        {
            Problem("an identity was not recorded");
            return false;
        }

        SafetyNumber onAlicesPhone = SafetyNumber.Create(alice.Address.Name, await alice.IdentityAsync().ConfigureAwait(false), sam.Address.Name, samSeenByAlice);
        SafetyNumber onSamsDesk = SafetyNumber.Create(sam.Address.Name, await sam.IdentityAsync().ConfigureAwait(false), alice.Address.Name, aliceSeenBySam);
        PrintSafetyNumber("Alice's phone:", onAlicesPhone);
        PrintSafetyNumber("Sam's desk:   ", onSamsDesk);
        bool match = onAlicesPhone.Digits == onSamsDesk.Digits && onAlicesPhone.Digits.Length == SafetyNumber.DigitCount;
        _report.Line(match ? "  the 60 digits are equal on both sides" : "  MISMATCH");
        if (!match)
        {
            Problem("the safety numbers differ");
        }

        return match;
    }

    private void PrintSafetyNumber(string label, SafetyNumber number)
    {
        for (int row = 0; row < 3; row++)
        {
            string groups = string.Join(' ', number.Groups.Skip(row * 4).Take(4));
            _report.Line($"  {(row == 0 ? label : new string(' ', label.Length))}  {groups}");
        }
    }

    private async Task SendAsync(ChatParticipant from, string text, string account)
    {
        _report.Line($"  {_directory.DisplayName(from.Address)} sends to {account}: {Shorten(text)}");
        _report.Sent(text);
        foreach (RelayRecord record in await from.SendAsync(text, account).ConfigureAwait(false))
        {
            _sentBySequence.Add(record.Sequence, text);
            _report.Line($"      relay stored {record}");
        }
    }

    private async Task DeliverAllAsync(params ChatParticipant[] devices)
    {
        foreach (ChatParticipant device in devices)
        {
            await DeliverAsync(device, _relay.Collect(device.Address)).ConfigureAwait(false);
        }
    }

    private async Task DeliverAsync(ChatParticipant to, IReadOnlyList<(RelayRecord Record, byte[] Envelope)> deliveries)
    {
        foreach ((RelayRecord record, byte[] envelope) in deliveries)
        {
            Received received = await to.ReceiveAsync(envelope, record.Sequence).ConfigureAwait(false);
            if (received.Text is null)
            {
                Problem($"#{record.Sequence:D2} to {to.Address} did not decrypt: {received.Failure}");
                _report.Line($"    #{record.Sequence:D2} -> {to.Address,-13} FAILED: {received.Failure}");
            }
            else if (received.Text != _sentBySequence[record.Sequence] || received.From != record.Sender)
            {
                Problem($"#{record.Sequence:D2} to {to.Address} decrypted to another text or sender");
            }
            else
            {
                _decrypted++;
                _report.Line($"    #{record.Sequence:D2} -> {to.Address,-13} shows  {_directory.DisplayName(received.From)}: {Shorten(received.Text)}{(received.Note is null ? string.Empty : $" [{received.Note}]")}");
            }
        }
    }

    private async Task DeliverDuplicateAsync(ChatParticipant to, (RelayRecord Record, byte[] Envelope) delivery)
    {
        Received received = await to.ReceiveAsync(delivery.Envelope, delivery.Record.Sequence).ConfigureAwait(false);
        if (received.Failure is E2eChatFailure.Duplicate)
        {
            _duplicatesRefused++;
            _report.Line($"    #{delivery.Record.Sequence:D2} -> {to.Address,-13} delivered again: refused as {received.Failure}, not shown twice");
        }
        else
        {
            Problem($"the duplicated delivery of #{delivery.Record.Sequence:D2} gave {(object?)received.Failure ?? "a second copy"}");
        }
    }

    private void Problem(string what) => _report.Problem(what, $"  PROBLEM: {what}");

    private static string PackingSlip()
    {
        string[] colours = ["grey", "navy", "black", "teal"];
        string[] checkers = ["Kim", "Ola", "Ravi", "Jo", "Mei"];
        var slip = new StringBuilder("Packing slip for order AC-104-7731, as printed on the box:\n");
        for (int i = 1; i <= 48; i++)
        {
            slip.Append(CultureInfo.InvariantCulture, $"{i:D2}. Trail Runner 2 / size {(i % 3 == 0 ? 44 : 42)} / {colours[i % 4]} / insole type {(i % 3) + 1} / checked by {checkers[i % 5]}\n");
        }

        return slip.Append("Only the last line matters: the pair in the box is size 44.").ToString();
    }

    private static string Shorten(string text)
    {
        string line = text.ReplaceLineEndings(" / ");
        return line.Length <= 90 ? $"\"{line}\"" : $"\"{line[..60]}...\" ({Encoding.UTF8.GetByteCount(text):N0} bytes)";
    }
}
