using System.Security.Cryptography;
using System.Text;
using E2eChat.Wire;
using Google.Protobuf;

namespace E2eChat.Tests.Demo;

/// <summary>
/// Runs the README's "Error handling" example (the code between the markers below) over a message
/// delivered once and again and over a bundle whose signed pre-key signature was changed, and checks
/// that README.md shows exactly that code.
/// </summary>
public sealed class ReadmeErrorHandlingTests
{
    private const string BeginMarker = "// README-BEGIN";
    private const string EndMarker = "// README-END";
    private const string ReadmeSection = "## Error handling";

    private readonly List<string> _log = [];

    [Fact]
    public async Task ErrorHandling_AsInReadme_ShowsOnceDropsTheDuplicateAndCatchesTheForgedBundle()
    {
        var shopAddress = new ProtocolAddress("acme-shoes", 1);
        var aliceAddress = new ProtocolAddress("alice", 1);
        ProtocolStores shopStores = ProtocolStores.CreateInMemory(IdentityKeyPair.Generate());
        using var shop = new SessionManager(shopStores, shopAddress);
        using var alice = new SessionManager(ProtocolStores.CreateInMemory(IdentityKeyPair.Generate()), aliceAddress);
        PreKeyGenerator generator = await shopStores.CreatePreKeyGeneratorAsync();
        await generator.GenerateAsync(oneTimeCount: 1);
        byte[] published = (await generator.CreateBundleAsync()).ToBytes();
        await alice.StartSessionAsync(shopAddress, PreKeyBundle.Parse(published));
        CiphertextMessage message = await alice.EncryptAsync(shopAddress, Encoding.UTF8.GetBytes("Where is my order?"));
        var received = new Envelope(aliceAddress, AccountKind.Person, shopAddress, AccountKind.Business,
            RandomNumberGenerator.GetBytes(Envelope.MessageIdLength), 1, message);
        var forged = E2eChat.Wire.Proto.PreKeyBundle.Parser.ParseFrom(published);
        byte[] signature = forged.SignedPrekeySignature.ToByteArray();
        signature[5] ^= 1;
        forged.SignedPrekeySignature = ByteString.CopyFrom(signature);

        await HandleAsync(shop, received, forged.ToByteArray());
        await HandleAsync(shop, received, published);

        Assert.Equal(["shown: Where is my order?"], _log);
    }

    [Fact]
    public void Readme_ErrorHandlingCodeBlock_EqualsTheTestedCode()
    {
        (string readme, string source) = ReadmeCode.Read("tests", "E2eChat.Tests", "Demo", "ReadmeErrorHandlingTests.cs");
        Assert.Equal(ReadmeCode.Dedent(ReadmeCode.Between(source, BeginMarker, EndMarker)), ReadmeCode.CodeBlock(readme, ReadmeSection));
    }

    private async Task HandleAsync(SessionManager shop, Envelope received, byte[] fetched)
    {
        // README-BEGIN
        DecryptResult result = await shop.TryDecryptAsync(received);
        switch (result.Failure)
        {
            case E2eChatFailure.None:
                Show(result.Plaintext!);
                break;
            case E2eChatFailure.Duplicate:          // already shown (or its key was evicted): drop it
                break;
            case E2eChatFailure.UntrustedIdentity:  // the peer's identity changed: ask the user to verify
                AskToVerify(received.Sender);
                break;
            case E2eChatFailure.StoreConflict:      // other writers kept winning; nothing was committed
                RetryLater(received);
                break;
            default:                                // hostile or broken input; nothing was changed
                Report(received.Sender, result.Failure);
                break;
        }

        try
        {
            PreKeyBundle bundle = PreKeyBundle.Parse(fetched);
        }
        catch (E2eChatException e) when (e.Failure is E2eChatFailure.BadSignedPreKeySignature or E2eChatFailure.BadKemPreKeySignature)
        {
            // The key directory served keys the identity did not sign.
        }
        // README-END
    }

    private void Show(byte[] plaintext) => _log.Add("shown: " + Encoding.UTF8.GetString(plaintext));

    private void AskToVerify(ProtocolAddress sender) => _log.Add("verify " + sender);

    private void RetryLater(Envelope received) => _log.Add("retry " + received.Sender);

    private void Report(ProtocolAddress sender, E2eChatFailure failure) => _log.Add($"report {sender}: {failure}");
}
