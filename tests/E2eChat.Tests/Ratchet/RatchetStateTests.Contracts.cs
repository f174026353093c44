using E2eChat.Crypto;
using E2eChat.Ratchet;
using E2eChat.Storage.Proto;
using Google.Protobuf;
using static E2eChat.Tests.Ratchet.RatchetTestPair;

namespace E2eChat.Tests.Ratchet;

/// <summary>
/// The state's contracts that the behaviour tests leave open (found by mutation testing): which
/// argument a wrong length names, that a refused initialization draws no randomness, what the
/// storage form holds of the peer's ratchet key, that every stored secret is wiped, and the
/// counter limit on the receiving side.
/// </summary>
public sealed partial class RatchetStateTests
{
    [Fact]
    public void Initialize_WrongLengths_NameTheArgument()
    {
        using var pair = new RatchetTestPair();
        byte[] k = new byte[32];
        byte[] ad = new byte[RatchetState.AssociatedDataLength];
        byte[] spk = pair.SignedPreKeyPublic;
        Assert.Equal("rootKey", Assert.Throws<ArgumentException>(() => RatchetState.InitializeInitiator(new byte[31], k, k, ad, spk, pair.Random)).ParamName);
        Assert.Equal("initiatorHeaderKey", Assert.Throws<ArgumentException>(() => RatchetState.InitializeInitiator(k, new byte[33], k, ad, spk, pair.Random)).ParamName);
        Assert.Equal("responderNextHeaderKey", Assert.Throws<ArgumentException>(() => RatchetState.InitializeInitiator(k, k, new byte[33], ad, spk, pair.Random)).ParamName);

        byte[] sk = pair.SignedPreKeyPrivate;
        Assert.Equal("rootKey", Assert.Throws<ArgumentException>(() => RatchetState.InitializeResponder(new byte[31], k, k, ad, sk, spk, pair.Random)).ParamName);
        Assert.Equal("associatedData", Assert.Throws<ArgumentException>(() => RatchetState.InitializeResponder(k, k, k, new byte[287], sk, spk, pair.Random)).ParamName);
        Assert.Equal("ownSignedPreKeyPrivate", Assert.Throws<ArgumentException>(() => RatchetState.InitializeResponder(k, k, k, ad, new byte[31], spk, pair.Random)).ParamName);
        Assert.Equal("ownSignedPreKeyPublic", Assert.Throws<ArgumentException>(() => RatchetState.InitializeResponder(k, k, k, ad, sk, new byte[33], pair.Random)).ParamName);
        Assert.Throws<ArgumentNullException>(() => RatchetState.InitializeResponder(k, k, k, ad, sk, spk, null!));
    }

    [Fact]
    public void InitializeInitiator_LowOrderSignedPreKey_DrawsNoRandomness()
    {
        using var pair = new RatchetTestPair();
        byte[] seed = new byte[32];
        seed[0] = 7;
        using var used = new DeterministicRandomSource(seed);
        using var fresh = new DeterministicRandomSource(seed);
        Assert.Throws<ArgumentException>(() => RatchetState.InitializeInitiator(pair.RootKey, pair.InitiatorHeaderKey, pair.ResponderNextHeaderKey, pair.AssociatedData, new byte[32], used));
        byte[] next = new byte[32];
        byte[] expected = new byte[32];
        used.Fill(next);
        fresh.Fill(expected);
        Assert.Equal(expected, next);
    }

    [Fact]
    public void TryEncrypt_WrongBufferLengths_NameTheArgument()
    {
        using var pair = new RatchetTestPair();
        byte[] plaintext = new byte[10];
        Assert.Equal("encryptedHeader", Assert.Throws<ArgumentException>(() => pair.Alice.TryEncrypt(plaintext, new byte[81], new byte[80], out _)).ParamName);
        Assert.Equal("ciphertext", Assert.Throws<ArgumentException>(() => pair.Alice.TryEncrypt(plaintext, new byte[80], new byte[81], out _)).ParamName);
        Assert.Equal("ciphertext", Assert.Throws<ArgumentException>(() => pair.Alice.TryEncrypt(plaintext, new byte[80], new byte[79], out _)).ParamName);
        Assert.Equal(0u, pair.Alice.SendingCounter);
    }

    [Fact]
    public void TryEncrypt_KeyObserver_SeesEachMessageKeyOnce()
    {
        using var pair = new RatchetTestPair();
        var recorder = new KeyUseRecorder();
        pair.Alice.KeyObserver = recorder;
        Encrypt(pair.Alice, "one");
        Encrypt(pair.Alice, "two");
        Assert.Equal(2, recorder.Count);
    }

