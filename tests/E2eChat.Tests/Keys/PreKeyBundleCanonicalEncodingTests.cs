using Google.Protobuf;

namespace E2eChat.Tests.Keys;

/// <summary>
/// PROTOCOL.md section 3.4 step 1: a bundle "parses" only in the canonical encoding of section 8. Each
/// case takes a valid bundle's field encodings and breaks one canonical rule; a general proto3 parser
/// would accept every one of them with the same field values.
/// </summary>
public sealed class PreKeyBundleCanonicalEncodingTests
{
    private static readonly Lazy<E2eChat.Wire.Proto.PreKeyBundle> s_withOneTime = new(() => Create(withOneTime: true, lastResort: false));
    private static readonly Lazy<E2eChat.Wire.Proto.PreKeyBundle> s_withoutOneTime = new(() => Create(withOneTime: false, lastResort: true));

    private static readonly Dictionary<string, Func<byte[]>> s_breaches = new()
    {
        ["unknown field 11 appended"] = () => Join(Fields(s_withOneTime.Value), [[0x58, 0x01]]),
        ["unknown field 15 fixed32 in the middle"] = () => Insert(Fields(s_withOneTime.Value), 5, [0x7D, 1, 2, 3, 4]),
        ["field 10 repeated"] = () => Join(Fields(s_withOneTime.Value), [Fields(s_withOneTime.Value)[^1]]),
        ["fields 1 and 2 swapped"] = () => Swap(Fields(s_withOneTime.Value), 0, 1),
        ["signed_prekey_id as length-delimited"] = () => Replace(Fields(s_withOneTime.Value), 1, [0x12, 0x01, 0x07]),
        ["signed_prekey_id not minimal"] = () => Replace(Fields(s_withOneTime.Value), 1, [0x10, 0x87, 0x00]),
        ["signed_prekey_id above 2^32-1"] = () => Replace(Fields(s_withOneTime.Value), 1, [0x10, 0x87, 0x80, 0x80, 0x80, 0x10]),
        ["one_time_prekey_id zero written"] = () => Insert(Fields(s_withoutOneTime.Value), 4, [0x28, 0x00]),
        ["one_time_prekey empty written"] = () => Insert(Fields(s_withoutOneTime.Value), 4, [0x32, 0x00]),
        ["kem_prekey_last_resort false written"] = () => Insert(Fields(s_withOneTime.Value), 7, [0x40, 0x00]),
        ["kem_prekey_last_resort 2"] = () => Replace(Fields(s_withoutOneTime.Value), 5, [0x40, 0x02]),
        ["tag not minimal"] = () => Replace(Fields(s_withOneTime.Value), 1, [0x90, 0x00, 0x07]),
        ["trailing byte"] = () => Join(Fields(s_withOneTime.Value), [[0x00]]),
    };

    public static TheoryData<string> Breaches => new(s_breaches.Keys);

    [Fact]
    public void TryParse_FieldEncodingsJoined_IsTheCanonicalEncodingAndAccepted()
    {
        // The helpers below rebuild exactly the encoder's bytes, so the breaches differ from a valid
        // bundle only in the one rule each breaks.
        foreach (E2eChat.Wire.Proto.PreKeyBundle message in new[] { s_withOneTime.Value, s_withoutOneTime.Value })
        {
            byte[] joined = Join(Fields(message), []);
            Assert.Equal(message.ToByteArray(), joined);
            Assert.True(PreKeyBundle.TryParse(joined, out _, out E2eChatFailure failure));
            Assert.Equal(E2eChatFailure.None, failure);
        }
    }

    [Theory]
    [MemberData(nameof(Breaches))]
    public void TryParse_CanonicalRuleBroken_Malformed(string breach)
    {
        byte[] bytes = s_breaches[breach]();
        Assert.False(PreKeyBundle.TryParse(bytes, out PreKeyBundle? bundle, out E2eChatFailure failure));
        Assert.Null(bundle);
        Assert.Equal(E2eChatFailure.Malformed, failure);
    }

    private static E2eChat.Wire.Proto.PreKeyBundle Create(bool withOneTime, bool lastResort)
    {
        using var identity = IdentityKeyPair.Generate();
        using var signed = SignedPreKey.Generate(identity, 7);
        using var oneTime = OneTimePreKey.Generate(8);
        using var kem = KemPreKey.Generate(identity, 9, lastResort ? KemPreKeyKind.LastResort : KemPreKeyKind.OneTime);
        return PreKeyBundle.Create(identity.PublicKey, signed, withOneTime ? oneTime : null, kem).ToMessage();
    }

    /// <summary>The encoding of each field present, in field order (each one a message with only that field).</summary>
    private static List<byte[]> Fields(E2eChat.Wire.Proto.PreKeyBundle m)
    {
        var fields = new List<E2eChat.Wire.Proto.PreKeyBundle>
        {
            new() { IdentityKey = m.IdentityKey },
            new() { SignedPrekeyId = m.SignedPrekeyId },
            new() { SignedPrekey = m.SignedPrekey },
            new() { SignedPrekeySignature = m.SignedPrekeySignature },
            new() { OneTimePrekeyId = m.OneTimePrekeyId },
            new() { OneTimePrekey = m.OneTimePrekey },
            new() { KemPrekeyId = m.KemPrekeyId },
            new() { KemPrekeyLastResort = m.KemPrekeyLastResort },
            new() { KemPrekey = m.KemPrekey },
            new() { KemPrekeySignature = m.KemPrekeySignature },
        };
        return fields.Select(f => f.ToByteArray()).Where(b => b.Length > 0).ToList();
    }

    private static byte[] Join(List<byte[]> fields, byte[][] extra) => [.. fields.Concat(extra).SelectMany(b => b)];

    private static byte[] Insert(List<byte[]> fields, int index, byte[] field)
    {
        fields.Insert(index, field);
        return Join(fields, []);
    }

    private static byte[] Replace(List<byte[]> fields, int index, byte[] field)
    {
        fields[index] = field;
        return Join(fields, []);
    }

    private static byte[] Swap(List<byte[]> fields, int i, int j)
    {
        (fields[i], fields[j]) = (fields[j], fields[i]);
        return Join(fields, []);
    }
}
