using E2eChat.Crypto;
using E2eChat.Ratchet;
using E2eChat.Storage.Proto;
using E2eChat.Tests.Ratchet;
using Google.Protobuf;
using static E2eChat.Tests.Sessions.SessionTestFactory;

namespace E2eChat.Tests.Sessions;

public sealed class SessionStateTests
{
    private static readonly byte[] s_alice = Identity(0xA1);
    private static readonly byte[] s_bob = Identity(0xB0);

    [Fact]
    public void Constructor_WrongLengths_Throw()
    {
        using var pair = new RatchetTestPair();
        Assert.Throws<ArgumentNullException>(() => new SessionState(null!, s_alice, s_bob, new byte[32], null));
        Assert.Throws<ArgumentException>(() => new SessionState(pair.Alice, new byte[127], s_bob, new byte[32], null));
        Assert.Throws<ArgumentException>(() => new SessionState(pair.Alice, s_alice, new byte[129], new byte[32], null));
        Assert.Throws<ArgumentException>(() => new SessionState(pair.Alice, s_alice, s_bob, new byte[31], null));
    }

    [Fact]
    public void Matches_BaseKeyAndPeerIdentity_BothRequired()
    {
        var (alice, bob) = Create(1, s_alice, s_bob);
        using (alice)
        using (bob)
        {
            byte[] baseKey = alice.BaseKey.ToArray();
            Assert.True(bob.Matches(baseKey, s_alice));
            Assert.False(bob.Matches(baseKey, s_bob));
            byte[] otherBase = (byte[])baseKey.Clone();
            otherBase[0] ^= 1;
            Assert.False(bob.Matches(otherBase, s_alice));
        }
    }

    [Fact]
    public void PendingPreKey_UntilFirstReply_KeptThenCleared()
    {
        var (alice, bob) = Create(2, s_alice, s_bob);
        using (alice)
        using (bob)
        {
            Assert.NotNull(alice.PendingPreKey);
            Assert.Null(bob.PendingPreKey);
            EncryptedRatchetMessage first = Encrypt(alice, "first");
            EncryptedRatchetMessage second = Encrypt(alice, "second");
            Assert.NotNull(alice.PendingPreKey); // keep sending PreKeyMessages
            Assert.Equal(alice.BaseKey.ToArray(), alice.PendingPreKey.BaseKey.ToArray());
            Assert.True(bob.TryDecrypt(first.Header, first.Ciphertext, out byte[]? _, out _));
            Assert.True(bob.TryDecrypt(second.Header, second.Ciphertext, out byte[]? _, out _));

            EncryptedRatchetMessage reply = Encrypt(bob, "reply");
            byte[] tampered = (byte[])reply.Ciphertext.Clone();
            tampered[3] ^= 1;
            Assert.False(alice.TryDecrypt(reply.Header, tampered, out byte[]? _, out E2eChatFailure failure));
            Assert.Equal(E2eChatFailure.InvalidCiphertext, failure);
            Assert.NotNull(alice.PendingPreKey); // a failed decryption acknowledges nothing

            byte[] buffer = new byte[reply.Ciphertext.Length];
            Assert.True(alice.TryDecrypt(reply.Header, reply.Ciphertext, buffer, out int written, out _));
            Assert.Equal(RatchetTestPair.Text("reply"), buffer[..written]);
            Assert.Null(alice.PendingPreKey);
        }
    }

    [Fact]
    public void ToData_TryFromData_RoundTripsWithPendingFields()
    {
        var (alice, bob) = Create(3, s_alice, s_bob);
        using (alice)
        using (bob)
        {
            using var secrets = new ProtobufSecrets();
            byte[] serialized = alice.ToData(secrets).ToByteArray();
            Assert.True(SessionState.TryFromData(SessionStateData.Parser.ParseFrom(serialized), RandomSource.System, out SessionState? loaded));
            using (loaded)
            {
                using var secrets2 = new ProtobufSecrets();
                Assert.Equal(serialized, loaded.ToData(secrets2).ToByteArray());
                Assert.NotNull(loaded.PendingPreKey);
                Assert.Equal(s_bob, loaded.PeerIdentityKey.ToArray());
                EncryptedRatchetMessage message = Encrypt(loaded, "after load");
                Assert.True(bob.TryDecrypt(message.Header, message.Ciphertext, out byte[]? plaintext, out _));
                Assert.Equal(RatchetTestPair.Text("after load"), plaintext);
            }
        }
    }

    [Theory]
    [InlineData("local identity")]
    [InlineData("peer identity")]
    [InlineData("base key")]
    [InlineData("no ratchet")]
    [InlineData("pending")]
    public void TryFromData_Corrupt_Refused(string corruption)
    {
        var (alice, bob) = Create(4, s_alice, s_bob);
        using (alice)
        using (bob)
        {
            using var secrets = new ProtobufSecrets();
            SessionStateData data = SessionStateData.Parser.ParseFrom(alice.ToData(secrets).ToByteArray());
            switch (corruption)
            {
                case "local identity": data.LocalIdentityKey = ByteString.CopyFrom(new byte[32]); break;
                case "peer identity": data.PeerIdentityKey = ByteString.Empty; break;
                case "base key": data.BaseKey = ByteString.CopyFrom(new byte[33]); break;
                case "no ratchet": data.Ratchet = null; break;
                default: data.PendingPreKey.SignedPrekeyId = 0; break;
            }

            Assert.False(SessionState.TryFromData(data, RandomSource.System, out SessionState? loaded));
            Assert.Null(loaded);
            if (data.Ratchet is not null)
            {
                Assert.All(data.Ratchet.RootKey.ToByteArray(), b => Assert.Equal(0, b)); // wiped even on failure
            }
        }
    }

    [Fact]
    public void Dispose_ThenUse_Throws()
    {
        var (alice, bob) = Create(5, s_alice, s_bob);
        alice.Dispose();
        bob.Dispose();
        Assert.Throws<ObjectDisposedException>(() => alice.TryEncrypt(RatchetTestPair.Text("x"), out _, out _));
        Assert.Throws<ObjectDisposedException>(() => bob.TryDecrypt(new byte[80], new byte[80], out byte[]? _, out _));
    }
}