    [Fact]
    public void CanEncrypt_AfterDispose_ThrowsAndDisposeTwiceIsHarmless()
    {
        var pair = new RatchetTestPair();
        pair.Alice.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pair.Alice.CanEncrypt);
        pair.Alice.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pair.Alice.CanEncrypt);
        pair.Dispose();
    }

    [Fact]
    public void StorageForm_HoldsThePeersRatchetKeyOnlyOnceKnown()
    {
        using var pair = new RatchetTestPair();
        using var secrets = new ProtobufSecrets();
        Assert.Equal(pair.SignedPreKeyPublic, pair.Alice.ToData(secrets).ReceivingRatchetKey.ToByteArray());
        Assert.True(pair.Bob.ToData(secrets).ReceivingRatchetKey.IsEmpty);

        byte[] aliceKey = pair.Alice.SendingRatchetKey.ToArray();
        Decrypt(pair.Bob, Encrypt(pair.Alice, "hello"));
        Assert.Equal(aliceKey, pair.Bob.ToData(secrets).ReceivingRatchetKey.ToByteArray());
    }

    [Fact]
    public void StorageForm_NullArguments_Throw()
    {
        using var pair = new RatchetTestPair();
        Assert.Throws<ArgumentNullException>(() => pair.Alice.ToData(null!));
        Assert.Throws<ArgumentNullException>(() => RatchetState.TryFromData(null!, pair.Random, out _));
        using var secrets = new ProtobufSecrets();
        RatchetStateData data = pair.Alice.ToData(secrets).Clone();
        Assert.Throws<ArgumentNullException>(() => RatchetState.TryFromData(data, null!, out _));
        Assert.Throws<ArgumentNullException>(() => RatchetState.WipeSecrets(null!));
    }

    [Fact]
    public void WipeSecrets_EverySecretFieldZeroed()
    {
        using var pair = new RatchetTestPair();
        EncryptedRatchetMessage held = Encrypt(pair.Alice, "held");
        Decrypt(pair.Bob, Encrypt(pair.Alice, "a"));
        Decrypt(pair.Alice, Encrypt(pair.Bob, "b"));
        Decrypt(pair.Bob, Encrypt(pair.Alice, "c"));
        using var secrets = new ProtobufSecrets();
        RatchetStateData data = pair.Bob.ToData(secrets).Clone();
        Assert.NotEmpty(data.PreviousReceivingHeaderKeys);
        Assert.NotEmpty(data.SkippedMessageKeys);
        ByteString[] fields =
        [
            data.SendingRatchetPrivateKey, data.RootKey, data.SendingChainKey, data.ReceivingChainKey, data.SendingHeaderKey,
            data.ReceivingHeaderKey, data.NextSendingHeaderKey, data.NextReceivingHeaderKey, data.AssociatedData,
            .. data.PreviousReceivingHeaderKeys, .. data.SkippedMessageKeys.Select(s => s.MessageKey),
        ];
        Assert.All(fields, field => Assert.Contains(field.ToByteArray(), b => b != 0));

        RatchetState.WipeSecrets(data);

        Assert.All(fields, field => Assert.All(field.ToByteArray(), b => Assert.Equal(0, b)));
        Assert.Equal(Text("held"), Decrypt(pair.Bob, held));
    }

    [Fact]
    public void TryDecrypt_LastUsableCounter_Accepted()
    {
        using var pair = new RatchetTestPair();
        Decrypt(pair.Bob, Encrypt(pair.Alice, "first"));
        using var secrets = new ProtobufSecrets();
        RatchetStateData aliceData = pair.Alice.ToData(secrets).Clone();
        RatchetStateData bobData = pair.Bob.ToData(secrets).Clone();
        aliceData.SendingCounter = ProtocolLimits.MaxChainCounter;
        bobData.ReceivingCounter = ProtocolLimits.MaxChainCounter;
        Assert.True(RatchetState.TryFromData(aliceData, pair.Random, out RatchetState? alice));
        Assert.True(RatchetState.TryFromData(bobData, pair.Random, out RatchetState? bob));
        using (alice)
        using (bob)
        {
            EncryptedRatchetMessage last = Encrypt(alice, "last");
            Assert.Equal(Text("last"), Decrypt(bob, last));
            Assert.Equal(uint.MaxValue, bob.ReceivingCounter);
        }
    }

    [Fact]
    public void TryEncrypt_SeveralFailures_ReportedInTheSpecsOrder()
    {
        using var pair = new RatchetTestPair();
        byte[] tooLong = new byte[ProtocolLimits.MaxPlaintextLength + 1];
        Assert.False(pair.Bob.TryEncrypt(tooLong, out _, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.NotReady, failure);

        using var secrets = new ProtobufSecrets();
        RatchetStateData data = pair.Alice.ToData(secrets).Clone();
        data.SendingCounter = uint.MaxValue;
        Assert.True(RatchetState.TryFromData(data, pair.Random, out RatchetState? exhausted));
        using (exhausted)
        {
            Assert.False(exhausted.TryEncrypt(tooLong, out _, out failure));
            Assert.Equal(E2eChatFailure.PlaintextTooLong, failure);
            Assert.False(exhausted.TryEncrypt(Text("short"), out _, out failure));
            Assert.Equal(E2eChatFailure.ChainExhausted, failure);
        }
    }
}
