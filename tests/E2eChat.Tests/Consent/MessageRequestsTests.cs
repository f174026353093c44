using System.Security.Cryptography;
using System.Text;
using E2eChat.Tests.Accounts;
using E2eChat.Wire;

namespace E2eChat.Tests.Consent;

/// <summary>
/// The customer's device against a hostile relay that ignores the consent policy and delivers every
/// envelope (PROTOCOL.md 17.4, "Device"): real sessions, real envelopes; only the device's gate decides
/// what reaches the inbox.
/// </summary>
public sealed class MessageRequestsTests : IAsyncLifetime
{
    private const string Shop = BusinessWorld.Shop;
    private static readonly DateTimeOffset s_start = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
    private readonly ManualClock _clock = new(s_start);
    private readonly List<string> _inbox = [];
    private BusinessWorld _world = null!;
    private CustomerConsent _consent = null!;
    private MessageRequests _requests = null!;

    public async Task InitializeAsync()
    {
        _world = await BusinessWorld.CreateAsync(1);
        _consent = new CustomerConsent(BusinessWorld.Customer, _world.CustomerKey, new InMemoryConsentStateStore(), _clock);
        _requests = new MessageRequests(_consent);
    }

    public Task DisposeAsync()
    {
        _world.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task HostileRelay_UnconsentedMarketing_HeldAsRequestNotInInboxNoReceipts()
    {
        InboxResult result = await ShopSendsAsync("50% off everything", Category.Marketing);
        Assert.Equal(InboxDecision.Request, result.Decision);
        Assert.Equal(ConsentDecision.NoConsent, result.Policy);
        Assert.False(result.MaySendReceipts);
        Assert.Empty(_inbox);
        Assert.Equal([Shop], _requests.Businesses);
        Assert.Equal("50% off everything", Encoding.UTF8.GetString(_requests.Held(Shop).Single().Message.Body.Span));

        // Accepting releases what was held; consent itself is unchanged (the next one is held again).
        IReadOnlyList<HeldMessage> released = _requests.Accept(Shop);
        Assert.Single(released);
        Assert.Empty(_requests.Held(Shop));
        Assert.Equal(InboxDecision.Request, (await ShopSendsAsync("still on", Category.Marketing)).Decision);
    }

    [Fact]
    public async Task HostileRelay_BlockedBusiness_DroppedWhateverTheCategoryAndWindow()
    {
        await _consent.GrantAsync(Shop, ConsentScopes.All);
        await _consent.CustomerWroteAsync(Shop);
        SignedConsent block = await _consent.BlockAsync(Shop);
        Assert.Equal(ConsentAction.Block, block.Record.Action);
        foreach (Category category in new[] { Category.Service, Category.Utility, Category.Marketing, Category.Authentication })
        {
            InboxResult result = await ShopSendsAsync("hello again", category);
            Assert.Equal(InboxDecision.Drop, result.Decision);
            Assert.Equal(ConsentDecision.Blocked, result.Policy);
        }

        Assert.Empty(_inbox);
        Assert.Empty(_requests.Businesses);
    }

    [Fact]
    public async Task HostileRelay_GrantAndWindow_ShowOnlyWhatTheyAllow()
    {
        await _consent.GrantAsync(Shop, ConsentScopes.Utility);
        Assert.Equal(InboxDecision.Show, (await ShopSendsAsync("Your order shipped", Category.Utility)).Decision);
        Assert.Equal(InboxDecision.Request, (await ShopSendsAsync("New arrivals", Category.Marketing)).Decision);
        Assert.Equal(InboxDecision.Request, (await ShopSendsAsync("Can I help?", Category.Service)).Decision);

        await _consent.CustomerWroteAsync(Shop);
        Assert.Equal(InboxDecision.Show, (await ShopSendsAsync("Sure, here it is", Category.Service)).Decision);
        _clock.Advance(TimeSpan.FromHours(24));
        InboxResult late = await ShopSendsAsync("Anything else?", Category.Service);
        Assert.Equal(InboxDecision.Request, late.Decision);
        Assert.Equal(ConsentDecision.WindowClosed, late.Policy);
        Assert.Equal(["Your order shipped", "Sure, here it is"], _inbox);
    }

    [Fact]
    public async Task HostileRelay_MarketingDisguisedAsUtility_CategoryMismatchWithBothValues()
    {
        await _consent.GrantAsync(Shop, ConsentScopes.Utility);
        InboxResult result = await ShopSendsAsync("Buy now!", Category.Utility, contentCategory: (int)Category.Marketing);
        Assert.Equal(InboxDecision.Violation, result.Decision);
        Assert.Equal(E2eChatFailure.CategoryMismatch, result.Violation);
        Assert.Equal(Category.Utility, result.EnvelopeCategory);
        Assert.Equal((int)Category.Marketing, result.ContentCategory);
        Assert.False(result.MaySendReceipts);
        Assert.Empty(_inbox);
        Assert.Empty(_requests.Held(Shop));

        InboxResult missing = await ShopSendsAsync("Buy now!", Category.Utility, contentCategory: 0);
        Assert.Equal(E2eChatFailure.MissingCategory, missing.Violation);
    }

    [Fact]
    public async Task Report_HeldRequests_BlocksWithEvidenceAndLaterMessagesDropped()
    {
        await ShopSendsAsync("Win a prize", Category.Marketing);
        await ShopSendsAsync("Last chance", Category.Marketing);
        MessageReport report = await _requests.ReportAsync(Shop);
        Assert.Equal(2, report.Evidence.Count);
        Assert.Equal(ConsentAction.Block, report.Block.Record.Action);
        Assert.True((await _consent.GetStateAsync(Shop)).IsBlocked);
        Assert.Equal(InboxDecision.Drop, (await ShopSendsAsync("Hello?", Category.Utility)).Decision);
        Assert.Empty(_requests.Businesses);
    }

    [Fact]
    public async Task Block_FromRequest_DropsHeld()
    {
        await ShopSendsAsync("Win a prize", Category.Marketing);
        SignedConsent block = await _requests.BlockAsync(Shop);
        Assert.Equal(1ul, block.Record.Serial);
        Assert.Empty(_requests.Held(Shop));
    }

    [Fact]
    public async Task ReceiveAsync_HeldPerBusiness_BoundedKeepingNewest()
    {
        for (int i = 0; i < MessageRequests.MaxHeldPerBusiness + 3; i++)
        {
            await ShopSendsAsync($"offer {i}", Category.Marketing);
        }

        IReadOnlyList<HeldMessage> held = _requests.Held(Shop);
        Assert.Equal(MessageRequests.MaxHeldPerBusiness, held.Count);
        Assert.Equal("offer 3", Encoding.UTF8.GetString(held[0].Message.Body.Span));
    }

    [Fact]
    public async Task Grant_SentInsideTheChat_BusinessVerifiesAndKeepsProof()
    {
        // The shop writes first (a session exists), the customer grants from the shop's scopes and sends the grant as Content.consent.
        await _consent.CustomerWroteAsync(Shop);
        await ShopSendsAsync("Welcome to Acme", Category.Service);
        SignedConsent grant = await _consent.GrantAsync(Shop, ConsentScopes.Utility | ConsentScopes.Marketing, s_start.AddDays(365));
        BusinessWorld.Party desk = _world.Device(1);
        var proofs = new ConsentProofs(Shop, desk.Directory);

        Content received = await CustomerSendsAsync(grant.ToContent());
        Assert.Equal(ContentKind.Consent, received.Kind);
        Assert.Equal(E2eChatFailure.None, await proofs.ReceiveAsync(BusinessWorld.Customer, received));
        ConsentProof proof = proofs.Get(BusinessWorld.Customer)!;
        Assert.Equal(grant.Record, proof.Record);
        Assert.Equal(grant.Bytes.ToArray(), proof.SignedRecord.ToArray());
        Assert.Equal(ConsentScopes.Utility | ConsentScopes.Marketing, proof.State.Scopes);

        // A replay is stale, a record for another customer's key is the wrong signer; neither changes the proof.
        Assert.Equal(E2eChatFailure.StaleSerial, await proofs.ReceiveAsync(BusinessWorld.Customer, await CustomerSendsAsync(grant.ToContent())));
        using var mallory = AccountKeyPair.Generate();
        var forger = new CustomerConsent(BusinessWorld.Customer, mallory, new InMemoryConsentStateStore(), _clock);
        SignedConsent forged = await forger.RevokeAsync(Shop);
        Assert.Equal(E2eChatFailure.WrongSigner, await proofs.ReceiveAsync(BusinessWorld.Customer, forged.ToContent()));
        Assert.Equal(E2eChatFailure.UnknownAccountKey, await proofs.ReceiveAsync("bob", forged.ToContent()));
        Assert.Same(proof, proofs.Get(BusinessWorld.Customer));

        SignedConsent revoke = await _consent.RevokeAsync(Shop);
        Assert.Equal(E2eChatFailure.None, await proofs.ReceiveAsync(BusinessWorld.Customer, await CustomerSendsAsync(revoke.ToContent())));
        Assert.Equal(ConsentAction.Revoke, proofs.Get(BusinessWorld.Customer)!.Record.Action);
    }

    /// <summary>The shop's agent encrypts a message; a hostile relay hands the envelope's bytes to the customer unchanged; the customer's device decrypts and gates it.</summary>
    private async Task<InboxResult> ShopSendsAsync(string text, Category envelopeCategory, int? contentCategory = null)
    {
        BusinessWorld.Party desk = _world.Device(1);
        FanOutResult sent = await _world.FanOutOf(desk).SendAsync(BusinessWorld.Customer, new ApplicationMessage(Encoding.UTF8.GetBytes(text), contentCategory ?? (int)envelopeCategory));
        Assert.True(sent.IsSuccess, sent.ToString());
        OutgoingMessage toCustomer = sent.Messages.Single(m => m.Recipient == _world.CustomerDevice.Address);
        var envelope = new Envelope(desk.Address, AccountKind.Business, toCustomer.Recipient, AccountKind.Person, RandomNumberGenerator.GetBytes(Envelope.MessageIdLength), (ulong)_clock.GetUtcNow().ToUnixTimeMilliseconds(), toCustomer.Message, envelopeCategory);
        byte[] delivered = HostileRelay(EnvelopeCodec.Encode(envelope));

        Assert.True(EnvelopeCodec.TryDecode(delivered, out Envelope? received, out _));
        DecryptResult decrypted = await _world.CustomerDevice.Sessions.TryDecryptAsync(received.Sender, received.Message);
        Assert.True(decrypted.IsSuccess, decrypted.Failure.ToString());
        Assert.True(Content.TryRead(decrypted.Plaintext!, out Content? content, out _));
        InboxResult result = await _requests.ReceiveAsync(received, content);
        if (result.Decision == InboxDecision.Show)
        {
            _inbox.Add(Encoding.UTF8.GetString(content.Message!.Body.Span));
        }

        return result;
    }

    /// <summary>The customer encrypts a content to the shop's agent, which decrypts it.</summary>
    private async Task<Content> CustomerSendsAsync(Content content)
    {
        BusinessWorld.Party desk = _world.Device(1);
        CiphertextMessage message = await _world.CustomerDevice.Sessions.EncryptAsync(desk.Address, content.ToBytes());
        DecryptResult decrypted = await desk.Sessions.TryDecryptAsync(_world.CustomerDevice.Address, message);
        Assert.True(decrypted.IsSuccess, decrypted.Failure.ToString());
        Assert.True(Content.TryRead(decrypted.Plaintext!, out Content? read, out _));
        return read;
    }

    /// <summary>A relay that ignores every policy: it delivers whatever it is given.</summary>
    private static byte[] HostileRelay(byte[] envelope) => envelope;
}
