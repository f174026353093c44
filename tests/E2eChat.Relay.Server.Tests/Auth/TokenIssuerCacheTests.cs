using E2eChat.Relay.Server.Addressing;
using E2eChat.Relay.Server.Auth;
using E2eChat.Relay.Server.Errors;

namespace E2eChat.Relay.Server.Tests.Auth;

/// <summary>
/// The verified-token cache: a token checked again skips the HMAC but answers exactly as a full
/// check (expiry on every call, only the exact text of a verified token hits, failures not kept).
/// </summary>
public sealed class TokenIssuerCacheTests : IDisposable
{
    private const long Now = 1_750_000_000_000;
    private const long Lifetime = 900_000;

    private static readonly AuthenticatedDevice s_alice = new(new DeviceAddress("alice", 1), PartyKind.Person);
    private static readonly AuthenticatedDevice s_bob = new(new DeviceAddress("bob", 2), PartyKind.Business);

    private readonly RelaySecrets _secrets = Secrets(1);
    private readonly TokenIssuer _issuer;

    public TokenIssuerCacheTests()
    {
        _issuer = new TokenIssuer(_secrets);
    }

    public void Dispose() => _secrets.Dispose();

    [Fact]
    public void Check_SameTokenTwice_SameDeviceAndRemembered()
    {
        string token = _issuer.Issue(s_alice, Now + Lifetime);

        Assert.Null(_issuer.Check(token, Now, out AuthenticatedDevice? first));
        Assert.Equal(1, _issuer.CachedCount);
        Assert.Null(_issuer.Check(token, Now + 1, out AuthenticatedDevice? second));
        Assert.Equal(s_alice, first);
        Assert.Equal(s_alice, second);
    }

    [Fact]
    public void Check_RememberedTokenAfterItsExpiry_TokenExpiredAndForgotten()
    {
        string token = _issuer.Issue(s_alice, Now + Lifetime);
        Assert.Null(_issuer.Check(token, Now, out _));

        Assert.Equal(RelayFailure.TokenExpired, _issuer.Check(token, Now + Lifetime, out AuthenticatedDevice? device));
        Assert.Null(device);
        Assert.Equal(0, _issuer.CachedCount);
        Assert.Equal(RelayFailure.TokenExpired, _issuer.Check(token, Now + Lifetime + 1, out _));
    }

    [Fact]
    public void Check_AnotherDevicesToken_ItsOwnDevice()
    {
        string alice = _issuer.Issue(s_alice, Now + Lifetime);
        string bob = _issuer.Issue(s_bob, Now + Lifetime);
        Assert.Null(_issuer.Check(alice, Now, out _));

        Assert.Null(_issuer.Check(bob, Now, out AuthenticatedDevice? device));
        Assert.Equal(s_bob, device);
        Assert.Null(_issuer.Check(alice, Now, out device));
        Assert.Equal(s_alice, device);
    }

    [Fact]
    public void Check_AlteredRememberedToken_RefusedAndNotRemembered()
    {
        string token = _issuer.Issue(s_alice, Now + Lifetime);
        Assert.Null(_issuer.Check(token, Now, out _));
        // A character inside the MAC (not the last one, whose low bits may be padding).
        int at = token.Length - 8;
        string altered = token[..at] + (token[at] == 'A' ? 'B' : 'A') + token[(at + 1)..];

        Assert.NotNull(_issuer.Check(altered, Now, out AuthenticatedDevice? device));
        Assert.Null(device);
        Assert.Equal(1, _issuer.CachedCount);
    }

    [Fact]
    public void Check_TokenOfAnotherRelay_BadTokenAndNotRemembered()
    {
        using RelaySecrets otherSecrets = Secrets(2);
        string foreign = new TokenIssuer(otherSecrets).Issue(s_alice, Now + Lifetime);

        Assert.Equal(RelayFailure.BadToken, _issuer.Check(foreign, Now, out AuthenticatedDevice? device));
        Assert.Null(device);
        Assert.Equal(0, _issuer.CachedCount);
    }

    [Fact]
    public void Check_ExpiredOnFirstSight_NotRemembered()
    {
        string token = _issuer.Issue(s_alice, Now);

        Assert.Equal(RelayFailure.TokenExpired, _issuer.Check(token, Now, out _));
        Assert.Equal(0, _issuer.CachedCount);
    }

    private static RelaySecrets Secrets(byte fill)
    {
        var secrets = new RelaySecrets();
        byte[] secret = new byte[RelaySecrets.SecretLength];
        Array.Fill(secret, fill);
        secrets.Initialize(secret);
        return secrets;
    }
}
