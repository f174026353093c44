using System.Text;
using StbImageSharp;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace E2eChat.Tests.Accounts;

public sealed class ContactLinkTests
{
    private const ulong IssuedAt = 1_767_225_600_000;
    private const ulong ExpiresAt = IssuedAt + 86_400_000;

    private static SignedContactLink Sign(AccountKeyPair key, string? prefilled = "Hi, about my order", byte[]? referral = null) =>
        SignedContactLink.Sign(key, new ContactLink("acme-shoes", "ACME Shoes", key.PublicKey, IssuedAt, ExpiresAt, prefilled, referral ?? Encoding.ASCII.GetBytes("ad-2026-12"), 4));

    [Fact]
    public void ToPng_DecodedByZxing_GivesTheIdenticalLink()
    {
        using var key = AccountKeyPair.Generate();
        SignedContactLink link = Sign(key);
        string uri = link.ToWebUri("acme.example");

        byte[] png = ContactLinkQr.ToPng(uri, pixelsPerModule: 4);
        ImageResult image = ImageResult.FromMemory(png, ColorComponents.RedGreenBlueAlpha);
        var source = new RGBLuminanceSource(image.Data, image.Width, image.Height, RGBLuminanceSource.BitmapFormat.RGBA32);
        Result? decoded = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), new Dictionary<DecodeHintType, object> { [DecodeHintType.PURE_BARCODE] = true });

        Assert.NotNull(decoded);
        Assert.Equal(uri, decoded.Text);
        Assert.True(SignedContactLink.TryParseUri(decoded.Text, out SignedContactLink? read, out E2eChatFailure failure), failure.ToString());
        Assert.Equal(link.AsSpan().ToArray(), read.AsSpan().ToArray());
        Assert.Equal("Hi, about my order", read.Link.PrefilledText);
    }

    [Fact]
    public void ToText_AndToSvg_RenderTheSameUri()
    {
        using var key = AccountKeyPair.Generate();
        string uri = Sign(key).ToUri();

        string text = ContactLinkQr.ToText(uri);
        string svg = ContactLinkQr.ToSvg(uri);

        Assert.Contains('█', text);
        Assert.True(text.Split('\n').Length > 20);
        Assert.StartsWith("<svg", svg.TrimStart().Replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", string.Empty, StringComparison.Ordinal).TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryOpen_AtExpiry_Expired()
    {
        using var key = AccountKeyPair.Generate();
        string uri = Sign(key).ToUri();

        Assert.True(SignedContactLink.TryOpen(uri, ExpiresAt - 1, out _, out _));
        Assert.False(SignedContactLink.TryOpen(uri, ExpiresAt, out SignedContactLink? link, out E2eChatFailure failure));
        Assert.Null(link);
        Assert.Equal(E2eChatFailure.Expired, failure);
    }

    [Fact]
    public void TryRead_AnyOneByteChanged_FailsTyped()
    {
        using var key = AccountKeyPair.Generate();
        byte[] bytes = Sign(key).AsSpan().ToArray();

        for (int i = 0; i < bytes.Length; i++)
        {
            byte[] changed = (byte[])bytes.Clone();
            changed[i] ^= 0x04;

            Assert.False(SignedContactLink.TryRead(changed, out _, out E2eChatFailure failure), $"byte {i}");
            Assert.NotEqual(E2eChatFailure.None, failure);
        }
    }

    [Fact]
    public async Task OpenContactLinkAsync_DirectorySubstitutesTheBusinessKey_AccountKeyMismatchNothingStored()
    {
        using var key = AccountKeyPair.Generate();
        using var directoryKey = AccountKeyPair.Generate();
        SignedContactLink link = Sign(key);
        var directory = new AccountDirectory(new InMemoryAccountStore(), ProtocolStores.CreateInMemory(E2eChat.IdentityKeyPair.Generate()).Identities);
        byte[] substituted = SignedDeviceList.Sign(directoryKey, DeviceListFixture.Shop(1, 1)).ToBytes();

        (E2eChatFailure failure, _) = await directory.OpenContactLinkAsync(link, substituted);

        Assert.Equal(E2eChatFailure.AccountKeyMismatch, failure);
        Assert.Null(await directory.GetDeviceListAsync("acme-shoes"));
    }

    [Fact]
    public async Task OpenContactLinkAsync_GenuineList_AcceptsAndPinsTheLinkKey()
    {
        using var key = AccountKeyPair.Generate();
        SignedContactLink link = Sign(key);
        var directory = new AccountDirectory(new InMemoryAccountStore(), ProtocolStores.CreateInMemory(E2eChat.IdentityKeyPair.Generate()).Identities);

        (E2eChatFailure failure, DeviceListUpdate? update) = await directory.OpenContactLinkAsync(link, SignedDeviceList.Sign(key, DeviceListFixture.Shop(1, 1, 2)).ToBytes());

        Assert.Equal(E2eChatFailure.None, failure);
        Assert.Equal([1u, 2u], update!.Added.Select(d => d.Device));
        Assert.Equal(key.PublicKey, (await directory.GetDeviceListAsync("acme-shoes"))!.AccountKey);
    }

    [Fact]
    public void Sign_LinkNamingAnotherKey_Throws()
    {
        using var key = AccountKeyPair.Generate();
        using var other = AccountKeyPair.Generate();

        Assert.Throws<ArgumentException>(() => SignedContactLink.Sign(other, new ContactLink("acme-shoes", "ACME", key.PublicKey, IssuedAt, ExpiresAt)));
        Assert.Throws<ArgumentException>(() => new ContactLink("acme-shoes", "ACME", key.PublicKey, IssuedAt, ExpiresAt, new string('a', 141)));
        Assert.Throws<ArgumentException>(() => new ContactLink("acme-shoes", "ACME", key.PublicKey, IssuedAt, ExpiresAt, scopes: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContactLink("acme-shoes", "ACME", key.PublicKey, IssuedAt, IssuedAt));
    }
}
