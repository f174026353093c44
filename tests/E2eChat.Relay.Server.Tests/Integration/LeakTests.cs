using System.Text;
using E2eChat.Relay.Server.Api;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using ClientBundle = E2eChat.PreKeyBundle;
using RelayKind = E2eChat.Wire.AccountKind;

namespace E2eChat.Relay.Server.Tests.Integration;

/// <summary>After a demo-sized conversation through the real relay, no plaintext (nor any 8-byte window of one) is in its SQLite files.</summary>
public sealed class LeakTests
{
    private const int Window = 8;

    private static readonly string[] s_customer =
    [
        "Hi! I ordered the Trail Runner 2 in size 42, but the box has a size 44 pair.",
        "My order number is AC-104-7731.",
        "Great, thank you. Can I keep the box for the exchange?",
        "Perfect. See you on Saturday at the Main Street store.",
    ];

    private static readonly string[] s_agent =
    [
        "Sorry about that! Let me look up your order.",
        "Found it: AC-104-7731, shipped from the north warehouse on Monday.",
        "Yes, bring the pair in its box and we swap it on the spot.",
        "Done. Your exchange code is SWAP-5521; show it at the counter.",
    ];

    [Fact]
    public async Task Conversation_ThroughTheRelay_NoPlaintextInTheDatabaseFiles()
    {
        await using RelayTestServer server = await RelayTestServer.StartAsync();
        string shopName = Names.New("acme-shoes");
        using var alice = new TestDevice(server, Names.New("alice"));
        using var desk1 = new TestDevice(server, shopName, 1, RelayKind.Business);
        using var desk2 = new TestDevice(server, shopName, 2, RelayKind.Business);
        TestDevice[] desks = [desk1, desk2];
        foreach (TestDevice device in new[] { alice, desk1, desk2 })
        {
            await device.AuthenticateAsync();
        }

        await desk1.PublishKeysAsync(4);
        await desk2.PublishKeysAsync(4);
        FetchBundlesResponse bundles = await alice.Keys.FetchBundlesAsync(new FetchBundlesRequest { Name = shopName }, alice.Call());
        foreach (DeviceBundle bundle in bundles.Bundles)
        {
            await alice.Sessions.StartSessionAsync(new ProtocolAddress(shopName, bundle.Device.Device), ClientBundle.Parse(bundle.Bundle.ToByteArray()));
        }

        var shown = new List<string>();
        for (int turn = 0; turn < s_customer.Length; turn++)
        {
            // Alice's message fans out to both agent desks; both decrypt it.
            var fanOut = new List<byte[]>();
            foreach (TestDevice desk in desks)
            {
                CiphertextMessage message = await alice.Sessions.EncryptAsync(desk.Address, Encoding.UTF8.GetBytes(s_customer[turn]));
                fanOut.Add(alice.Envelope(desk.Address, RelayKind.Business, message));
            }

            Assert.All((await alice.SendAsync([.. fanOut])).Results, r => Assert.Equal(EnvelopeStatus.Accepted, r.Status));
            foreach (TestDevice desk in desks)
            {
                shown.AddRange(await ReceiveAndDecryptAsync(desk));
            }

            // Desk 1 answers.
            CiphertextMessage answer = await desk1.Sessions.EncryptAsync(alice.Address, Encoding.UTF8.GetBytes(s_agent[turn]));
            await desk1.SendAsync(desk1.Envelope(alice.Address, RelayKind.Person, answer));
            shown.AddRange(await ReceiveAndDecryptAsync(alice));
        }

        Assert.Equal(s_customer.Length * 3, shown.Count);
        Assert.Equal(s_customer.Concat(s_agent).Order(), shown.Distinct().Order());

        // Search every file of the database as it is on disk (the WAL included), then again after a clean stop.
        SearchFiles(server.DataDirectory);
        await server.RestartAsync();
        SqliteConnection.ClearAllPools();
        SearchFiles(server.DataDirectory);
    }

    private static async Task<List<string>> ReceiveAndDecryptAsync(TestDevice device)
    {
        var texts = new List<string>();
        using ReceiveStream stream = await device.ReceiveAsync();
        List<Delivery> deliveries = await stream.ReadUntilDrainedAsync();
        foreach (Delivery delivery in deliveries)
        {
            Assert.True(EnvelopeCodec.TryDecode(delivery.Envelope.ToByteArray(), out Envelope? envelope, out _));
            Assert.NotNull(envelope);
            DecryptResult result = await device.Sessions.TryDecryptAsync(envelope!.Sender, envelope.Message);
            Assert.True(result.IsSuccess, $"{result.Failure}");
            texts.Add(Encoding.UTF8.GetString(result.Plaintext!));
        }

        await stream.AckAsync(deliveries.Select(d => d.Sequence));
        await stream.CompleteAsync();
        Assert.Null(await stream.ReadToEndAsync());
        return texts;
    }

    private static void SearchFiles(string directory)
    {
        string[] files = Directory.GetFiles(directory);
        Assert.Contains(files, f => f.EndsWith(".db", StringComparison.Ordinal));
        long searched = 0;
        foreach (string file in files)
        {
            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
            }

            searched += bytes.Length;
            foreach (string text in s_customer.Concat(s_agent))
            {
                byte[] plaintext = Encoding.UTF8.GetBytes(text);
                for (int i = 0; i + Window <= plaintext.Length; i++)
                {
                    Assert.True(bytes.AsSpan().IndexOf(plaintext.AsSpan(i, Window)) < 0, $"{Path.GetFileName(file)} holds an 8-byte window of \"{text}\"");
                }
            }
        }

        Assert.True(searched > 0);
    }
}
