using E2eChat.Wire;

namespace E2eChat.Tests.Consent;

/// <summary>The customer's device: one call per record, signed, serial after serial, applied to its own state (PROTOCOL.md 16.3).</summary>
public sealed class CustomerConsentTests : IDisposable
{
    private static readonly DateTimeOffset s_start = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
    private readonly AccountKeyPair _key = AccountKeyPair.Generate();
    private readonly ManualClock _clock = new(s_start);
    private readonly CustomerConsent _consent;

    public CustomerConsentTests() => _consent = new CustomerConsent("alice", _key, new InMemoryConsentStateStore(), _clock);

    public void Dispose() => _key.Dispose();

    [Fact]
    public async Task EachCall_SignedRecordWithNextSerial_VerifiesAndMatchesOwnState()
    {
        var records = new List<SignedConsent>
        {
            await _consent.GrantAsync("acme.shoes", ConsentScopes.Utility | ConsentScopes.Marketing, s_start.AddDays(30)),
            await _consent.RevokeAsync("acme.shoes"),
            await _consent.BlockAsync("acme.shoes"),
            await _consent.UnblockAsync("acme.shoes"),
        };

        ConsentState verifier = default;
        for (int i = 0; i < records.Count; i++)
        {
            Assert.Equal((ulong)(i + 1), records[i].Record.Serial);
            Assert.Equal("alice", records[i].Record.Customer);
            Assert.Equal((ulong)s_start.ToUnixTimeMilliseconds(), records[i].Record.IssuedAtMilliseconds);
            Assert.Equal(E2eChatFailure.None, ConsentVerifier.Verify(records[i].Bytes.Span, _key.PublicKey, "alice", "acme.shoes", verifier, out ConsentRecord? read, out verifier));
            Assert.Equal(records[i].Record, read);
        }

        // Whoever applies the records sees the state the device keeps.
        Assert.Equal(verifier, await _consent.GetStateAsync("acme.shoes"));
        Assert.Equal(ConsentAction.Unblock, verifier.LastAction);
        Assert.False(verifier.IsBlocked);
        Assert.Equal(ConsentScopes.None, verifier.Scopes);
    }

    [Fact]
    public async Task Grant_Expiring_GrantedUntilExpiryThenExpired()
    {
        await _consent.GrantAsync("acme.shoes", ConsentScopes.Utility, s_start.AddHours(1));
        Assert.Equal(ConsentDecision.Deliver, await _consent.DecideAsync("acme.shoes", Category.Utility));
        Assert.Equal(ConsentDecision.NoConsent, await _consent.DecideAsync("acme.shoes", Category.Marketing));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(ConsentDecision.Expired, await _consent.DecideAsync("acme.shoes", Category.Utility));
    }

    [Fact]
    public async Task Block_AfterGrant_DropsEveryCategoryAndStopsWindow()
    {
        await _consent.GrantAsync("acme.shoes", ConsentScopes.All);
        await _consent.BlockAsync("acme.shoes");
        await _consent.CustomerWroteAsync("acme.shoes");
        Assert.Equal(0ul, (await _consent.GetStateAsync("acme.shoes")).WindowUntilMilliseconds);
        foreach (Category c in new[] { Category.Service, Category.Utility, Category.Marketing, Category.Authentication })
        {
            Assert.Equal(InboxDecision.Drop, await _consent.ClassifyAsync("acme.shoes", c));
        }

        await _consent.UnblockAsync("acme.shoes");
        Assert.Equal(InboxDecision.Request, await _consent.ClassifyAsync("acme.shoes", Category.Utility));
    }

    [Fact]
    public async Task CustomerWrote_OpensWindowForEveryCategoryFor24Hours()
    {
        await _consent.CustomerWroteAsync("acme.shoes");
        Assert.Equal(InboxDecision.Show, await _consent.ClassifyAsync("acme.shoes", Category.Marketing));
        _clock.Advance(TimeSpan.FromHours(24));
        Assert.Equal(ConsentDecision.WindowClosed, await _consent.DecideAsync("acme.shoes", Category.Service));
    }

    [Fact]
    public async Task Grant_InvalidArguments_ThrowAndChangeNothing()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await _consent.GrantAsync("acme.shoes", ConsentScopes.None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _consent.GrantAsync("alice", ConsentScopes.Utility));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _consent.GrantAsync("Not A Name", ConsentScopes.Utility));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _consent.GrantAsync("acme.shoes", ConsentScopes.Utility, s_start));
        Assert.Equal(default, await _consent.GetStateAsync("acme.shoes"));
        Assert.Throws<ArgumentException>(() => new CustomerConsent("Alice!", _key, new InMemoryConsentStateStore(), _clock));
    }

    [Fact]
    public async Task Records_PerBusiness_SerialsIndependent()
    {
        Assert.Equal(1ul, (await _consent.BlockAsync("acme.shoes")).Record.Serial);
        Assert.Equal(1ul, (await _consent.GrantAsync("other.shop", ConsentScopes.Utility)).Record.Serial);
        Assert.Equal(2ul, (await _consent.UnblockAsync("acme.shoes")).Record.Serial);
    }
}
