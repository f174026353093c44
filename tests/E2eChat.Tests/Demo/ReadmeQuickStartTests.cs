using System.Security.Cryptography;
using System.Text;
using E2eChat.Wire;

namespace E2eChat.Tests.Demo;

/// <summary>
/// Runs the README's C# quick start (the code between the markers below) and checks that README.md
/// shows exactly that code, so the README cannot rot.
/// </summary>
public sealed class ReadmeQuickStartTests
{
    private const string BeginMarker = "// README-BEGIN";
    private const string EndMarker = "// README-END";
    private const string ReadmeSection = "## Using the library";

    [Fact]
    public async Task QuickStart_AsInReadme_DeliversTheMessage()
    {
        // README-BEGIN
        // using E2eChat; using E2eChat.Wire;
        // using System.Security.Cryptography; using System.Text;

        // Each device has an address, an identity and stores (in memory here; implement the store
        // interfaces to persist: several managers, workers or processes may share one store).
        var shopAddress = new ProtocolAddress("acme-shoes", 1);
        var aliceAddress = new ProtocolAddress("alice", 1);
        ProtocolStores shopStores = ProtocolStores.CreateInMemory(IdentityKeyPair.Generate());
        using var shop = new SessionManager(shopStores, shopAddress);
        using var alice = new SessionManager(ProtocolStores.CreateInMemory(IdentityKeyPair.Generate()), aliceAddress);

        // The business creates pre-keys and publishes a bundle (bytes) to the key directory.
        PreKeyGenerator generator = await shopStores.CreatePreKeyGeneratorAsync();
        await generator.GenerateAsync(oneTimeCount: 100);
        byte[] published = (await generator.CreateBundleAsync()).ToBytes();

        // The customer verifies the fetched bundle and starts a session: no round trip needed.
        PreKeyBundle bundle = PreKeyBundle.Parse(published); // or TryParse(..., out E2eChatFailure)
        await alice.StartSessionAsync(shopAddress, bundle);

        // Send: encrypt, wrap in an envelope and hand its bytes to the relay.
        CiphertextMessage message = await alice.EncryptAsync(shopAddress, Encoding.UTF8.GetBytes("Where is my order?"));
        byte[] wire = EnvelopeCodec.Encode(new Envelope(aliceAddress, AccountKind.Person, shopAddress, AccountKind.Business,
            RandomNumberGenerator.GetBytes(Envelope.MessageIdLength), (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), message));

        // Receive: decode (validated as the relay does), then decrypt (only envelopes addressed to this
        // device, from the sender they name: both addresses are authenticated). Hostile input gives a typed failure.
        if (EnvelopeCodec.TryDecode(wire, out Envelope? received, out E2eChatFailure envelopeFailure))
        {
            DecryptResult result = await shop.TryDecryptAsync(received);
            Console.WriteLine(result.IsSuccess ? Encoding.UTF8.GetString(result.Plaintext!) : $"refused: {result.Failure}");
        }
        // README-END

        Assert.Equal(E2eChatFailure.None, envelopeFailure);
        Assert.NotNull(received);
        Assert.Equal(aliceAddress, received.Sender);

        // The shop's session now exists: its answer is a ratchet message the customer decrypts.
        CiphertextMessage answer = await shop.EncryptAsync(aliceAddress, Encoding.UTF8.GetBytes("It ships today."));
        Assert.Equal(EnvelopeType.Ratchet, answer.Type);
        Assert.Equal("It ships today.", Encoding.UTF8.GetString(await alice.DecryptAsync(shopAddress, answer)));
    }

    [Fact]
    public void Readme_UsingTheLibraryCodeBlock_EqualsTheTestedCode()
    {
        (string readme, string source) = ReadmeCode.Read("tests", "E2eChat.Tests", "Demo", "ReadmeQuickStartTests.cs");
        Assert.Equal(ReadmeCode.Dedent(ReadmeCode.Between(source, BeginMarker, EndMarker)), ReadmeCode.CodeBlock(readme, ReadmeSection));
    }
}
