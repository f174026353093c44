using System.Globalization;
using System.Security.Cryptography;
using E2eChat.Client;
using E2eChat.Wire;

namespace E2eChat.Demo;

/// <summary>
/// One participant of the story as its own process, against a relay started separately
/// (<c>dotnet run --project src/E2eChat.Relay.Server</c>):
/// <c>business --relay URL --data DIR [--replies N]</c> signs in as Acme Shoes' support desk, publishes
/// the account's signed device list, prints a contact link (text and QR code) and answers every
/// customer message (SERVICE) until it has answered <c>N</c> of them (0: until Ctrl+C);
/// <c>customer --relay URL --data DIR --link URI [--account NAME] [--text TEXT]</c> opens the link
/// (the business's device list from the relay must be signed by the key the link pins), writes, and
/// waits for the answer. Each keeps its device state, storage key and account key in its data directory,
/// so a second run continues the same conversation. Exit code 0 when the participant's part succeeded.
/// </summary>
internal static class ParticipantCommand
{
    /// <summary>The business's account name.</summary>
    internal const string Shop = "acme-shoes";

    /// <summary>How long the customer waits for the answer (the business process may still be starting).</summary>
    private static readonly TimeSpan s_answerWait = TimeSpan.FromSeconds(60);

    /// <summary>How long the contact link is valid.</summary>
    private static readonly TimeSpan s_linkLifetime = TimeSpan.FromDays(30);

    /// <summary>Runs the participant named by <paramref name="args"/>[0].</summary>
    /// <param name="args">The command line (<c>business ...</c> or <c>customer ...</c>).</param>
    /// <param name="output">Where to write what the participant sees.</param>
    /// <param name="linkReady">Called with the contact link once the business can be reached (tests).</param>
    /// <param name="cancellationToken">Ends a waiting participant (Ctrl+C).</param>
    /// <returns>The exit code.</returns>
    internal static async Task<int> RunAsync(string[] args, TextWriter output, Action<string>? linkReady, CancellationToken cancellationToken)
    {
        Dictionary<string, string> options;
        try
        {
            options = Parse(args);
        }
        catch (ArgumentException e)
        {
            output.WriteLine(e.Message);
            output.WriteLine("usage: business --relay URL --data DIR [--replies N]");
            output.WriteLine("       customer --relay URL --data DIR --link URI [--account NAME] [--text TEXT]");
            return 2;
        }

        var relay = new Uri(options["--relay"]);
        string data = Path.GetFullPath(options["--data"]);
        Directory.CreateDirectory(data);
        return args[0] == "business"
            ? await RunBusinessAsync(relay, data, int.Parse(options.GetValueOrDefault("--replies", "0"), CultureInfo.InvariantCulture), output, linkReady, cancellationToken).ConfigureAwait(false)
            : await RunCustomerAsync(relay, data, options["--link"], options.GetValueOrDefault("--account", "alice"), options.GetValueOrDefault("--text", "Hi Acme! Where is my order AC-104-7731?"), output, cancellationToken).ConfigureAwait(false);
    }

