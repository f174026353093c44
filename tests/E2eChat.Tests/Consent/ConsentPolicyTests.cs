using E2eChat.Wire;

namespace E2eChat.Tests.Consent;

/// <summary>Each row of the decision table (PROTOCOL.md section 17.4), each record action (17.2) and the window (17.3).</summary>
public sealed class ConsentPolicyTests
{
    private const ulong Day = ConsentPolicy.ServiceWindowMilliseconds;
    private const ulong T0 = 1_800_000_000_000;

    [Fact]
    public void Decide_NothingHappened_NoConsentForEveryCategory()
    {
        foreach (Category c in Categories)
        {
            Assert.Equal(ConsentDecision.NoConsent, ConsentPolicy.Decide(default, c, T0));
        }
    }

    [Fact]
    public void Decide_InsideWindow_DeliversEveryCategoryUntilExclusiveEnd()
    {
        ConsentState state = ConsentPolicy.OpenWindow(default, T0);
        Assert.Equal(T0 + Day, state.WindowUntilMilliseconds);
        foreach (Category c in Categories)
        {
            Assert.Equal(ConsentDecision.Deliver, ConsentPolicy.Decide(state, c, T0 + Day - 1));
        }

        Assert.Equal(ConsentDecision.WindowClosed, ConsentPolicy.Decide(state, Category.Service, T0 + Day));
        Assert.Equal(ConsentDecision.NoConsent, ConsentPolicy.Decide(state, Category.Marketing, T0 + Day));
    }

    [Fact]
    public void OpenWindow_EarlierMessageAfterLater_KeepsLaterEnd()
    {
        ConsentState state = ConsentPolicy.OpenWindow(ConsentPolicy.OpenWindow(default, T0 + 5), T0);
        Assert.Equal(T0 + 5 + Day, state.WindowUntilMilliseconds);
    }

    [Fact]
    public void OpenWindow_NearMaximum_Saturates()
    {
        ConsentState state = ConsentPolicy.OpenWindow(default, ulong.MaxValue - 1);
        Assert.Equal(ulong.MaxValue, state.WindowUntilMilliseconds);
    }

    [Fact]
    public void OpenWindow_WhileBlocked_ChangesNothing()
    {
        ConsentState blocked = Apply(default, ConsentAction.Block, ConsentScopes.None, 1);
        Assert.Equal(blocked, ConsentPolicy.OpenWindow(blocked, T0));
    }

    [Fact]
    public void Decide_GrantedScope_DeliversOnlyThatScopeUntilExpiry()
    {
        ConsentState state = Apply(default, ConsentAction.Grant, ConsentScopes.Utility | ConsentScopes.Authentication, 1, T0 + 10);
        Assert.Equal(ConsentDecision.Deliver, ConsentPolicy.Decide(state, Category.Utility, T0 + 9));
        Assert.Equal(ConsentDecision.Deliver, ConsentPolicy.Decide(state, Category.Authentication, T0));
        Assert.Equal(ConsentDecision.NoConsent, ConsentPolicy.Decide(state, Category.Marketing, T0));
        Assert.Equal(ConsentDecision.Expired, ConsentPolicy.Decide(state, Category.Utility, T0 + 10));
    }

    [Fact]
    public void Decide_BlockedInsideWindowAndGrant_Blocked()
    {
        ConsentState state = ConsentPolicy.OpenWindow(Apply(default, ConsentAction.Grant, ConsentScopes.All, 1), T0);
        state = Apply(state, ConsentAction.Block, ConsentScopes.None, 2);
        Assert.True(state.IsBlocked);
        Assert.Equal(ConsentScopes.None, state.Scopes);
        Assert.Equal(ConsentDecision.Blocked, ConsentPolicy.Decide(state, Category.Service, T0 + 1));
    }

    [Fact]
    public void Decide_AfterRevoke_RevokedButWindowStillDelivers()
    {
        ConsentState state = Apply(Apply(default, ConsentAction.Grant, ConsentScopes.Marketing, 1), ConsentAction.Revoke, ConsentScopes.None, 2);
        Assert.Equal(ConsentDecision.Revoked, ConsentPolicy.Decide(state, Category.Marketing, T0));
        state = ConsentPolicy.OpenWindow(state, T0);
        Assert.Equal(ConsentDecision.Deliver, ConsentPolicy.Decide(state, Category.Marketing, T0 + 1));
        Assert.Equal(ConsentDecision.Revoked, ConsentPolicy.Decide(state, Category.Service, T0 + Day));
    }

    [Fact]
    public void TryApply_Unblock_LiftsBlockScopesStayCleared()
    {
        ConsentState state = Apply(Apply(Apply(default, ConsentAction.Grant, ConsentScopes.All, 1), ConsentAction.Block, ConsentScopes.None, 2), ConsentAction.Unblock, ConsentScopes.None, 3);
        Assert.False(state.IsBlocked);
        Assert.Equal(ConsentAction.Unblock, state.LastAction);
        Assert.Equal(ConsentDecision.NoConsent, ConsentPolicy.Decide(state, Category.Utility, T0));
    }

    [Theory]
    [InlineData(5UL)]
    [InlineData(4UL)]
    public void TryApply_SerialNotAboveNewest_StaleAndUnchanged(ulong serial)
    {
        ConsentState state = Apply(default, ConsentAction.Grant, ConsentScopes.Utility, 5);
        Assert.False(ConsentPolicy.TryApply(state, ConsentAction.Block, ConsentScopes.None, serial, 0, out ConsentState next));
        Assert.Equal(state, next);
    }

    [Fact]
    public void TryApply_InvalidValues_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ConsentPolicy.TryApply(default, ConsentAction.Grant, ConsentScopes.None, 1, 0, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConsentPolicy.TryApply(default, ConsentAction.Revoke, ConsentScopes.Utility, 1, 0, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConsentPolicy.TryApply(default, ConsentAction.Block, ConsentScopes.None, 1, 7, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConsentPolicy.TryApply(default, ConsentAction.Grant, (ConsentScopes)16, 1, 0, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConsentPolicy.TryApply(default, (ConsentAction)5, ConsentScopes.None, 1, 0, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConsentPolicy.TryApply(default, ConsentAction.Revoke, ConsentScopes.None, 0, 0, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConsentPolicy.Decide(default, Category.Unspecified, T0));
    }

    [Fact]
    public void ScopeOf_EachCategory_IsItsBit()
    {
        Assert.Equal(ConsentScopes.Service, ConsentPolicy.ScopeOf(Category.Service));
        Assert.Equal(ConsentScopes.Utility, ConsentPolicy.ScopeOf(Category.Utility));
        Assert.Equal(ConsentScopes.Marketing, ConsentPolicy.ScopeOf(Category.Marketing));
        Assert.Equal(ConsentScopes.Authentication, ConsentPolicy.ScopeOf(Category.Authentication));
    }

    private static readonly Category[] Categories = [Category.Service, Category.Utility, Category.Marketing, Category.Authentication];

    private static ConsentState Apply(ConsentState state, ConsentAction action, ConsentScopes scopes, ulong serial, ulong expires = 0)
    {
        Assert.True(ConsentPolicy.TryApply(state, action, scopes, serial, expires, out ConsentState next));
        return next;
    }
}
