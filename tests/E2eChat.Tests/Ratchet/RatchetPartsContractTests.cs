using E2eChat.Crypto;
using E2eChat.Ratchet;
using Google.Protobuf;

namespace E2eChat.Tests.Ratchet;

/// <summary>
/// The ratchet's building blocks refuse caller mistakes naming the parameter (before their own work
/// could fail in some other way), and keep the promises their callers rely on: a ring that wraps many
/// times, an absent key reported absent, padding and failed header decryption leaving no stale bytes.
/// </summary>
public sealed class RatchetPartsContractTests
{
    private static byte[] Bytes(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    [Fact]
    public void SkippedMessageKeys_CallerMistakes_ThrowNamingTheParameter()
    {
        Assert.Throws<ArgumentOutOfRangeException>("maxCount", () => new SkippedMessageKeys(0));
        using var store = new SkippedMessageKeys(4);
        Assert.Throws<ArgumentOutOfRangeException>("chain", () => store.Add(-1, 0, Bytes(32, 1)));
        Assert.Throws<ArgumentOutOfRangeException>("chain", () => store.Add(256, 0, Bytes(32, 1)));
        Assert.Throws<ArgumentException>("messageKey", () => store.Add(0, 0, Bytes(31, 1)));
        Assert.Equal(0, store.Count);
        store.Add(0, 7, Bytes(32, 1));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => store.RemoveAt(-1));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => store.RemoveAt(1));
        Assert.Throws<ArgumentNullException>("source", () => store.AddAll(null!));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void SkippedMessageKeys_EvictingAroundTheRingManyTimes_KeepsTheNewestInOrder()
    {
        using var store = new SkippedMessageKeys(3);
        for (uint counter = 0; counter < 20; counter++)
        {
            store.Add(1, counter, Bytes(32, (byte)(counter + 1)));
            Assert.Equal(Math.Min(3, (int)counter + 1), store.Count);
        }

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(1, store.ChainAt(i));
            Assert.Equal((uint)(17 + i), store.CounterAt(i));
            Assert.Equal(Bytes(32, (byte)(18 + i)), store.MessageKeyAt(i).ToArray());
        }
    }

    [Fact]
    public void SkippedMessageKeys_IndexOfAbsentEntry_IsMinusOneEvenForZeroChainAndCounter()
    {
        using var store = new SkippedMessageKeys(8);
        store.Add(0, 1, Bytes(32, 1));
        store.Add(0, 2, Bytes(32, 2));
        Assert.Equal(-1, store.IndexOf(0, 0));
        store.RemoveAt(1);
        Assert.Equal(-1, store.IndexOf(0, 2));
        Assert.Equal(0, store.IndexOf(0, 1));
    }

    [Fact]
    public void ReceiverChainHistory_CallerMistakes_ThrowNamingTheParameter()
    {
        using var history = new ReceiverChainHistory();
        history.PushNewest(Bytes(32, 1));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => history.HeaderKeyAt(-1).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>("index", () => history.HeaderKeyAt(1).ToArray());
        Assert.Throws<ArgumentException>("headerKey", () => history.AddOldest(Bytes(33, 2)));
        Assert.Equal(1, history.Count);
    }

    [Fact]
    public void RootKdf_WrongOutputOrDhLength_ThrowsNamingTheParameter()
    {
        byte[] key = Bytes(32, 3);
        Assert.Throws<ArgumentException>("dhOutput", () => RootKdf.Advance(key, Bytes(31, 1), new byte[32], new byte[32], new byte[32]));
        Assert.Throws<ArgumentException>("nextRootKey", () => RootKdf.Advance(key, key, new byte[33], new byte[32], new byte[32]));
        Assert.Throws<ArgumentException>("nextHeaderKey", () => RootKdf.Advance(key, key, new byte[32], new byte[32], new byte[33]));
    }

    [Fact]
    public void ChainKdf_WrongChainKeyLength_ThrowsNamingIt()
    {
        // HMAC itself takes a key of any length: only the check refuses it.
        Assert.Throws<ArgumentException>("chainKey", () => ChainKdf.Advance(Bytes(31, 1), new byte[32], new byte[32]));
        Assert.Throws<ArgumentException>("chainKey", () => ChainKdf.Advance(Bytes(33, 1), new byte[32], new byte[32]));
    }

    [Fact]
    public void HeaderCipher_CallerMistakes_ThrowNamingTheParameter()
    {
        byte[] key = Bytes(32, 4);
        using var random = new DeterministicRandomSource(new byte[32]);
        Assert.Throws<ArgumentException>("header", () => HeaderCipher.Encrypt(key, new byte[RatchetHeader.Length + 1], random, new byte[HeaderCipher.EncryptedLength]));
        Assert.Throws<ArgumentException>("destination", () => HeaderCipher.Encrypt(key, new byte[RatchetHeader.Length], random, new byte[HeaderCipher.EncryptedLength + 1]));
        byte[] shared = new byte[HeaderCipher.EncryptedLength + RatchetHeader.Length];
        Assert.Throws<ArgumentException>("destination", () => HeaderCipher.Encrypt(key, shared.AsSpan(0, RatchetHeader.Length), random, shared.AsSpan(RatchetHeader.Length - 1, HeaderCipher.EncryptedLength)));
        Assert.Throws<ArgumentException>("header", () => HeaderCipher.TryDecrypt(key, new byte[HeaderCipher.EncryptedLength], new byte[RatchetHeader.Length - 1]));
    }

    [Fact]
    public void HeaderCipher_WrongEncryptedLength_ClearsTheOutput()
    {
        byte[] header = Bytes(RatchetHeader.Length, 0xAB);
        Assert.False(HeaderCipher.TryDecrypt(Bytes(32, 4), new byte[HeaderCipher.EncryptedLength - 1], header));
        Assert.Equal(new byte[RatchetHeader.Length], header);
    }

    [Fact]
    public void Pad_IntoDirtyBuffer_ZeroesEverythingAfterTheMarker()
    {
        byte[] destination = Bytes(Padding.GetPaddedLength(5), 0xFF);
        Padding.Pad([1, 2, 3, 4, 5], destination);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 0x80 }, destination[..6]);
        Assert.All(destination[6..], b => Assert.Equal(0, b));
        Assert.True(Padding.TryUnpad(destination, out int length));
        Assert.Equal(5, length);
    }

    [Fact]
    public void ProtobufSecrets_Wipe_ZeroesAWrappedSecretAndAcceptsEmpty()
    {
        using var secrets = new ProtobufSecrets();
        ByteString wrapped = secrets.Wrap(Bytes(32, 7));
        ProtobufSecrets.Wipe(wrapped);
        Assert.Equal(new byte[32], wrapped.ToByteArray());
        ProtobufSecrets.Wipe(ByteString.Empty);
        Assert.True(ByteString.Empty.IsEmpty);
    }
}
