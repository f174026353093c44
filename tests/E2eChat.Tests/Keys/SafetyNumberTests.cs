using System.Security.Cryptography;
using System.Text;
using E2eChat.Crypto;
using E2eChat.Tests.Handshake;

namespace E2eChat.Tests.Keys;

public sealed class SafetyNumberTests
{
    private static IdentityKey Identity(ulong seed)
    {
        using DeterministicRandomSource random = TestRandom.FromSeed(seed);
        using var pair = IdentityKeyPair.Generate(random);
        return pair.PublicKey;
    }

    /// <summary>Section 3.5 written out independently: the iterated SHA-512 and the digit encoding.</summary>
    private static (byte[] Fingerprint, string Digits) Reference(IdentityKey identity, string name)
    {
        byte[] ik = identity.ToBytes();
        byte[] hash = SHA512.HashData([.. "E2eChat/v1/fingerprint"u8, 0x00, .. ik, .. Encoding.UTF8.GetBytes(name)]);
        for (int i = 1; i <= 5200; i++)
        {
            hash = SHA512.HashData([.. hash, .. ik]);
        }

        byte[] fingerprint = hash[..32];
        var digits = new StringBuilder();
        for (int k = 0; k < 6; k++)
        {
            ulong value = 0;
            for (int j = 0; j < 5; j++)
            {
                value = (value << 8) | fingerprint[(5 * k) + j];
            }

            digits.Append((value % 100000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture));
        }

        return (fingerprint, digits.ToString());
    }

    [Fact]
    public void Create_BothSides_SameDigits()
    {
        IdentityKey alice = Identity(1);
        IdentityKey bob = Identity(2);
        var onAlice = SafetyNumber.Create("alice", alice, "bob", bob);
        var onBob = SafetyNumber.Create("bob", bob, "alice", alice);
        Assert.Equal(onAlice.Digits, onBob.Digits);
        Assert.Equal(onAlice.ToString(), onBob.ToString());
    }

    [Fact]
    public void Create_Digits_MatchIndependentComputation()
    {
        IdentityKey alice = Identity(1);
        IdentityKey bob = Identity(2);
        string aliceDigits = Reference(alice, "alice").Digits;
        string bobDigits = Reference(bob, "bob").Digits;
        string expected = string.CompareOrdinal(aliceDigits, bobDigits) <= 0 ? aliceDigits + bobDigits : bobDigits + aliceDigits;

        var number = SafetyNumber.Create("alice", alice, "bob", bob);
        Assert.Equal(expected, number.Digits);
    }

    [Fact]
    public void Create_Digits_SixtyDigitsInTwelveGroupsOfFive()
    {
        var number = SafetyNumber.Create("alice", Identity(1), "bob", Identity(2));
        Assert.Equal(60, number.Digits.Length);
        Assert.All(number.Digits, c => Assert.InRange(c, '0', '9'));
        Assert.Equal(12, number.Groups.Count);
        Assert.All(number.Groups, g => Assert.Equal(5, g.Length));
        Assert.Equal(number.Digits, string.Concat(number.Groups));
        Assert.Equal(string.Join(' ', number.Groups), number.ToString());
    }

    [Fact]
    public void Create_LocalIdentityChanged_DigitsChange()
    {
        IdentityKey bob = Identity(2);
        var before = SafetyNumber.Create("alice", Identity(1), "bob", bob);
        var after = SafetyNumber.Create("alice", Identity(3), "bob", bob);
        Assert.NotEqual(before.Digits, after.Digits);
    }

    [Fact]
    public void Create_RemoteIdentityChanged_DigitsChange()
    {
        IdentityKey alice = Identity(1);
        var before = SafetyNumber.Create("alice", alice, "bob", Identity(2));
        var after = SafetyNumber.Create("alice", alice, "bob", Identity(3));
        Assert.NotEqual(before.Digits, after.Digits);
    }

    [Fact]
    public void ToQrPayload_Layout_VersionThenOwnThenPeerFingerprint()
    {
        IdentityKey alice = Identity(1);
        IdentityKey bob = Identity(2);
        byte[] payload = SafetyNumber.Create("alice", alice, "bob", bob).ToQrPayload();
        Assert.Equal(SafetyNumber.QrPayloadLength, payload.Length);
        Assert.Equal(0x01, payload[0]);
        Assert.Equal(Reference(alice, "alice").Fingerprint, payload[1..33]);
        Assert.Equal(Reference(bob, "bob").Fingerprint, payload[33..65]);
    }

    [Fact]
    public void MatchesQrPayload_PeerPayload_TrueBothWays()
    {
        IdentityKey alice = Identity(1);
        IdentityKey bob = Identity(2);
        var onAlice = SafetyNumber.Create("alice", alice, "bob", bob);
        var onBob = SafetyNumber.Create("bob", bob, "alice", alice);
        Assert.True(onAlice.MatchesQrPayload(onBob.ToQrPayload()));
        Assert.True(onBob.MatchesQrPayload(onAlice.ToQrPayload()));
    }

    [Fact]
    public void MatchesQrPayload_OwnPayload_False()
    {
        var onAlice = SafetyNumber.Create("alice", Identity(1), "bob", Identity(2));
        Assert.False(onAlice.MatchesQrPayload(onAlice.ToQrPayload()));
    }

    [Fact]
    public void MatchesQrPayload_PeerSeesChangedIdentity_False()
    {
        IdentityKey alice = Identity(1);
        IdentityKey bob = Identity(2);
        var onAlice = SafetyNumber.Create("alice", alice, "bob", bob);
        var onBobWithImpostor = SafetyNumber.Create("bob", bob, "alice", Identity(3));
        Assert.False(onAlice.MatchesQrPayload(onBobWithImpostor.ToQrPayload()));
        Assert.False(onBobWithImpostor.MatchesQrPayload(onAlice.ToQrPayload()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(64)]
    [InlineData(66)]
    public void MatchesQrPayload_WrongLength_False(int length)
    {
        IdentityKey alice = Identity(1);
        IdentityKey bob = Identity(2);
        var onAlice = SafetyNumber.Create("alice", alice, "bob", bob);
        byte[] peer = SafetyNumber.Create("bob", bob, "alice", alice).ToQrPayload();
        byte[] resized = new byte[length];
        peer.AsSpan(0, Math.Min(length, peer.Length)).CopyTo(resized);
        Assert.False(onAlice.MatchesQrPayload(resized));
    }

    [Fact]
    public void MatchesQrPayload_OtherVersion_False()
    {
        IdentityKey alice = Identity(1);
        IdentityKey bob = Identity(2);
        var onAlice = SafetyNumber.Create("alice", alice, "bob", bob);
        byte[] peer = SafetyNumber.Create("bob", bob, "alice", alice).ToQrPayload();
        peer[0] = 0x02;
        Assert.False(onAlice.MatchesQrPayload(peer));
    }
}
