using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using E2eChat.Accounts;
using E2eChat.Client;
using E2eChat.Messages;
using E2eChat.Wire;
using E2eChat.Wire.Consent;

namespace E2eChat.Demo;

/// <summary>
/// The customer-business story on the real relay: the reference relay runs in process on loopback over
/// SQLite in a temporary directory, and every participant is a <see cref="ChatDevice"/> with its own
/// SQLite store talking real gRPC. A contact link shown as a QR code, opt-in, support by two agents
/// (one hosted by a disclosed processor), a lost acknowledgement (redelivery not shown twice), a
/// business update under the grant, marketing refused without consent, a one-tap block, the
/// business's bill, and a leak check over the relay's database files.
/// </summary>
internal sealed class RelayDemoScript
{
    private const string Shop = "acme-shoes";
    private const string Processor = "helpdesk-cloud";
    private static readonly TimeSpan s_stepTimeout = TimeSpan.FromSeconds(60);

    private readonly TextWriter _out;
    private readonly string _root;
    private readonly List<string> _problems = [];
    private readonly List<byte[]> _plaintexts = [];
    private int _shown;
    private int _refusedByRelay;
    private int _droppedByDevice;
    private ConsentState _aliceConsent;

    private RelayDemoScript(TextWriter output, string root)
    {
        _out = output;
        _root = root;
    }

    /// <summary>Runs the story in a new temporary directory (deleted afterwards), writing the report to <paramref name="output"/>.</summary>
    internal static async Task<RelayDemoResult> RunAsync(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        string root = Path.Combine(Path.GetTempPath(), "e2echat-demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        Directory.CreateDirectory(root);
        try
        {
            return await new RelayDemoScript(output, root).RunCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // Left to the temp cleaner.
            }
        }
    }