    private static Dictionary<string, string> Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("business" or "customer"))
        {
            throw new ArgumentException("The first argument is business or customer.");
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 1; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length || args[i] is not ("--relay" or "--data" or "--replies" or "--link" or "--account" or "--text"))
            {
                throw new ArgumentException($"Unknown or incomplete option {args[i]}.");
            }

            options[args[i]] = args[i + 1];
        }

        string[] required = args[0] == "business" ? ["--relay", "--data"] : ["--relay", "--data", "--link"];
        foreach (string name in required.Where(name => !options.ContainsKey(name)))
        {
            throw new ArgumentException($"Missing {name}.");
        }

        return options;
    }

    private static async Task<int> RunBusinessAsync(Uri relay, string data, int replies, TextWriter output, Action<string>? linkReady, CancellationToken cancellationToken)
    {
        using AccountKeyPair accountKey = AccountKey(data);
        await using ChatDevice desk = await OpenAsync(relay, data, Shop, AccountKind.Business, output, cancellationToken).ConfigureAwait(false);
        await PublishListOnceAsync(desk, accountKey, "Acme support desk", data, output, cancellationToken).ConfigureAwait(false);

        ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var link = new ContactLink(Shop, "Acme Shoes", accountKey.PublicKey, now, now + (ulong)s_linkLifetime.TotalMilliseconds, "Hi Acme!", scopes: (uint)ConsentScopes.Utility);
        string uri = SignedContactLink.Sign(accountKey, link).ToUri();
        output.WriteLine("Contact link (scan the code, or pass the text to the customer with --link):");
        output.WriteLine(ContactLinkQr.ToText(uri));
        output.WriteLine(uri);
        output.WriteLine();
        output.WriteLine($"Customer: dotnet run --project src/E2eChat.Demo -c Release -- customer --relay {relay} --data <dir> --link '{uri}'");
        output.WriteLine(replies > 0 ? $"Waiting for {replies} customer message(s) ..." : "Waiting for customers (Ctrl+C ends) ...");
        linkReady?.Invoke(uri);

        int answered = 0;
        try
        {
            await foreach (ChatEvent item in desk.ReceiveAsync(cancellationToken).ConfigureAwait(false))
            {
                switch (item)
                {
                    case MessageReceived message when message.SenderKind == AccountKind.Person:
                        output.WriteLine($"  {message.Sender}: \"{message.Text}\"");
                        string answer = $"Hello {message.Sender.Name}, Sam from Acme Shoes here: thanks for your message, we are on it.";
                        IReadOnlyList<SendResult> sent = await desk.SendToAccountAsync(message.Sender.Name, answer, Category.Service, cancellationToken).ConfigureAwait(false);
                        output.WriteLine($"  -> {message.Sender.Name} [SERVICE]: \"{answer}\" ({string.Join(", ", sent.Select(r => $"{r.Recipient} {r.Status.ToString().ToLowerInvariant()}"))})");
                        if (!sent.All(r => r.IsAccepted))
                        {
                            return 1;
                        }

                        answered++;
                        if (replies > 0 && answered >= replies)
                        {
                            output.WriteLine($"OK: answered {answered} message(s).");
                            return 0;
                        }

                        break;
                    case ConsentReceived consent:
                        output.WriteLine($"  {consent.Sender.Name} sent a consent record: {(consent.Failure == E2eChatFailure.None ? "verified, kept as proof" : consent.Failure.ToString())}");
                        break;
                    case ViolationDetected or UntrustedIdentityDetected:
                        output.WriteLine($"  !! {item}");
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        output.WriteLine($"Stopped after answering {answered} message(s).");
        return replies > 0 && answered < replies ? 1 : 0;
    }

    private static async Task<int> RunCustomerAsync(Uri relay, string data, string uri, string account, string text, TextWriter output, CancellationToken cancellationToken)
    {
        ulong now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (!SignedContactLink.TryOpen(uri, now, out SignedContactLink? link, out E2eChatFailure linkFailure))
        {
            output.WriteLine($"FAILED: the contact link does not open: {linkFailure}");
            return 1;
        }

        using AccountKeyPair accountKey = AccountKey(data);
        await using ChatDevice phone = await OpenAsync(relay, data, account, AccountKind.Person, output, cancellationToken).ConfigureAwait(false);
        await PublishListOnceAsync(phone, accountKey, $"{account}'s phone", data, output, cancellationToken).ConfigureAwait(false);
        phone.UseAccountKey(accountKey);

        (E2eChatFailure failure, DeviceListUpdate? update) = await phone.OpenContactLinkAsync(link, cancellationToken).ConfigureAwait(false);
        if (failure != E2eChatFailure.None || update is not { IsSuccess: true })
        {
            output.WriteLine($"FAILED: {link.Link.Account}'s device list at the relay does not match the link ({failure}, {update?.Failure})");
            return 1;
        }

        BusinessInfo? info = await phone.Accounts.GetBusinessInfoAsync(link.Link.Account, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"{link.Link.DisplayName}: the link verifies; {info?.Devices.Devices.Count} device(s) read the chat (end to end: {info?.EndToEnd})");
        IReadOnlyList<SendResult> sent = await phone.SendToAccountAsync(link.Link.Account, text, Category.Unspecified, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"  -> {link.Link.Account}: \"{text}\" ({string.Join(", ", sent.Select(r => $"{r.Recipient} {r.Status.ToString().ToLowerInvariant()}"))})");
        if (sent.Count == 0 || !sent.All(r => r.IsAccepted))
        {
            output.WriteLine("FAILED: the relay did not accept the message.");
            return 1;
        }

        output.WriteLine("Waiting for the answer ...");
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(s_answerWait);
        try
        {
            await foreach (ChatEvent item in phone.ReceiveAsync(wait.Token).ConfigureAwait(false))
            {
                if (item is MessageReceived message && message.Sender.Name == link.Link.Account)
                {
                    output.WriteLine($"  {message.Sender} [{message.Category.ToString().ToUpperInvariant()}]: \"{message.Text}\"");
                    output.WriteLine("OK: the business answered.");
                    return 0;
                }

                if (item is ViolationDetected or UntrustedIdentityDetected or MessageRequestReceived)
                {
                    output.WriteLine($"  !! {item}");
                }
            }
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested)
        {
        }

        output.WriteLine($"FAILED: no answer within {s_answerWait.TotalSeconds} s.");
        return 1;
    }

    private static async Task<ChatDevice> OpenAsync(Uri relay, string data, string account, AccountKind kind, TextWriter output, CancellationToken cancellationToken)
    {
        var options = new ChatDeviceOptions
        {
            RelayAddress = relay,
            Account = account,
            DeviceId = 1,
            Kind = kind,
            DataDirectory = Path.Combine(data, "device"),
            OneTimePreKeyTarget = 10,
            OneTimePreKeyThreshold = 3,
        };
        ChatDevice device = ChatDevice.Open(options, Secret(Path.Combine(data, "storage.key"), 32));
        try
        {
            await device.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await device.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        output.WriteLine($"{device.Address} ({kind}) signed in at {relay}; state in {options.DataDirectory}");
        return device;
    }

    /// <summary>Publishes the account's one-device list on the first run (a later run finds it at the relay already).</summary>
    private static async Task PublishListOnceAsync(ChatDevice device, AccountKeyPair accountKey, string label, string data, TextWriter output, CancellationToken cancellationToken)
    {
        string marker = Path.Combine(data, "device-list.published");
        if (File.Exists(marker))
        {
            return;
        }

        var list = new DeviceList(device.Address.Name, device.Kind, 1, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), [new DeviceEntry(device.Address.DeviceId, device.Identity, label, DeviceRole.Agent)]);
        if (!await device.PublishDeviceListAsync(SignedDeviceList.Sign(accountKey, list), cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"The relay refused {device.Address.Name}'s device list (another account key holds the name?).");
        }

        await File.WriteAllTextAsync(marker, "1", cancellationToken).ConfigureAwait(false);
        output.WriteLine($"{device.Address.Name}'s signed device list published at the relay (pins its account key)");
    }

    /// <summary>The account key, kept (for the demo) in a file of the data directory; an app keeps it in the platform's key store.</summary>
    private static AccountKeyPair AccountKey(string data)
    {
        byte[] privateKey = Secret(Path.Combine(data, "account.key"), AccountKeyPair.PrivateKeyLength);
        try
        {
            return AccountKeyPair.Import(privateKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
    }

    /// <summary>A random secret made on first use and kept in <paramref name="path"/> (readable by the user only where the platform allows).</summary>
    private static byte[] Secret(string path, int length)
    {
        if (!File.Exists(path))
        {
            using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            file.Write(RandomNumberGenerator.GetBytes(length));
        }

        byte[] secret = File.ReadAllBytes(path);
        return secret.Length == length ? secret : throw new InvalidDataException($"{path} does not hold a {length}-byte key.");
    }
}
