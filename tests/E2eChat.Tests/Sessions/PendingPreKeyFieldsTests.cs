using E2eChat.Storage.Proto;
using Google.Protobuf;

namespace E2eChat.Tests.Sessions;

public sealed class PendingPreKeyFieldsTests
{
    private static readonly byte[] s_identity = SessionTestFactory.Identity(1);
    private static readonly byte[] s_baseKey = Enumerable.Repeat((byte)5, 32).ToArray();
    private static readonly byte[] s_ciphertext = Enumerable.Range(0, 1088).Select(i => (byte)(i & 0xFF)).ToArray();

    [Fact]
    public void Constructor_Fields_AreKept()
    {
        var fields = new PendingPreKeyFields(s_identity, s_baseKey, 1, 0, 3, s_ciphertext);
        Assert.Equal(s_identity, fields.IdentityKey.ToArray());
        Assert.Equal(s_baseKey, fields.BaseKey.ToArray());
        Assert.Equal(1u, fields.SignedPreKeyId);
        Assert.Equal(0u, fields.OneTimePreKeyId);
        Assert.Equal(3u, fields.KemPreKeyId);
        Assert.Equal(s_ciphertext, fields.KemCiphertext.ToArray());
    }

    [Fact]
    public void Constructor_BadInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PendingPreKeyFields(new byte[127], s_baseKey, 1, 0, 3, s_ciphertext));
        Assert.Throws<ArgumentException>(() => new PendingPreKeyFields(s_identity, new byte[33], 1, 0, 3, s_ciphertext));
        Assert.Throws<ArgumentException>(() => new PendingPreKeyFields(s_identity, s_baseKey, 1, 0, 3, new byte[1087]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PendingPreKeyFields(s_identity, s_baseKey, 0, 0, 3, s_ciphertext));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PendingPreKeyFields(s_identity, s_baseKey, 1, 0, 0, s_ciphertext));
    }

    [Fact]
    public void FromData_ToData_RoundTrips()
    {
        var fields = new PendingPreKeyFields(s_identity, s_baseKey, 1, 2, 3, s_ciphertext);
        PendingPreKeyData data = fields.ToData();
        PendingPreKeyFields? loaded = PendingPreKeyFields.FromData(PendingPreKeyData.Parser.ParseFrom(data.ToByteArray()));
        Assert.NotNull(loaded);
        Assert.Equal(data, loaded.ToData());
    }

    [Fact]
    public void FromData_Invalid_Null()
    {
        PendingPreKeyData valid = new PendingPreKeyFields(s_identity, s_baseKey, 1, 2, 3, s_ciphertext).ToData();
        PendingPreKeyData badKey = valid.Clone();
        badKey.BaseKey = ByteString.CopyFrom(new byte[31]);
        PendingPreKeyData badId = valid.Clone();
        badId.KemPrekeyId = 0;
        PendingPreKeyData badCiphertext = valid.Clone();
        badCiphertext.KemCiphertext = ByteString.Empty;
        Assert.Null(PendingPreKeyFields.FromData(badKey));
        Assert.Null(PendingPreKeyFields.FromData(badId));
        Assert.Null(PendingPreKeyFields.FromData(badCiphertext));
    }
}