    private async Task<RelayDemoResult> RunCoreAsync()
    {
        Heading("1. The relay starts in process on loopback, over SQLite in a temporary directory");
        await using DemoRelay relay = await DemoRelay.StartAsync(Path.Combine(_root, "relay")).ConfigureAwait(false);
        Line($"  listening on {relay.Address} (gRPC, HTTP/2); data in {relay.DataDirectory}");

        Heading("2. Each device opens its SQLite store (sealed under its own storage key), signs in and publishes pre-keys");
        await using ChatDevice alice = await OpenAsync(relay, "alice", 1, AccountKind.Person).ConfigureAwait(false);
        await using ChatDevice bob = await OpenAsync(relay, "bob", 1, AccountKind.Person).ConfigureAwait(false);
        await using ChatDevice sam = await OpenAsync(relay, Shop, 1, AccountKind.Business).ConfigureAwait(false);
        ChatDevice helpdesk = await OpenAsync(relay, Shop, 2, AccountKind.Business).ConfigureAwait(false);
        try
        {
            return await PlayAsync(relay, alice, bob, sam, helpdesk).ConfigureAwait(false);
        }
        finally
        {
            await helpdesk.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<RelayDemoResult> PlayAsync(DemoRelay relay, ChatDevice alice, ChatDevice bob, ChatDevice sam, ChatDevice helpdesk)
    {
        ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using AccountKeyPair shopKey = AccountKeyPair.Generate();
        using AccountKeyPair aliceKey = AccountKeyPair.Generate();
        SignedDeviceList shopList = SignedDeviceList.Sign(shopKey, new DeviceList(Shop, AccountKind.Business, 1, now, [
            new DeviceEntry(1, sam.Identity, "Sam (support)", DeviceRole.Agent),
            new DeviceEntry(2, helpdesk.Identity, "Helpdesk bot", DeviceRole.Hosted, Processor)]));
        SignedDeviceList aliceList = SignedDeviceList.Sign(aliceKey, new DeviceList("alice", AccountKind.Person, 1, now, [
            new DeviceEntry(1, alice.Identity, "Alice's phone", DeviceRole.Agent)]));
        foreach (ChatDevice agent in new[] { sam, helpdesk })
        {
            Check((await agent.Accounts.ApplyAsync(Shop, shopList.ToBytes()).ConfigureAwait(false)).IsSuccess, "the shop's devices accept their own device list");
        }

        Check((await alice.Accounts.ApplyAsync("alice", aliceList.ToBytes()).ConfigureAwait(false)).IsSuccess, "Alice's device accepts her device list");

        Heading("3. Acme Shoes prints a contact link as a QR code (signed by its account key; asks for order updates and offers)");
        var link = new ContactLink(Shop, "Acme Shoes", shopKey.PublicKey, now, now + (30UL * 24 * 3600 * 1000), "Hi Acme!", scopes: (uint)(ConsentScopes.Utility | ConsentScopes.Marketing));
        string uri = SignedContactLink.Sign(shopKey, link).ToUri();
        Line($"  {uri[..Math.Min(uri.Length, 72)]}... ({uri.Length} characters)");
        _out.WriteLine(ContactLinkQr.ToText(uri));

        Heading("4. Alice scans it: the link verifies, her device pins the shop's account key and device list, and discloses who reads her messages");
        if (!SignedContactLink.TryOpen(uri, now, out SignedContactLink? opened, out ContactLinkFailure linkFailure))
        {
            return Fail($"the contact link did not open: {linkFailure}", relay);
        }

        (ContactLinkFailure openFailure, DeviceListUpdate? update) = await alice.Accounts.OpenContactLinkAsync(opened, shopList.ToBytes()).ConfigureAwait(false);
        Check(openFailure == ContactLinkFailure.None && update is { IsSuccess: true }, $"the contact link's device list is accepted ({openFailure})");
        BusinessInfo? info = await alice.Accounts.GetBusinessInfoAsync(Shop).ConfigureAwait(false);
        Check(info is { EndToEnd: EndToEnd.ToProcessor } && info.Processors.Contains(Processor), "the hosted agent's processor is disclosed");
        Line($"  {opened.Link.DisplayName}: {info?.Devices.Devices.Count} devices; messages are end-to-end encrypted to the business"
            + (info?.EndToEnd == EndToEnd.ToProcessor ? $" and to its processor {string.Join(", ", info.Processors)} (disclosed before the first message)" : string.Empty));

        Heading("5. Opt-in: the link asks for order updates and offers; Alice ticks order updates only (a signed GRANT record)");
        byte[] grant = ConsentRecords.Sign(aliceKey, new ConsentRecord("alice", Shop, ConsentAction.Grant, ConsentScopes.Utility, serial: 1, now));
        ApplyConsent(new ConsentRecord("alice", Shop, ConsentAction.Grant, ConsentScopes.Utility, 1, now));
        await SendAllAsync("Alice sends her signed opt-in and her device list to both Acme devices",
            alice.SendContentToAccountAsync(Shop, Content.FromRecord(ContentKind.Consent, grant).ToBytes(), CancellationToken.None),
            alice.SendDeviceListAsync(Shop, aliceList)).ConfigureAwait(false);

        Heading("6. Alice writes; each message fans out to Sam and to the hosted helpdesk (one message id per message)");
        await SayAsync(alice, Shop, "Hi! I ordered the Trail Runner 2 in size 42, but the box has a size 44 pair.").ConfigureAwait(false);
        await SayAsync(alice, Shop, "My order number is AC-104-7731.").ConfigureAwait(false);
        _aliceConsent = ConsentPolicy.OpenWindow(_aliceConsent, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        Heading("7. Sam's desk receives the opt-in (kept as proof), Alice's device list and her messages");
        List<ChatEvent> atSam = await ReceiveAsync(sam, "Sam", e => e.OfType<MessageReceived>().Count() >= 2).ConfigureAwait(false);
        ContentReceived? proof = atSam.OfType<ContentReceived>().FirstOrDefault(c => c.Kind == ContentKind.Consent);
        ConsentFailure proofFailure = proof is null ? ConsentFailure.MissingRecord : ConsentRecords.Verify(proof.Record.Span, aliceKey.PublicKey, out _);
        Check(proofFailure == ConsentFailure.None, $"the opt-in record verifies under Alice's account key ({proofFailure})");
        Line($"  opt-in record: {(proofFailure == ConsentFailure.None ? "GRANT UTILITY, serial 1, signature verified under Alice's account key: kept as proof" : "refused: " + proofFailure)}");
        Check(atSam.OfType<DeviceListChanged>().Any(d => d.Update.List?.List.Account == "alice"), "Sam's device applies Alice's device list");

        Heading("8. The hosted helpdesk handles the same messages, but its acknowledgements are lost (a flaky network); it restarts");
        helpdesk.AcknowledgeFilter = _ => false;
        await ReceiveAsync(helpdesk, "Helpdesk", e => e.OfType<MessageReceived>().Count() >= 2).ConfigureAwait(false);
        await helpdesk.DisposeAsync().ConfigureAwait(false);
        helpdesk = await OpenAsync(relay, Shop, 2, AccountKind.Business, quiet: true).ConfigureAwait(false);
        List<ChatEvent> again = await ReceiveAsync(helpdesk, "Helpdesk", _ => true, quiet: true).ConfigureAwait(false);
        Check(!again.OfType<MessageReceived>().Any() && helpdesk.DuplicatesIgnored >= 2, "the redelivered messages are recognized and not shown again");
        Line($"  after the restart the relay delivered the unacknowledged messages again: {helpdesk.DuplicatesIgnored} recognized as received, 0 shown twice");

        Heading("9. Sam answers in the conversation (SERVICE); the helpdesk gets a sync copy");
        await SayAsync(sam, "alice", "Hello Alice, Sam from Acme Shoes. Sorry about the mix-up! A size 42 pair ships today.", Category.Service).ConfigureAwait(false);
        await ReceiveAsync(alice, "Alice", e => e.OfType<MessageReceived>().Any()).ConfigureAwait(false);
        await ReceiveAsync(helpdesk, "Helpdesk", e => e.OfType<MessageReceived>().Any(m => m.IsSyncCopy)).ConfigureAwait(false);

        Heading("10. A business update under Alice's grant (UTILITY): delivered, and covered by the grant even after the 24-hour window");
        await SayAsync(sam, "alice", "Update on AC-104-7731: your Trail Runner 2 (size 42) has shipped, tracking 1Z999AA10123456784.", Category.Utility).ConfigureAwait(false);
        await ReceiveAsync(alice, "Alice", e => e.OfType<MessageReceived>().Any()).ConfigureAwait(false);
        ulong dayAfter = (ulong)DateTimeOffset.UtcNow.AddHours(25).ToUnixTimeMilliseconds();
        Check(ConsentPolicy.Decide(_aliceConsent, Category.Utility, dayAfter) == ConsentDecision.Deliver, "the grant covers order updates after the window");
        Check(ConsentPolicy.Decide(_aliceConsent, Category.Marketing, dayAfter) == ConsentDecision.NoConsent, "the grant does not cover offers");
        Line("  tomorrow, outside the window: UTILITY -> Deliver (granted), MARKETING -> NoConsent (not granted)");

        Heading("11. Marketing without consent: Acme sends an offer to Bob, who never wrote and never opted in");
        SendResult offer = await sam.SendAsync(bob.Address, AccountKind.Person, "SALE! 30% off all running shoes this weekend only.", Category.Marketing).ConfigureAwait(false);
        Remember("SALE! 30% off all running shoes this weekend only.");
        Check(offer.Status == SendStatus.Refused && offer.Reason == "NoConsent", $"the relay refuses marketing without consent (got {offer})");
        if (offer.Status == SendStatus.Refused)
        {
            _refusedByRelay++;
        }

        Line($"  relay: {offer.Status} ({offer.Reason}); nothing stored, nothing billed");

        Heading("12. One tap: Alice blocks Acme Shoes (a signed BLOCK record); her device drops what still arrives");
        ApplyConsent(new ConsentRecord("alice", Shop, ConsentAction.Block, ConsentScopes.None, 2, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        byte[] block = ConsentRecords.Sign(aliceKey, new ConsentRecord("alice", Shop, ConsentAction.Block, ConsentScopes.None, 2, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        Line($"  BLOCK record, serial 2, {block.Length} bytes (the reference relay does not take records yet, PROTOCOL.md 17.5: the device enforces it)");
        await SayAsync(sam, "alice", "Alice, did you see our new trail collection? Reply YES for a catalogue.", Category.Service, expectShown: false).ConfigureAwait(false);
        await ReceiveAsync(alice, "Alice", e => _droppedByDevice > 0).ConfigureAwait(false);
        Check(_droppedByDevice == 1, "the blocked business's message is dropped on Alice's device");

        Heading("13. Acme's bill for today (the relay's ledger: one line per category, priced by its rate card)");
        DateOnly today = DateOnly.FromDateTime(DateTime.UtcNow);
        (IReadOnlyList<UsageLine> lines, string currency) = await sam.GetUsageAsync(today.AddDays(-1), today.AddDays(1)).ConfigureAwait(false);
        Line($"  {"day",-10}  {"category",-14} {"messages",8} {"unit price",12} {"amount",10}");
        foreach (UsageLine line in lines)
        {
            Line($"  {line.Day:yyyy-MM-dd}  {line.Category,-14} {line.Messages,8} {Money(line.UnitPriceMicros, currency),12} {Money(line.AmountMicros, currency),10}");
        }

        ulong total = (ulong)lines.Sum(l => (decimal)l.AmountMicros);
        Line($"  {"total",-41} {Money(total, currency),10}");
        Check(lines.Any(l => l.Category == Category.Utility && l.Messages == 1), "the shipping update is billed once as UTILITY");
        Check(!lines.Any(l => l.Category == Category.Marketing), "the refused offer is not billed");

        Heading("14. Leak check: no plaintext (nor any 8-byte window of one) in the relay's database files");
        IReadOnlyList<(string Name, byte[] Bytes)> files = relay.ReadFiles();
        long bytes = files.Sum(f => (long)f.Bytes.Length);
        Line($"  searched {_plaintexts.Count} plaintexts in {string.Join(", ", files.Select(f => $"{f.Name} ({f.Bytes.Length:N0} B)"))}");
        IReadOnlyList<LeakFinding> leaks = LeakCheck.FindLeaks(files.Select(f => f.Bytes), _plaintexts);
        Line(leaks.Count == 0 ? "  no leak" : $"  LEAK: {leaks.Count} plaintexts found");
        return Result(bytes, leaks, alice, sam, helpdesk);
    }

    private async Task<ChatDevice> OpenAsync(DemoRelay relay, string account, uint device, AccountKind kind, bool quiet = false)
    {
        var options = new ChatDeviceOptions
        {
            RelayAddress = relay.Address,
            Account = account,
            DeviceId = device,
            Kind = kind,
            DataDirectory = Path.Combine(_root, $"{account}.{device}"),
            OneTimePreKeyTarget = 10,
            OneTimePreKeyThreshold = 3,
        };
        byte[] storageKey = StorageKey(options.DataDirectory);
        ChatDevice chat = ChatDevice.Open(options, storageKey);
        await chat.ConnectAsync().ConfigureAwait(false);
        if (!quiet)
        {
            Line($"  {chat.Address,-14} {kind,-8} signed in; pre-keys published; store {Path.GetFileName(options.DataDirectory)}/{ChatDevice.ProtocolStoreFileName}");
        }

        return chat;
    }

    /// <summary>A device's storage key, kept (for the demo) in a file next to its state; an app keeps it in the platform's key store.</summary>
    private static byte[] StorageKey(string directory)
    {
        string path = directory + ".key";
        if (!File.Exists(path))
        {
            File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(32));
        }

        return File.ReadAllBytes(path);
    }

    private async Task SayAsync(ChatDevice from, string account, string text, Category category = Category.Unspecified, bool expectShown = true)
    {
        Remember(text);
        IReadOnlyList<SendResult> results = await from.SendToAccountAsync(account, text, category).ConfigureAwait(false);
        Check(results.All(r => r.IsAccepted), $"the relay accepts {from.Address}'s message to {account}");
        string devices = string.Join(", ", results.Select(r => $"{r.Recipient} {r.Status.ToString().ToLowerInvariant()}"));
        Line($"  {from.Address} -> {account}{(category == Category.Unspecified ? string.Empty : $" [{category.ToString().ToUpperInvariant()}]")}: \"{text}\"");
        Line($"      relay: {devices}{(expectShown ? string.Empty : " (the relay cannot know of the block)")}");
    }

    private async Task SendAllAsync(string what, params Task<IReadOnlyList<SendResult>>[] sends)
    {
        IReadOnlyList<SendResult>[] results = await Task.WhenAll(sends).ConfigureAwait(false);
        Check(results.All(r => r.All(s => s.IsAccepted)), what);
        Line($"  {what}: {results.Sum(r => r.Count)} envelopes accepted");
    }

    /// <summary>Receives until <paramref name="done"/> holds when the queue is caught up, printing what the device shows.</summary>
    private async Task<List<ChatEvent>> ReceiveAsync(ChatDevice device, string who, Func<List<ChatEvent>, bool> done, bool quiet = false)
    {
        var events = new List<ChatEvent>();
        using var timeout = new CancellationTokenSource(s_stepTimeout);
        try
        {
            await foreach (ChatEvent item in device.ReceiveAsync(timeout.Token).ConfigureAwait(false))
            {
                events.Add(item);
                if (!quiet)
                {
                    Show(device, who, item);
                }

                if (item is QueueCaughtUp && done(events))
                {
                    return events;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Check(false, $"{who}'s device received what was expected within {s_stepTimeout.TotalSeconds} s");
        }

        return events;
    }

    private void Show(ChatDevice device, string who, ChatEvent item)
    {
        switch (item)
        {
            case MessageReceived message when device.Kind == AccountKind.Person && message.SenderKind == AccountKind.Business:
                ConsentDecision decision = ConsentPolicy.Decide(_aliceConsent, message.Category, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                if (decision != ConsentDecision.Deliver)
                {
                    _droppedByDevice++;
                    Line($"    {who}'s device drops a {message.Category.ToString().ToUpperInvariant()} message from {message.Sender}: {decision}, never shown");
                    return;
                }

                Shown(who, message);
                break;
            case MessageReceived message:
                Shown(who, message);
                break;
            case ViolationDetected violation:
                Check(false, $"{who}'s device reported no violation (got {violation})");
                Line($"    {who}: {violation}");
                break;
            case ContentReceived content:
                Line($"    {who} receives a {content.Kind} record from {content.Sender} ({content.Record.Length} bytes)");
                break;
            case DeviceListChanged changed:
                Line($"    {who} applies {changed.Update.List?.List.Account}'s device list (version {changed.Update.List?.List.Version}, {changed.Update.List?.List.Devices.Count} devices)");
                break;
            case UntrustedIdentityDetected untrusted:
                Check(false, $"{who}'s device trusts every identity it meets ({untrusted})");
                break;
        }
    }

    private void Shown(string who, MessageReceived message)
    {
        _shown++;
        bool known = _plaintexts.Any(p => p.AsSpan().SequenceEqual(message.Body.Span));
        Check(known, $"{who}'s device shows a message as it was sent");
        string sync = message.IsSyncCopy ? $" (copy of a message to {message.SyncRecipient})" : string.Empty;
        Line($"    {who} shows  {message.Sender}{sync}: \"{message.Text}\"");
    }

    private void ApplyConsent(ConsentRecord record)
    {
        Check(record.ApplyTo("alice", Shop, _aliceConsent, out ConsentState next) == ConsentFailure.None, $"Alice's device applies her {record.Action} record");
        _aliceConsent = next;
    }

    private void Remember(string text) => _plaintexts.Add(Encoding.UTF8.GetBytes(text));

    private RelayDemoResult Fail(string problem, DemoRelay relay)
    {
        Check(false, problem);
        return Result(relay.ReadFiles().Sum(f => (long)f.Bytes.Length), [], null, null, null);
    }

    private RelayDemoResult Result(long relayBytes, IReadOnlyList<LeakFinding> leaks, ChatDevice? alice, ChatDevice? sam, ChatDevice? helpdesk)
    {
        long duplicates = (alice?.DuplicatesIgnored ?? 0) + (sam?.DuplicatesIgnored ?? 0) + (helpdesk?.DuplicatesIgnored ?? 0);
        var result = new RelayDemoResult(_shown, duplicates, _refusedByRelay, _droppedByDevice, relayBytes, leaks, [.. _problems]);
        _out.WriteLine();
        if (result.Succeeded)
        {
            _out.WriteLine($"OK: {_shown} messages shown, {duplicates} redeliveries not shown twice, {_refusedByRelay} refused by the relay (no consent), {_droppedByDevice} dropped after the block, no leak in {relayBytes:N0} bytes of relay files.");
        }
        else
        {
            _out.WriteLine($"FAILED: {_problems.Count} step(s) went wrong{(leaks.Count > 0 ? $", {leaks.Count} plaintexts leaked" : string.Empty)}:");
            foreach (string problem in _problems)
            {
                _out.WriteLine("  - " + problem);
            }
        }

        return result;
    }

    private void Check(bool condition, string expectation)
    {
        if (!condition)
        {
            _problems.Add(expectation);
            _out.WriteLine($"  !! expected: {expectation}");
        }
    }

    private static string Money(ulong micros, string currency) =>
        (micros / 1_000_000m).ToString("0.0000", CultureInfo.InvariantCulture) + " " + currency;

    private void Heading(string text)
    {
        _out.WriteLine();
        _out.WriteLine(text);
    }

    private void Line(string text) => _out.WriteLine(text);
}
