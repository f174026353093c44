using System.Globalization;
using System.Security.Cryptography;
using E2eChat.Client;
using E2eChat.Wire;

namespace E2eChat.Demo;

/// <summary>
/// The customer-business story on the real relay: the reference relay runs in process on loopback over
/// SQLite in a temporary directory, and every participant is a <see cref="ChatDevice"/> with its own
/// SQLite store talking real gRPC. A contact link shown as a QR code, opt-in, support by two agents
/// (one hosted by a disclosed processor), a lost acknowledgement (redelivery not shown twice), a
/// business update under the grant, marketing refused without consent, a status ad that expires (gone
/// from the customer's device and the relay after 25 hours), a one-tap block, the business's bill,
/// and a leak check over the relay's database files.
/// </summary>
internal sealed class RelayDemoScript
{
    private const string Shop = "acme-shoes";
    private const string Processor = "helpdesk-cloud";
    private static readonly TimeSpan s_stepTimeout = TimeSpan.FromSeconds(60);

    private readonly DemoReport _report;
    private readonly string _root;
    private int _shown;
    private int _refusedByRelay;
    private int _droppedByDevice;
    private int _statusSeen;
    private readonly DemoClock _clock = new();

    private RelayDemoScript(TextWriter output, string root)
    {
        _report = new DemoReport(output);
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
        _report.Heading("1. The relay starts in process on loopback, over SQLite in a temporary directory");
        await using DemoRelay relay = await DemoRelay.StartAsync(Path.Combine(_root, "relay"), _clock).ConfigureAwait(false);
        _report.Line($"  listening on {relay.Address} (gRPC, HTTP/2); data in {relay.DataDirectory}; relay and devices share one clock (moved forward, never slept)");

        _report.Heading("2. Each device opens its SQLite store (sealed under its own storage key), signs in and publishes pre-keys");
        await using ChatDevice alice = await OpenAsync(relay, "alice", 1, AccountKind.Person).ConfigureAwait(false);
        await using ChatDevice sam = await OpenAsync(relay, Shop, 1, AccountKind.Business).ConfigureAwait(false);
        ChatDevice helpdesk = await OpenAsync(relay, Shop, 2, AccountKind.Business).ConfigureAwait(false);
        try
        {
            return await PlayAsync(relay, alice, sam, helpdesk).ConfigureAwait(false);
        }
        finally
        {
            await helpdesk.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<RelayDemoResult> PlayAsync(DemoRelay relay, ChatDevice alice, ChatDevice sam, ChatDevice helpdesk)
    {
        ulong now = (ulong)_clock.GetUtcNow().ToUnixTimeMilliseconds();
        using AccountKeyPair shopKey = AccountKeyPair.Generate();
        using AccountKeyPair aliceKey = AccountKeyPair.Generate();
        SignedDeviceList shopList = SignedDeviceList.Sign(shopKey, new DeviceList(Shop, AccountKind.Business, 1, now, [
            new DeviceEntry(1, sam.Identity, "Sam (support)", DeviceRole.Agent),
            new DeviceEntry(2, helpdesk.Identity, "Helpdesk bot", DeviceRole.Hosted, Processor)]));
        SignedDeviceList aliceList = SignedDeviceList.Sign(aliceKey, new DeviceList("alice", AccountKind.Person, 1, now, [
            new DeviceEntry(1, alice.Identity, "Alice's phone", DeviceRole.Agent)]));
        Check(await sam.PublishDeviceListAsync(shopList).ConfigureAwait(false), "the relay takes Acme's signed device list");
        Check(await alice.PublishDeviceListAsync(aliceList).ConfigureAwait(false), "the relay takes Alice's signed device list");
        alice.UseAccountKey(aliceKey);
        _report.Line("  Acme and Alice publish their signed device lists at the relay (Accounts.PublishDeviceList): the first list pins each account key");

        _report.Heading("3. Acme Shoes prints a contact link as a QR code (signed by its account key; asks for order updates and offers)");
        var link = new ContactLink(Shop, "Acme Shoes", shopKey.PublicKey, now, now + (30UL * 24 * 3600 * 1000), "Hi Acme!", scopes: (uint)(ConsentScopes.Utility | ConsentScopes.Marketing));
        string uri = SignedContactLink.Sign(shopKey, link).ToUri();
        _report.Line($"  {uri[..Math.Min(uri.Length, 72)]}... ({uri.Length} characters)");
        _report.Line(ContactLinkQr.ToText(uri));

        _report.Heading("4. Alice scans it: the link verifies, her device fetches Acme's device list from the relay, checks it against the link's key, and discloses who reads her messages");
        if (!SignedContactLink.TryOpen(uri, now, out SignedContactLink? opened, out E2eChatFailure linkFailure))
        {
            return Fail($"the contact link did not open: {linkFailure}", relay);
        }

        (E2eChatFailure openFailure, DeviceListUpdate? update) = await alice.OpenContactLinkAsync(opened).ConfigureAwait(false);
        Check(openFailure == E2eChatFailure.None && update is { IsSuccess: true }, $"the relay's device list matches the link's account key ({openFailure})");
        BusinessInfo? info = await alice.Accounts.GetBusinessInfoAsync(Shop).ConfigureAwait(false);
        Check(info is { EndToEnd: EndToEnd.ToProcessor } && info.Processors.Contains(Processor), "the hosted agent's processor is disclosed");
        _report.Line($"  {opened.Link.DisplayName}: {info?.Devices.Devices.Count} devices; messages are end-to-end encrypted to the business"
            + (info?.EndToEnd == EndToEnd.ToProcessor ? $" and to its processor {string.Join(", ", info.Processors)} (disclosed before the first message)" : string.Empty));

        _report.Heading("5. Opt-in: the link asks for order updates and offers; Alice ticks order updates only (a GRANT signed by her account key)");
        var asked = (ConsentScopes)opened.Link.Scopes;
        ConsentScopes ticked = asked & ConsentScopes.Utility;
        _report.Line($"  \"{opened.Link.DisplayName} would like to send you: {Scopes(asked)}\"  ->  Alice allows: {Scopes(ticked)}");
        ConsentSubmission grant = await alice.GrantAsync(Shop, ticked).ConfigureAwait(false);
        Check(grant.AcceptedByRelay && grant.SentToBusiness.All(r => r.IsAccepted), $"the relay takes the grant and both Acme devices get it ({grant})");
        _report.Line($"  GRANT serial {grant.Record.Record.Serial}: relay {(grant.AcceptedByRelay ? "accepted (Accounts.SubmitConsent)" : "refused " + grant.RelayReason)}; sent in the chat to {grant.SentToBusiness.Count} Acme devices");

        _report.Heading("6. Alice writes; each message fans out to Sam and to the hosted helpdesk (one message id per message)");
        await SayAsync(alice, Shop, "Hi! I ordered the Trail Runner 2 in size 42, but the box has a size 44 pair.").ConfigureAwait(false);
        await SayAsync(alice, Shop, "My order number is AC-104-7731.").ConfigureAwait(false);

        _report.Heading("7. Sam's desk receives the opt-in (verified under Alice's account key from the relay, kept as proof) and her messages");
        await ReceiveAsync(sam, "Sam", e => e.OfType<MessageReceived>().Count() >= 2).ConfigureAwait(false);
        Check(sam.Proofs?.Get("alice") is { Record.Action: ConsentAction.Grant }, "Sam's device keeps Alice's grant as proof");

        _report.Heading("8. The hosted helpdesk handles the same messages, but its acknowledgements are lost (a flaky network); it restarts");
        helpdesk.AcknowledgeFilter = _ => false;
        await ReceiveAsync(helpdesk, "Helpdesk", e => e.OfType<MessageReceived>().Count() >= 2).ConfigureAwait(false);
        await helpdesk.DisposeAsync().ConfigureAwait(false);
        helpdesk = await OpenAsync(relay, Shop, 2, AccountKind.Business, quiet: true).ConfigureAwait(false);
        List<ChatEvent> again = await ReceiveAsync(helpdesk, "Helpdesk", _ => true, quiet: true).ConfigureAwait(false);
        Check(!again.OfType<MessageReceived>().Any() && helpdesk.DuplicatesIgnored >= 2, "the redelivered messages are recognized and not shown again");
        _report.Line($"  after the restart the relay delivered the unacknowledged messages again: {helpdesk.DuplicatesIgnored} recognized as received, 0 shown twice");

        _report.Heading("9. Sam answers twice (SERVICE); the first answer is held up in the network and reaches Alice's phone after the second");
        await SayAsync(sam, "alice", "Hello Alice, Sam from Acme Shoes. Sorry about the mix-up!", Category.Service).ConfigureAwait(false);
        await SayAsync(sam, "alice", "A size 42 pair ships today; keep the 44s, no need to return them.", Category.Service).ConfigureAwait(false);
        ulong? delayed = null;
        alice.DeferFilter = sequence => (delayed ??= sequence) == sequence;
        await ReceiveAsync(alice, "Alice", e => e.OfType<MessageReceived>().Any()).ConfigureAwait(false);
        alice.DeferFilter = null;
        List<ChatEvent> late = await ReceiveAsync(alice, "Alice", e => e.OfType<MessageReceived>().Any()).ConfigureAwait(false);
        Check(late.OfType<MessageReceived>().Count() == 1, "the late answer decrypts out of order (from a skipped message key) and is shown once");
        _report.Line("  the late answer decrypted with the key the ratchet kept for it; the conversation continues");
        await ReceiveAsync(helpdesk, "Helpdesk", e => e.OfType<MessageReceived>().Count(m => m.IsSyncCopy) >= 2).ConfigureAwait(false);

        _report.Heading("10. Acme posts a status ad for 24 hours (one sender-key post; its key goes to Alice's phone and the helpdesk through their sessions)");
        const string Ad = "Spring sale at Acme Shoes: 20% off trail runners, in store and online.";
        _report.Sent(Ad);
        IReadOnlyList<SendResult> ad = await sam.PostStatusAsync(["alice"], Ad, ChatDevice.MaxStatusLifetime).ConfigureAwait(false);
        Check(ad.Count == 2 && ad.All(r => r.IsAccepted), $"the relay takes the status for Alice's phone and the helpdesk ({string.Join(", ", ad)})");
        _report.Line($"  {sam.Address} posts: \"{Ad}\" (expires in 24 h, signed)");
        _report.Line($"      relay: {string.Join(", ", ad.Select(r => $"{r.Recipient} {r.Status.ToString().ToLowerInvariant()}"))}; inside the 24-hour window Alice opened, an ad is delivered (and billed as MARKETING)");
        await ReceiveAsync(alice, "Alice", e => e.OfType<StatusReceived>().Any()).ConfigureAwait(false);
        int listed = (await alice.ListStatusAsync().ConfigureAwait(false)).Count;
        Check(listed == 1, $"Alice's phone lists the status ({listed})");

        _report.Heading("11. 25 hours later the status ad has expired: Alice's phone no longer shows it and deletes it; the relay no longer delivers it");
        _clock.Advance(TimeSpan.FromHours(25));
        IReadOnlyList<StatusPost> stillListed = await alice.ListStatusAsync().ConfigureAwait(false);
        int purged = await alice.PurgeExpiredAsync().ConfigureAwait(false);
        Check(stillListed.Count == 0 && purged == 1, $"the expired status is gone from Alice's phone (listed {stillListed.Count}, deleted {purged})");
        List<ChatEvent> atDesk = await ReceiveAsync(helpdesk, "Helpdesk", _ => true).ConfigureAwait(false);
        Check(!atDesk.OfType<StatusReceived>().Any(), "the helpdesk, offline for the day, never gets the expired status from the relay");
        _report.Line($"  Alice's phone: {stillListed.Count} status listed, {purged} deleted from its store; the helpdesk (offline all day): {atDesk.OfType<StatusReceived>().Count()} delivered, the relay dropped the post at its signed expiry");

        _report.Heading("12. Still a day later (the 24-hour window has closed): an order update under Alice's grant (UTILITY), then an offer (MARKETING)");
        await SayAsync(sam, "alice", "Update on AC-104-7731: your Trail Runner 2 (size 42) has shipped, tracking 1Z999AA10123456784.", Category.Utility).ConfigureAwait(false);
        await ReceiveAsync(alice, "Alice", e => e.OfType<MessageReceived>().Any()).ConfigureAwait(false);
        await RefusedAsync(sam, "SALE! 30% off all running shoes this weekend only.", Category.Marketing, "NoConsent", "the relay refuses marketing Alice did not grant").ConfigureAwait(false);

        _report.Heading("13. One tap: Alice blocks Acme Shoes (a signed BLOCK record submitted to the relay)");
        await SayAsync(sam, "alice", "Your parcel is at the depot.", Category.Utility, note: " (queued before the block)").ConfigureAwait(false);
        ConsentSubmission block = await alice.BlockAsync(Shop).ConfigureAwait(false);
        Check(block.AcceptedByRelay && block.RelayBlocked, $"the relay takes the block ({block})");
        _report.Line($"  BLOCK serial {block.Record.Record.Serial}: relay {(block.AcceptedByRelay ? "accepted" : "refused " + block.RelayReason)}, now blocked: {block.RelayBlocked}");
        await RefusedAsync(sam, "Alice, did you see our new trail collection?", Category.Utility, "Blocked", "the relay refuses the blocked business").ConfigureAwait(false);
        List<ChatEvent> afterBlock = await ReceiveAsync(alice, "Alice", _ => true).ConfigureAwait(false);
        Check(!afterBlock.OfType<MessageReceived>().Any(), "nothing from Acme is shown after the block");
        _report.Line(_droppedByDevice > 0
            ? "  the update queued before the block was dropped on Alice's device, never shown"
            : "  the update queued before the block was purged by the relay");

        _report.Heading("14. Acme's bill (the relay's ledger: one line per day and category, priced by its rate card)");
        DateOnly today = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);
        (IReadOnlyList<UsageLine> lines, string currency) = await sam.GetUsageAsync(today.AddDays(-2), today).ConfigureAwait(false);
        _report.Line($"  {"day",-10}  {"category",-14} {"messages",8} {"unit price",12} {"amount",10}");
        foreach (UsageLine line in lines)
        {
            _report.Line($"  {line.Day:yyyy-MM-dd}  {line.Category,-14} {line.Messages,8} {Money(line.UnitPriceMicros, currency),12} {Money(line.AmountMicros, currency),10}");
        }

        ulong total = (ulong)lines.Sum(l => (decimal)l.AmountMicros);
        _report.Line($"  {"total",-41} {Money(total, currency),10}");
        Check(lines.Where(l => l.Category == Category.Utility).Sum(l => (long)l.Messages) == 2, "the two updates are billed once each as UTILITY");
        Check(lines.Where(l => l.Category == Category.Marketing).Sum(l => (long)l.Messages) == 2, "the status ad is billed as MARKETING twice (its key and the post, each a MARKETING message to Alice); the refused offer is not billed");

        _report.Heading("15. Leak check: no plaintext (nor any 8-byte window of one) in the relay's database files");
        IReadOnlyList<(string Name, byte[] Bytes)> files = relay.ReadFiles();
        long bytes = files.Sum(f => (long)f.Bytes.Length);
        _report.Line($"  searched {_report.Plaintexts.Count} plaintexts in {string.Join(", ", files.Select(f => $"{f.Name} ({f.Bytes.Length:N0} B)"))}");
        IReadOnlyList<LeakFinding> leaks = LeakCheck.FindLeaks(files.Select(f => f.Bytes), _report.Plaintexts);
        _report.Line(leaks.Count == 0 ? "  no leak" : $"  LEAK: {leaks.Count} plaintexts found");
        return Result(bytes, leaks, alice, sam, helpdesk);
    }

    private async Task RefusedAsync(ChatDevice from, string text, Category category, string reason, string expectation)
    {
        _report.Sent(text);
        IReadOnlyList<SendResult> results = await from.SendToAccountAsync("alice", text, category).ConfigureAwait(false);
        SendResult toAlice = results.Single(r => r.Recipient.Name == "alice");
        Check(toAlice.Status == SendStatus.Refused && toAlice.Reason == reason, $"{expectation} (got {toAlice})");
        if (toAlice.Status == SendStatus.Refused)
        {
            _refusedByRelay++;
        }

        _report.Line($"  {from.Address} -> alice [{category.ToString().ToUpperInvariant()}]: \"{text}\"");
        _report.Line($"      relay: {toAlice.Status} ({toAlice.Reason}); nothing stored, nothing billed");
    }

    private static string Scopes(ConsentScopes scopes)
    {
        var names = new List<string>();
        if (scopes.HasFlag(ConsentScopes.Utility))
        {
            names.Add("order updates (UTILITY)");
        }

        if (scopes.HasFlag(ConsentScopes.Marketing))
        {
            names.Add("offers (MARKETING)");
        }

        return names.Count == 0 ? "nothing" : string.Join(", ", names);
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
        ChatDevice chat = ChatDevice.Open(options, storageKey, time: _clock);
        await chat.ConnectAsync().ConfigureAwait(false);
        if (!quiet)
        {
            _report.Line($"  {chat.Address,-14} {kind,-8} signed in; pre-keys published; store {Path.GetFileName(options.DataDirectory)}/{ChatDevice.ProtocolStoreFileName}");
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

    private async Task SayAsync(ChatDevice from, string account, string text, Category category = Category.Unspecified, string note = "")
    {
        _report.Sent(text);
        IReadOnlyList<SendResult> results = await from.SendToAccountAsync(account, text, category).ConfigureAwait(false);
        Check(results.All(r => r.IsAccepted), $"the relay accepts {from.Address}'s message to {account}");
        string devices = string.Join(", ", results.Select(r => $"{r.Recipient} {r.Status.ToString().ToLowerInvariant()}"));
        _report.Line($"  {from.Address} -> {account}{(category == Category.Unspecified ? string.Empty : $" [{category.ToString().ToUpperInvariant()}]")}: \"{text}\"");
        _report.Line($"      relay: {devices}{note}");
    }

    private async Task SendAllAsync(string what, params Task<IReadOnlyList<SendResult>>[] sends)
    {
        IReadOnlyList<SendResult>[] results = await Task.WhenAll(sends).ConfigureAwait(false);
        Check(results.All(r => r.All(s => s.IsAccepted)), what);
        _report.Line($"  {what}: {results.Sum(r => r.Count)} envelopes accepted");
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
            case MessageReceived message:
                Shown(who, message);
                break;
            case BlockedMessageDropped dropped:
                _droppedByDevice++;
                _report.Line($"    {who}'s device drops a {dropped.Category.ToString().ToUpperInvariant()} message from {dropped.Sender}: Blocked, never shown");
                break;
            case StatusReceived status:
                _statusSeen++;
                Check(_report.WasSent(status.Post.Body.Span), $"{who}'s device shows a status as it was posted");
                _report.Line($"    {who} sees   {status.Post.Sender}'s status until {status.Post.ExpiresAt:yyyy-MM-dd HH:mm} UTC: \"{status.Post.Text}\"");
                break;
            case SenderKeyReceived key:
                _report.Line($"    {who} stores {key.Sender}'s sender key for audience {key.GroupId.ToString()[..8]}...");
                break;
            case MessageRequestReceived request:
                Check(false, $"{who}'s device holds no message request (got {request})");
                break;
            case ConsentReceived consent:
                Check(consent.Failure == E2eChatFailure.None, $"{who}'s device verifies the consent record ({consent.Failure})");
                _report.Line($"    {who} keeps {consent.Sender.Name}'s {consent.Proof?.Record.Action.ToString().ToUpperInvariant()} ({consent.Proof?.Record.Scopes}, serial {consent.Proof?.Record.Serial}) as proof: signature verified under {consent.Sender.Name}'s pinned account key");
                break;
            case ViolationDetected violation:
                Check(false, $"{who}'s device reported no violation (got {violation})");
                _report.Line($"    {who}: {violation}");
                break;
            case ContentReceived content:
                _report.Line($"    {who} receives a {content.Kind} record from {content.Sender} ({content.Record.Length} bytes)");
                break;
            case DeviceListChanged changed:
                _report.Line($"    {who} applies {changed.Update.List?.List.Account}'s device list (version {changed.Update.List?.List.Version}, {changed.Update.List?.List.Devices.Count} devices)");
                break;
            case UntrustedIdentityDetected untrusted:
                Check(false, $"{who}'s device trusts every identity it meets ({untrusted})");
                break;
        }
    }

    private void Shown(string who, MessageReceived message)
    {
        _shown++;
        bool known = _report.WasSent(message.Body.Span);
        Check(known, $"{who}'s device shows a message as it was sent");
        string sync = message.IsSyncCopy ? $" (copy of a message to {message.SyncRecipient})" : string.Empty;
        _report.Line($"    {who} shows  {message.Sender}{sync}: \"{message.Text}\"");
    }

    private RelayDemoResult Fail(string problem, DemoRelay relay)
    {
        Check(false, problem);
        return Result(relay.ReadFiles().Sum(f => (long)f.Bytes.Length), [], null, null, null);
    }

    private RelayDemoResult Result(long relayBytes, IReadOnlyList<LeakFinding> leaks, ChatDevice? alice, ChatDevice? sam, ChatDevice? helpdesk)
    {
        long duplicates = (alice?.DuplicatesIgnored ?? 0) + (sam?.DuplicatesIgnored ?? 0) + (helpdesk?.DuplicatesIgnored ?? 0);
        var result = new RelayDemoResult(_shown, duplicates, _refusedByRelay, _droppedByDevice, _statusSeen, relayBytes, leaks, [.. _report.Problems]);
        _report.Line();
        if (result.Succeeded)
        {
            _report.Line($"OK: {_shown} messages shown, {_statusSeen} status shown until it expired, {duplicates} redeliveries not shown twice, {_refusedByRelay} refused by the relay (no consent, blocked), {_droppedByDevice} dropped on the device after the block, no leak in {relayBytes:N0} bytes of relay files.");
        }
        else
        {
            _report.Line($"FAILED: {_report.Problems.Count} step(s) went wrong{(leaks.Count > 0 ? $", {leaks.Count} plaintexts leaked" : string.Empty)}:");
            foreach (string problem in _report.Problems)
            {
                _report.Line("  - " + problem);
            }
        }

        return result;
    }

    private void Check(bool condition, string expectation)
    {
        if (!condition)
        {
            _report.Problem(expectation, $"  !! expected: {expectation}");
        }
    }

    private static string Money(ulong micros, string currency) =>
        (micros / 1_000_000m).ToString("0.0000", CultureInfo.InvariantCulture) + " " + currency;
}
