using System.Security.Cryptography;
using E2eChat.Crypto;
using E2eChat.Ratchet;
using E2eChat.Storage.Proto;
using Google.Protobuf;
using static E2eChat.Tests.Ratchet.RatchetTestPair;

namespace E2eChat.Tests.Ratchet;

public sealed partial class RatchetStateTests
{
    // ---- Initialization -------------------------------------------------------------------------

    [Fact]
    public void InitializeInitiator_WrongLengths_Throw()
    {
        using var pair = new RatchetTestPair();
        byte[] k = new byte[32];
        byte[] ad = new byte[288];
        Assert.Throws<ArgumentException>(() => RatchetState.InitializeInitiator(new byte[31], k, k, ad, pair.SignedPreKeyPublic, pair.Random));
        Assert.Throws<ArgumentException>(() => RatchetState.InitializeInitiator(k, new byte[33], k, ad, pair.SignedPreKeyPublic, pair.Random));
        Assert.Throws<ArgumentException>(() => RatchetState.InitializeInitiator(k, k, k, new byte[287], pair.SignedPreKeyPublic, pair.Random));
        Assert.Throws<ArgumentException>(() => RatchetState.InitializeInitiator(k, k, k, ad, new byte[31], pair.Random));
        Assert.Throws<ArgumentNullException>(() => RatchetState.InitializeInitiator(k, k, k, ad, pair.SignedPreKeyPublic, null!));
    }

    [Fact]
    public void InitializeInitiator_LowOrderSignedPreKey_Throws()
    {
        using var pair = new RatchetTestPair();
        Assert.Throws<ArgumentException>(() => RatchetState.InitializeInitiator(pair.RootKey, pair.InitiatorHeaderKey, pair.ResponderNextHeaderKey, pair.AssociatedData, new byte[32], pair.Random));
    }

    [Fact]
    public void InitializeResponder_MismatchedKeyPair_Throws()
    {
        using var pair = new RatchetTestPair();
        byte[] otherPublic = pair.Alice.SendingRatchetKey.ToArray();
        Assert.Throws<ArgumentException>(() => RatchetState.InitializeResponder(pair.RootKey, pair.InitiatorHeaderKey, pair.ResponderNextHeaderKey, pair.AssociatedData, pair.SignedPreKeyPrivate, otherPublic, pair.Random));
    }

    [Fact]
    public void InitializeResponder_SignedPreKey_IsFirstRatchetKey()
    {
        using var pair = new RatchetTestPair();
        Assert.Equal(pair.SignedPreKeyPublic, pair.Bob.SendingRatchetKey.ToArray());
        Assert.False(pair.Bob.CanEncrypt);
        Assert.True(pair.Alice.CanEncrypt);
        Assert.Equal(0, pair.Bob.ReceiverChainCount);
    }

    // ---- Encrypting -----------------------------------------------------------------------------

    [Fact]
    public void TryEncrypt_ResponderBeforeFirstMessage_NotReady()
    {
        using var pair = new RatchetTestPair();
        byte[] before = Serialize(pair.Bob);
        Assert.False(pair.Bob.TryEncrypt(Text("hi"), out EncryptedRatchetMessage message, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.NotReady, failure);
        Assert.Null(message.Header);
        Assert.Equal(before, Serialize(pair.Bob));
    }

    [Fact]
    public void TryEncrypt_PlaintextTooLong_FailsAndMaximumWorks()
    {
        using var pair = new RatchetTestPair();
        byte[] before = Serialize(pair.Alice);
        Assert.False(pair.Alice.TryEncrypt(new byte[ProtocolLimits.MaxPlaintextLength + 1], out _, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.PlaintextTooLong, failure);
        Assert.Equal(before, Serialize(pair.Alice));

        byte[] largest = pair.Bytes(ProtocolLimits.MaxPlaintextLength);
        EncryptedRatchetMessage message = Encrypt(pair.Alice, largest);
        Assert.Equal(81920 + 16, message.Ciphertext.Length);
        Assert.Equal(largest, Decrypt(pair.Bob, message));
    }

    [Fact]
    public void TryEncrypt_LastCounter_ThenChainExhausted()
    {
        using var pair = new RatchetTestPair();
        using var secrets = new ProtobufSecrets();
        RatchetStateData data = pair.Alice.ToData(secrets);
        data.SendingCounter = ProtocolLimits.MaxChainCounter;
        Assert.True(RatchetState.TryFromData(data.Clone(), pair.Random, out RatchetState? alice));
        using (alice)
        {
            Assert.True(alice.TryEncrypt(Text("last"), out _, out _));
            Assert.Equal(uint.MaxValue, alice.SendingCounter);
            byte[] before = Serialize(alice);
            Assert.False(alice.TryEncrypt(Text("one more"), out _, out E2eChatFailure failure));
            Assert.Equal(E2eChatFailure.ChainExhausted, failure);
            Assert.Equal(before, Serialize(alice));
        }
    }

    [Fact]
    public void TryEncrypt_WrongBufferLengths_Throw()
    {
        using var pair = new RatchetTestPair();
        byte[] plaintext = new byte[10];
        Assert.Throws<ArgumentException>(() => pair.Alice.TryEncrypt(plaintext, new byte[79], new byte[80], out _));
        Assert.Throws<ArgumentException>(() => pair.Alice.TryEncrypt(plaintext, new byte[80], new byte[81], out _));
        byte[] shared = new byte[160];
        Assert.Throws<ArgumentException>(() => pair.Alice.TryEncrypt(plaintext, shared.AsSpan(0, 80), shared.AsSpan(70, 80), out _));
        Assert.Equal(0u, pair.Alice.SendingCounter);
    }

    [Fact]
    public void TryEncrypt_PlaintextInCiphertextBuffer_Works()
    {
        using var pair = new RatchetTestPair();
        byte[] ciphertext = new byte[RatchetState.GetCiphertextLength(20)];
        byte[] plaintext = pair.Bytes(20);
        plaintext.CopyTo(ciphertext, 0);
        byte[] header = new byte[80];
        Assert.True(pair.Alice.TryEncrypt(ciphertext.AsSpan(0, 20), header, ciphertext, out _));
        Assert.True(pair.Bob.TryDecrypt(header, ciphertext, out byte[]? decrypted, out _));
        Assert.Equal(plaintext, decrypted);
    }

    [Fact]
    public void TryEncrypt_SpanForm_AllocatesNothing()
    {
        using var pair = new RatchetTestPair();
        byte[] plaintext = pair.Bytes(100);
        byte[] header = new byte[80];
        byte[] ciphertext = new byte[RatchetState.GetCiphertextLength(plaintext.Length)];
        byte[] decrypted = new byte[ciphertext.Length - 16];
        for (int i = 0; i < 20; i++)
        {
            Assert.True(pair.Alice.TryEncrypt(plaintext, header, ciphertext, out _));
            Assert.True(pair.Bob.TryDecrypt(header, ciphertext, decrypted, out _, out _));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            pair.Alice.TryEncrypt(plaintext, header, ciphertext, out _);
            pair.Bob.TryDecrypt(header, ciphertext, decrypted, out _, out _);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void TryEncrypt_FirstMessage_MatchesIndependentComputation()
    {
        // Sections 5.3 and 5.4 recomputed with .NET's HKDF, HMAC and ChaCha20-Poly1305.
        using var pair = new RatchetTestPair();
        byte[] plaintext = Text("hello, spec");
        EncryptedRatchetMessage message = Encrypt(pair.Alice, plaintext);
        byte[] alicePublic = pair.Alice.SendingRatchetKey.ToArray();

        byte[] header = new byte[40];
        Assert.True(Aead.TryDecrypt(AeadAlgorithm.XChaCha20Poly1305, pair.InitiatorHeaderKey, message.Header.AsSpan(0, 24), message.Header.AsSpan(24), [], header));
        byte[] expectedHeader = [.. alicePublic, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal(expectedHeader, header);

        byte[] dh = new byte[32];
        Assert.Equal(KeyAgreementFailure.None, X25519.Agree(pair.SignedPreKeyPrivate, alicePublic, dh));
        var root = KdfTestVectors.RootStep(pair.RootKey, dh);
        var chain = KdfTestVectors.ChainStep(root.ChainKey);
        var keys = KdfTestVectors.MessageKeys(chain.MessageKey);
        Assert.True(System.Security.Cryptography.ChaCha20Poly1305.IsSupported);
        using var cipher = new System.Security.Cryptography.ChaCha20Poly1305(keys.Key);
        byte[] padded = new byte[64];
        cipher.Decrypt(keys.Nonce, message.Ciphertext.AsSpan(0, 64), message.Ciphertext.AsSpan(64), padded, [.. pair.AssociatedData, .. message.Header]);
        byte[] expectedPadded = new byte[64];
        plaintext.CopyTo(expectedPadded, 0);
        expectedPadded[plaintext.Length] = 0x80;
        Assert.Equal(expectedPadded, padded);
    }

    // ---- Decrypting: delivery orders ------------------------------------------------------------

    [Fact]
    public void TryDecrypt_InOrderConversation_AllDecrypt()
    {
        using var pair = new RatchetTestPair();
        for (int round = 0; round < 20; round++)
        {
            for (int i = 0; i <= round % 3; i++)
            {
                string text = $"a{round}.{i}";
                Assert.Equal(Text(text), Decrypt(pair.Bob, Encrypt(pair.Alice, text)));
            }

            for (int i = 0; i <= round % 4; i++)
            {
                string text = $"b{round}.{i}";
                Assert.Equal(Text(text), Decrypt(pair.Alice, Encrypt(pair.Bob, text)));
            }
        }

        Assert.Equal(0, pair.Alice.SkippedMessageKeyCount);
        Assert.Equal(0, pair.Bob.SkippedMessageKeyCount);
        Assert.Equal(ProtocolLimits.MaxReceiverChains, pair.Bob.ReceiverChainCount);
    }

    [Fact]
    public void TryDecrypt_ReorderedWithinChain_AllDecryptOnce()
    {
        using var pair = new RatchetTestPair();
        var messages = Enumerable.Range(0, 50).Select(i => (Text: Text($"m{i}"), Message: Encrypt(pair.Alice, $"m{i}"))).ToList();
        var shuffled = messages.OrderBy(m => (m.Text[1] * 7919) % 101).ToList();
        foreach (var m in shuffled)
        {
            Assert.Equal(m.Text, Decrypt(pair.Bob, m.Message));
        }

        Assert.Equal(0, pair.Bob.SkippedMessageKeyCount);
        foreach (var m in messages)
        {
            AssertRejected(pair.Bob, m.Message, E2eChatFailure.Duplicate);
        }
    }

    [Fact]
    public void TryDecrypt_LateMessagesFromPreviousChains_Decrypt()
    {
        using var pair = new RatchetTestPair();
        EncryptedRatchetMessage a0 = Encrypt(pair.Alice, "a0");
        EncryptedRatchetMessage a1 = Encrypt(pair.Alice, "a1");
        EncryptedRatchetMessage a2 = Encrypt(pair.Alice, "a2");
        Decrypt(pair.Bob, a1);
        Decrypt(pair.Alice, Encrypt(pair.Bob, "b0"));
        EncryptedRatchetMessage c0 = Encrypt(pair.Alice, "c0"); // new chain, PN = 3
        Assert.Equal(Text("c0"), Decrypt(pair.Bob, c0));
        Assert.Equal(2, pair.Bob.SkippedMessageKeyCount); // a0 (skipped earlier) and a2 (skipped via PN)
        Assert.Equal(Text("a2"), Decrypt(pair.Bob, a2));
        Assert.Equal(Text("a0"), Decrypt(pair.Bob, a0));
        Assert.Equal(0, pair.Bob.SkippedMessageKeyCount);
        AssertRejected(pair.Bob, a0, E2eChatFailure.Duplicate);
        AssertRejected(pair.Bob, a1, E2eChatFailure.Duplicate);
        AssertRejected(pair.Bob, c0, E2eChatFailure.Duplicate);
    }

    [Fact]
    public void TryDecrypt_OtherSessionsMessage_InvalidHeader()
    {
        using var pair = new RatchetTestPair(1);
        using var other = new RatchetTestPair(2);
        EncryptedRatchetMessage foreign = Encrypt(other.Alice, "not yours");
        AssertRejected(pair.Bob, foreign, E2eChatFailure.InvalidHeader);
        Decrypt(pair.Bob, Encrypt(pair.Alice, "hi"));
        AssertRejected(pair.Bob, foreign, E2eChatFailure.InvalidHeader);
    }

    [Fact]
    public void TryDecrypt_OwnMessage_InvalidHeader()
    {
        using var pair = new RatchetTestPair();
        EncryptedRatchetMessage own = Encrypt(pair.Alice, "to myself");
        AssertRejected(pair.Alice, own, E2eChatFailure.InvalidHeader);
    }

    // ---- Decrypting: malformed and crafted input --------------------------------------------------

    [Theory]
    [InlineData(79, 80)]
    [InlineData(81, 80)]
    [InlineData(0, 80)]
    [InlineData(80, 79)]
    [InlineData(80, 81)]
    [InlineData(80, 15)]
    [InlineData(80, 16)]
    [InlineData(80, 96 + 16)]
    [InlineData(80, 81920 + 32)]
    public void TryDecrypt_WrongLengths_Malformed(int headerLength, int ciphertextLength)
    {
        using var pair = new RatchetTestPair();
        AssertRejected(pair.Bob, new byte[headerLength], new byte[ciphertextLength], E2eChatFailure.Malformed);
        byte[] destination = new byte[100_000];
        Assert.False(pair.Bob.TryDecrypt(new byte[headerLength], new byte[ciphertextLength], destination, out int written, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.Malformed, failure);
        Assert.Equal(0, written);
    }

    [Fact]
    public void TryDecrypt_DestinationTooSmall_Throws()
    {
        using var pair = new RatchetTestPair();
        EncryptedRatchetMessage message = Encrypt(pair.Alice, "x");
        Assert.Throws<ArgumentException>(() => pair.Bob.TryDecrypt(message.Header, message.Ciphertext, new byte[63], out _, out _));
    }

    [Fact]
    public void TryDecrypt_DestinationOverlapsMessage_ThrowsStateUnchanged()
    {
        using var pair = new RatchetTestPair();
        EncryptedRatchetMessage message = Encrypt(pair.Alice, "in place");
        byte[] before = Serialize(pair.Bob);
        byte[] ciphertext = (byte[])message.Ciphertext.Clone();
        Assert.Throws<ArgumentException>(() => pair.Bob.TryDecrypt(message.Header, ciphertext, ciphertext.AsSpan(0, 64), out _, out _));
        Assert.Equal(message.Ciphertext, ciphertext);
        Assert.Equal(before, Serialize(pair.Bob));
        Assert.Equal(Text("in place"), Decrypt(pair.Bob, message));
    }

    [Fact]
    public void TryDecrypt_CraftedValidFirstMessage_Decrypts()
    {
        using var pair = new RatchetTestPair();
        byte[] padded = new byte[64];
        Text("crafted").CopyTo(padded, 0);
        padded[7] = 0x80;
        var (header, ciphertext) = CraftFirstMessage(pair, pair.Alice.SendingRatchetKey.ToArray(), 0, 0, padded);
        Assert.True(pair.Bob.TryDecrypt(header, ciphertext, out byte[]? plaintext, out _));
        Assert.Equal(Text("crafted"), plaintext);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x01)]
    [InlineData(0x42)]
    public void TryDecrypt_AuthenticPayloadBadPadding_InvalidPadding(byte fill)
    {
        using var pair = new RatchetTestPair();
        byte[] padded = Enumerable.Repeat(fill, 64).ToArray();
        var (header, ciphertext) = CraftFirstMessage(pair, pair.Alice.SendingRatchetKey.ToArray(), 0, 0, padded);
        AssertRejected(pair.Bob, header, ciphertext, E2eChatFailure.InvalidPadding);
        Assert.Equal(Text("still fine"), Decrypt(pair.Bob, Encrypt(pair.Alice, "still fine")));
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")]
    [InlineData("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")]
    public void TryDecrypt_NewChainWithBadRatchetKey_InvalidRatchetKey(string ratchetKeyHex)
    {
        using var pair = new RatchetTestPair();
        byte[] header = new byte[40];
        RatchetHeader.Write(Convert.FromHexString(ratchetKeyHex), 0, 0, header);
        byte[] encrypted = new byte[80];
        HeaderCipher.Encrypt(pair.InitiatorHeaderKey, header, pair.Random, encrypted);
        AssertRejected(pair.Bob, encrypted, new byte[80], E2eChatFailure.InvalidRatchetKey);
    }

    [Fact]
    public void TryDecrypt_CounterAboveLastUsable_InvalidHeaderWithoutOverflow()
    {
        using var pair = new RatchetTestPair();
        Decrypt(pair.Bob, Encrypt(pair.Alice, "first")); // Bob's HKr is now HKA
        using var secrets = new ProtobufSecrets();
        RatchetStateData data = pair.Bob.ToData(secrets).Clone();
        data.ReceivingCounter = uint.MaxValue - 5;
        Assert.True(RatchetState.TryFromData(data, pair.Random, out RatchetState? bob));
        using (bob)
        {
            byte[] header = new byte[40];
            RatchetHeader.Write(pair.Alice.SendingRatchetKey, 0, uint.MaxValue, header);
            byte[] encrypted = new byte[80];
            HeaderCipher.Encrypt(pair.InitiatorHeaderKey, header, pair.Random, encrypted);
            AssertRejected(bob, encrypted, new byte[80], E2eChatFailure.InvalidHeader);
        }
    }

    /// <summary>Builds Alice's first message from the spec alone, with a chosen header and padded payload.</summary>
    private static (byte[] Header, byte[] Ciphertext) CraftFirstMessage(RatchetTestPair pair, byte[] ratchetKey, uint previousChainLength, uint counter, byte[] padded)
    {
        byte[] dh = new byte[32];
        Assert.Equal(KeyAgreementFailure.None, X25519.Agree(pair.SignedPreKeyPrivate, ratchetKey, dh));
        byte[] chainKey = KdfTestVectors.RootStep(pair.RootKey, dh).ChainKey;
        byte[] messageKey = [];
        for (uint i = 0; i <= counter; i++)
        {
            (messageKey, chainKey) = KdfTestVectors.ChainStep(chainKey);
        }

        byte[] header = new byte[40];
        RatchetHeader.Write(ratchetKey, previousChainLength, counter, header);
        byte[] encryptedHeader = new byte[80];
        HeaderCipher.Encrypt(pair.InitiatorHeaderKey, header, pair.Random, encryptedHeader);
        var keys = KdfTestVectors.MessageKeys(messageKey);
        byte[] ciphertext = new byte[padded.Length + 16];
        using var cipher = new System.Security.Cryptography.ChaCha20Poly1305(keys.Key);
        cipher.Encrypt(keys.Nonce, padded, ciphertext.AsSpan(0, padded.Length), ciphertext.AsSpan(padded.Length), [.. pair.AssociatedData, .. encryptedHeader]);
        return (encryptedHeader, ciphertext);
    }

    // ---- Tampering ------------------------------------------------------------------------------

    public static TheoryData<int> Scenarios => new() { 0, 1, 2 };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void TryDecrypt_EverySingleByteFlip_RejectedStateUnchanged(int scenario)
    {
        using var pair = new RatchetTestPair();
        EncryptedRatchetMessage genuine;
        switch (scenario)
        {
            case 0: // the first message of a new receiving chain (NHKr)
                genuine = Encrypt(pair.Alice, "new chain");
                break;
            case 1: // the next message of the current receiving chain (HKr)
                Decrypt(pair.Bob, Encrypt(pair.Alice, "one"));
                genuine = Encrypt(pair.Alice, "current chain");
                break;
            default: // a skipped message of a previous receiving chain (history)
                Decrypt(pair.Bob, Encrypt(pair.Alice, "one"));
                genuine = Encrypt(pair.Alice, "previous chain");
                Decrypt(pair.Bob, Encrypt(pair.Alice, "three"));
                Decrypt(pair.Alice, Encrypt(pair.Bob, "reply"));
                Decrypt(pair.Bob, Encrypt(pair.Alice, "new chain"));
                Assert.Equal(2, pair.Bob.ReceiverChainCount);
                break;
        }

        foreach (byte mask in new byte[] { 0x01, 0x80, 0xFF })
        {
            for (int i = 0; i < genuine.Header.Length; i++)
            {
                byte[] header = (byte[])genuine.Header.Clone();
                header[i] ^= mask;
                AssertRejected(pair.Bob, header, genuine.Ciphertext, E2eChatFailure.InvalidHeader);
            }

            for (int i = 0; i < genuine.Ciphertext.Length; i++)
            {
                byte[] ciphertext = (byte[])genuine.Ciphertext.Clone();
                ciphertext[i] ^= mask;
                AssertRejected(pair.Bob, genuine.Header, ciphertext, E2eChatFailure.InvalidCiphertext);
            }
        }

        Assert.NotEmpty(Decrypt(pair.Bob, genuine));
        AssertRejected(pair.Bob, genuine, E2eChatFailure.Duplicate);
        Assert.Equal(Text("next"), Decrypt(pair.Bob, Encrypt(pair.Alice, "next")));
    }

    [Fact]
    public void TryDecrypt_SwappedCiphertextBetweenMessages_InvalidCiphertext()
    {
        using var pair = new RatchetTestPair();
        EncryptedRatchetMessage m0 = Encrypt(pair.Alice, "zero");
        EncryptedRatchetMessage m1 = Encrypt(pair.Alice, "one");
        AssertRejected(pair.Bob, m0.Header, m1.Ciphertext, E2eChatFailure.InvalidCiphertext);
        AssertRejected(pair.Bob, m1.Header, m0.Ciphertext, E2eChatFailure.InvalidCiphertext);
        Assert.Equal(Text("one"), Decrypt(pair.Bob, m1));
        Assert.Equal(Text("zero"), Decrypt(pair.Bob, m0));
    }

    // ---- Duplicates -----------------------------------------------------------------------------

    [Fact]
    public void TryDecrypt_ReplayOfEachKind_Duplicate()
    {
        using var pair = new RatchetTestPair();
        EncryptedRatchetMessage first = Encrypt(pair.Alice, "first");
        EncryptedRatchetMessage skipped = Encrypt(pair.Alice, "skipped");
        EncryptedRatchetMessage third = Encrypt(pair.Alice, "third");
        Decrypt(pair.Bob, first);
        AssertRejected(pair.Bob, first, E2eChatFailure.Duplicate); // current chain, below Nr
        Decrypt(pair.Bob, third);
        Decrypt(pair.Bob, skipped);
        AssertRejected(pair.Bob, skipped, E2eChatFailure.Duplicate); // used skipped key
        AssertRejected(pair.Bob, third, E2eChatFailure.Duplicate);
        Decrypt(pair.Alice, Encrypt(pair.Bob, "reply"));
        Decrypt(pair.Bob, Encrypt(pair.Alice, "new chain"));
        AssertRejected(pair.Bob, third, E2eChatFailure.Duplicate); // previous chain
        AssertRejected(pair.Bob, first, E2eChatFailure.Duplicate);
    }

    // ---- Gaps -----------------------------------------------------------------------------------

    [Fact]
    public void TryDecrypt_CurrentChainGapOfMaximum_Accepted()
    {
        using var pair = new RatchetTestPair();
        Decrypt(pair.Bob, Encrypt(pair.Alice, "m0"));
        var messages = Enumerable.Range(1, ProtocolLimits.MaxMessageGap + 1).Select(i => Encrypt(pair.Alice, $"m{i}")).ToList();
        Assert.Equal(Text($"m{ProtocolLimits.MaxMessageGap + 1}"), Decrypt(pair.Bob, messages[^1]));
        Assert.Equal(ProtocolLimits.MaxMessageGap, pair.Bob.SkippedMessageKeyCount);
        Assert.Equal(Text("m1"), Decrypt(pair.Bob, messages[0]));
    }

    [Fact]
    public void TryDecrypt_CurrentChainGapOnePastMaximum_TooBigGapStateUnchanged()
    {
        using var pair = new RatchetTestPair();
        Decrypt(pair.Bob, Encrypt(pair.Alice, "m0"));
        var messages = Enumerable.Range(1, ProtocolLimits.MaxMessageGap + 2).Select(i => Encrypt(pair.Alice, $"m{i}")).ToList();
        AssertRejected(pair.Bob, messages[^1], E2eChatFailure.TooBigGap);
        Assert.Equal(0, pair.Bob.SkippedMessageKeyCount);
        Assert.Equal(Text($"m{ProtocolLimits.MaxMessageGap + 1}"), Decrypt(pair.Bob, messages[^2]));
        Assert.Equal(Text($"m{ProtocolLimits.MaxMessageGap + 2}"), Decrypt(pair.Bob, messages[^1]));
    }

    [Fact]
    public void TryDecrypt_NewChainCounterPastMaximum_TooBigGapStateUnchanged()
    {
        using var pair = new RatchetTestPair();
        var messages = Enumerable.Range(0, ProtocolLimits.MaxMessageGap + 2).Select(i => Encrypt(pair.Alice, $"m{i}")).ToList();
        AssertRejected(pair.Bob, messages[^1], E2eChatFailure.TooBigGap);
        Assert.Equal(Text($"m{ProtocolLimits.MaxMessageGap}"), Decrypt(pair.Bob, messages[^2]));
        Assert.Equal(ProtocolLimits.MaxMessageGap, pair.Bob.SkippedMessageKeyCount);
    }

    [Fact]
    public void TryDecrypt_PreviousChainGapPastMaximum_TooBigGapStateUnchanged()
    {
        using var pair = new RatchetTestPair();
        Decrypt(pair.Bob, Encrypt(pair.Alice, "m0"));
        for (int i = 1; i <= ProtocolLimits.MaxMessageGap + 1; i++)
        {
            Encrypt(pair.Alice, $"lost {i}");
        }

        Decrypt(pair.Alice, Encrypt(pair.Bob, "reply"));
        EncryptedRatchetMessage next = Encrypt(pair.Alice, "new chain"); // PN = 2002, Bob's Nr = 1
        AssertRejected(pair.Bob, next, E2eChatFailure.TooBigGap);
    }

    [Fact]
    public void TryDecrypt_PreviousChainGapOfMaximum_Accepted()
    {
        using var pair = new RatchetTestPair();
        Decrypt(pair.Bob, Encrypt(pair.Alice, "m0"));
        var lost = Enumerable.Range(1, ProtocolLimits.MaxMessageGap).Select(i => Encrypt(pair.Alice, $"late {i}")).ToList();
        Decrypt(pair.Alice, Encrypt(pair.Bob, "reply"));
        Assert.Equal(Text("new chain"), Decrypt(pair.Bob, Encrypt(pair.Alice, "new chain")));
        Assert.Equal(ProtocolLimits.MaxMessageGap, pair.Bob.SkippedMessageKeyCount);
        Assert.Equal(Text("late 1"), Decrypt(pair.Bob, lost[0]));
        Assert.Equal(Text($"late {ProtocolLimits.MaxMessageGap}"), Decrypt(pair.Bob, lost[^1]));
    }

    [Fact]
    public void TryDecrypt_HugeClaimedCounter_TooBigGapNothingDerived()
    {
        using var pair = new RatchetTestPair();
        Decrypt(pair.Bob, Encrypt(pair.Alice, "m0"));
        using var secrets = new ProtobufSecrets();
        RatchetStateData data = pair.Alice.ToData(secrets).Clone();
        data.SendingCounter = ProtocolLimits.MaxChainCounter;
        Assert.True(RatchetState.TryFromData(data, pair.Random, out RatchetState? alice));
        using (alice)
        {
            EncryptedRatchetMessage far = Encrypt(alice, "far away");
            AssertRejected(pair.Bob, far, E2eChatFailure.TooBigGap);
            Assert.Equal(0, pair.Bob.SkippedMessageKeyCount);
        }
    }

    // ---- Bounds on stored keys and chains -------------------------------------------------------

    [Fact]
    public void TryDecrypt_SkippedKeysBeyondMaximum_OldestEvicted()
    {
        using var pair = new RatchetTestPair();
        var messages = Enumerable.Range(0, ProtocolLimits.MaxMessageGap + 6).Select(i => Encrypt(pair.Alice, $"m{i}")).ToList();
        Decrypt(pair.Bob, messages[ProtocolLimits.MaxMessageGap]); // skips m0 .. m1999
        Assert.Equal(ProtocolLimits.MaxSkippedMessageKeys, pair.Bob.SkippedMessageKeyCount);
        Decrypt(pair.Bob, messages[ProtocolLimits.MaxMessageGap + 5]); // skips 4 more: evicts m0 .. m3
        Assert.Equal(ProtocolLimits.MaxSkippedMessageKeys, pair.Bob.SkippedMessageKeyCount);
        for (int i = 0; i < 4; i++)
        {
            AssertRejected(pair.Bob, messages[i], E2eChatFailure.Duplicate);
        }

        Assert.Equal(Text("m4"), Decrypt(pair.Bob, messages[4]));
        Assert.Equal(Text($"m{ProtocolLimits.MaxMessageGap + 1}"), Decrypt(pair.Bob, messages[ProtocolLimits.MaxMessageGap + 1]));
        Assert.Equal(ProtocolLimits.MaxSkippedMessageKeys - 2, pair.Bob.SkippedMessageKeyCount);
    }

    [Fact]
    public void TryDecrypt_SkippedKeysAcrossChains_EvictedOldestFirst()
    {
        using var pair = new RatchetTestPair();
        var oldChain = Enumerable.Range(0, 1500).Select(i => Encrypt(pair.Alice, $"old {i}")).ToList();
        Decrypt(pair.Bob, oldChain[^1]); // 1499 skipped in chain A0
        Decrypt(pair.Alice, Encrypt(pair.Bob, "reply"));
        var newChain = Enumerable.Range(0, 1000).Select(i => Encrypt(pair.Alice, $"new {i}")).ToList();
        Decrypt(pair.Bob, newChain[^1]); // 999 more: the 498 oldest of chain A0 are evicted
        Assert.Equal(ProtocolLimits.MaxSkippedMessageKeys, pair.Bob.SkippedMessageKeyCount);
        AssertRejected(pair.Bob, oldChain[497], E2eChatFailure.Duplicate);
        Assert.Equal(Text("old 498"), Decrypt(pair.Bob, oldChain[498]));
        Assert.Equal(Text("new 0"), Decrypt(pair.Bob, newChain[0]));
    }

    [Fact]
    public void TryDecrypt_SixthReceivingChain_OldestForgottenWithItsKeys()
    {
        using var pair = new RatchetTestPair();
        var held = new List<EncryptedRatchetMessage>();
        for (int chain = 0; chain < 6; chain++)
        {
            held.Add(Encrypt(pair.Alice, $"held {chain}"));
            Decrypt(pair.Bob, Encrypt(pair.Alice, $"sent {chain}"));
            Decrypt(pair.Alice, Encrypt(pair.Bob, $"reply {chain}"));
            Assert.Equal(Math.Min(chain + 1, ProtocolLimits.MaxReceiverChains), pair.Bob.ReceiverChainCount);
        }

        Assert.Equal(ProtocolLimits.MaxReceiverChains, pair.Bob.SkippedMessageKeyCount);
        AssertRejected(pair.Bob, held[0], E2eChatFailure.InvalidHeader);
        for (int chain = 1; chain < 6; chain++)
        {
            Assert.Equal(Text($"held {chain}"), Decrypt(pair.Bob, held[chain]));
        }
    }

    // ---- Healing --------------------------------------------------------------------------------

    [Fact]
    public void Healing_AttackerWithSnapshot_LosesAccessAfterOneRoundTrip()
    {
        using var pair = new RatchetTestPair();
        Decrypt(pair.Bob, Encrypt(pair.Alice, "hello"));
        Decrypt(pair.Alice, Encrypt(pair.Bob, "hi"));

        // The attacker copies Bob's whole state and then sees every message Alice sends.
        using var attackerRandom = new DeterministicRandomSource(Enumerable.Repeat((byte)0xA7, 32).ToArray());
        using RatchetState attacker = Restore(Serialize(pair.Bob), attackerRandom);

        EncryptedRatchetMessage beforeHealing = Encrypt(pair.Alice, "still readable");
        Assert.Equal(Text("still readable"), Decrypt(attacker, beforeHealing));
        Decrypt(pair.Bob, beforeHealing);

        // One round trip with fresh ratchet keys on both sides.
        Decrypt(pair.Alice, Encrypt(pair.Bob, "new key from Bob"));
        for (int i = 0; i < 3; i++)
        {
            EncryptedRatchetMessage healed = Encrypt(pair.Alice, $"private {i}");
            Assert.False(attacker.TryDecrypt(healed.Header, healed.Ciphertext, out byte[]? leaked, out _));
            Assert.Null(leaked);
            Assert.Equal(Text($"private {i}"), Decrypt(pair.Bob, healed));
        }
    }

    [Fact]
    public void Healing_SnapshotOfInitiator_LosesAccessAfterOneRoundTrip()
    {
        using var pair = new RatchetTestPair();
        Decrypt(pair.Bob, Encrypt(pair.Alice, "hello"));
        using var attackerRandom = new DeterministicRandomSource(Enumerable.Repeat((byte)0x3C, 32).ToArray());
        using RatchetState attacker = Restore(Serialize(pair.Alice), attackerRandom);

        EncryptedRatchetMessage readable = Encrypt(pair.Bob, "readable");
        Assert.Equal(Text("readable"), Decrypt(attacker, readable));
        Decrypt(pair.Alice, readable);
        Decrypt(pair.Bob, Encrypt(pair.Alice, "new key from Alice"));
        EncryptedRatchetMessage healed = Encrypt(pair.Bob, "private");
        Assert.False(attacker.TryDecrypt(healed.Header, healed.Ciphertext, out byte[]? _, out _));
        Assert.Equal(Text("private"), Decrypt(pair.Alice, healed));
    }

    // ---- Key use across persistence -------------------------------------------------------------

    private sealed class KeyUseRecorder : IRatchetKeyObserver
    {
        private readonly Dictionary<string, string> _headerKeyNonces = [];
        private readonly Dictionary<string, string> _messageKeys = [];

        internal int Count => _messageKeys.Count;

        public void OnEncrypted(ReadOnlySpan<byte> headerKey, ReadOnlySpan<byte> headerNonce, ReadOnlySpan<byte> messageKey, ReadOnlySpan<byte> plaintext)
        {
            string text = Convert.ToHexString(plaintext);
            Assert.True(_headerKeyNonces.TryAdd(Convert.ToHexString(headerKey) + Convert.ToHexString(headerNonce), text), "(header key, nonce) reused");
            Assert.True(_messageKeys.TryAdd(Convert.ToHexString(messageKey), text), "message key reused");
        }
    }

    [Fact]
    public void TryEncrypt_TenThousandMessagesWithPersistence_NoKeyOrHeaderNonceReused()
    {
        using var pair = new RatchetTestPair(7);
        var recorder = new KeyUseRecorder();
        pair.Alice.KeyObserver = recorder;
        pair.Bob.KeyObserver = recorder;
        var schedule = new Random(20260101);
        var pendingToBob = new List<(byte[] Text, EncryptedRatchetMessage Message)>();
        var pendingToAlice = new List<(byte[] Text, EncryptedRatchetMessage Message)>();
        int sent = 0;
        bool bobCanSend = false;
        while (sent < 10_000)
        {
            bool fromAlice = !bobCanSend || schedule.Next(2) == 0;
            int burst = 1 + schedule.Next(6);
            for (int i = 0; i < burst; i++)
            {
                byte[] text = Text($"message {sent} from {(fromAlice ? "Alice" : "Bob")}");
                (fromAlice ? pendingToBob : pendingToAlice).Add((text, Encrypt(fromAlice ? pair.Alice : pair.Bob, text)));
                sent++;
                if (sent % 97 == 0)
                {
                    pair.Alice = pair.Persist(pair.Alice);
                    pair.Bob = pair.Persist(pair.Bob);
                }
            }

            // Deliver what is pending towards one side, in a shuffled order.
            bool toBob = schedule.Next(3) != 0;
            var pending = toBob ? pendingToBob : pendingToAlice;
            foreach (var item in pending.OrderBy(_ => schedule.Next()).ToList())
            {
                Assert.Equal(item.Text, Decrypt(toBob ? pair.Bob : pair.Alice, item.Message));
            }

            pending.Clear();
            bobCanSend = pair.Bob.CanEncrypt;
        }

        Assert.True(sent >= 10_000);
        Assert.Equal(sent, recorder.Count);
    }

    // ---- Storage form ---------------------------------------------------------------------------

    [Fact]
    public void ToData_RoundTrip_BitExactAndKeepsWorking()
    {
        using var pair = new RatchetTestPair();
        EncryptedRatchetMessage held = Encrypt(pair.Alice, "held");
        Decrypt(pair.Bob, Encrypt(pair.Alice, "sent"));
        Decrypt(pair.Alice, Encrypt(pair.Bob, "reply"));
        EncryptedRatchetMessage next = Encrypt(pair.Alice, "next");
        pair.Alice = pair.Persist(pair.Alice);
        pair.Bob = pair.Persist(pair.Bob);
        Assert.Equal(1, pair.Bob.SkippedMessageKeyCount);
        Assert.Equal(Text("next"), Decrypt(pair.Bob, next));
        Assert.Equal(Text("held"), Decrypt(pair.Bob, held));
        Assert.Equal(Text("back"), Decrypt(pair.Alice, Encrypt(pair.Bob, "back")));
    }

    [Fact]
    public void TryFromData_ParsedSecrets_AreWiped()
    {
        using var pair = new RatchetTestPair();
        byte[] serialized = Serialize(pair.Alice);
        RatchetStateData data = RatchetStateData.Parser.ParseFrom(serialized);
        Assert.True(RatchetState.TryFromData(data, pair.Random, out RatchetState? state));
        state.Dispose();
        Assert.All(data.RootKey.ToByteArray(), b => Assert.Equal(0, b));
        Assert.All(data.SendingRatchetPrivateKey.ToByteArray(), b => Assert.Equal(0, b));
        Assert.All(data.AssociatedData.ToByteArray(), b => Assert.Equal(0, b));
    }

    public static TheoryData<string> Corruptions => new()
    {
        "private key length", "public key length", "ratchet key length", "root key length", "sending chain without header key",
        "receiving header key without chain", "next header key length", "associated data length", "receiving chain without ratchet key",
        "counter without sending chain", "too many previous chains", "previous header key length", "skipped key length",
        "skipped key chain unknown", "skipped key at or above Nr", "too many skipped keys", "previous chain without current",
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void TryFromData_BrokenInvariant_Refused(string corruption)
    {
        using var pair = new RatchetTestPair();
        Decrypt(pair.Bob, Encrypt(pair.Alice, "a"));
        using var secrets = new ProtobufSecrets();
        RatchetStateData bob = pair.Bob.ToData(secrets).Clone();
        RatchetStateData alice = pair.Alice.ToData(secrets).Clone();
        ByteString key = ByteString.CopyFrom(new byte[32]);
        RatchetStateData data = bob;
        switch (corruption)
        {
            case "private key length": data.SendingRatchetPrivateKey = ByteString.CopyFrom(new byte[31]); break;
            case "public key length": data.SendingRatchetPublicKey = ByteString.Empty; break;
            case "ratchet key length": data.ReceivingRatchetKey = ByteString.CopyFrom(new byte[33]); break;
            case "root key length": data.RootKey = ByteString.Empty; break;
            case "sending chain without header key": data.SendingHeaderKey = ByteString.Empty; break;
            case "receiving header key without chain": data.ReceivingChainKey = ByteString.Empty; break;
            case "next header key length": data.NextReceivingHeaderKey = ByteString.Empty; break;
            case "associated data length": data.AssociatedData = ByteString.CopyFrom(new byte[287]); break;
            case "receiving chain without ratchet key": data.ReceivingRatchetKey = ByteString.Empty; break;
            case "counter without sending chain":
                data = RatchetStateData.Parser.ParseFrom(Serialize(pair.Bob));
                data.SendingChainKey = ByteString.Empty;
                data.SendingHeaderKey = ByteString.Empty;
                data.SendingCounter = 1;
                break;
            case "too many previous chains":
                for (int i = 0; i < 5; i++)
                {
                    data.PreviousReceivingHeaderKeys.Add(key);
                }

                break;
            case "previous header key length": data.PreviousReceivingHeaderKeys.Add(ByteString.CopyFrom(new byte[16])); break;
            case "skipped key length": data.SkippedMessageKeys.Add(new SkippedMessageKeyData { Chain = 0, Counter = 0, MessageKey = ByteString.CopyFrom(new byte[31]) }); break;
            case "skipped key chain unknown": data.SkippedMessageKeys.Add(new SkippedMessageKeyData { Chain = 1, Counter = 0, MessageKey = key }); break;
            case "skipped key at or above Nr": data.SkippedMessageKeys.Add(new SkippedMessageKeyData { Chain = 0, Counter = data.ReceivingCounter, MessageKey = key }); break;
            case "too many skipped keys":
                data.ReceivingCounter = 5000;
                for (uint i = 0; i <= ProtocolLimits.MaxSkippedMessageKeys; i++)
                {
                    data.SkippedMessageKeys.Add(new SkippedMessageKeyData { Chain = 0, Counter = i, MessageKey = key });
                }

                break;
            case "previous chain without current":
                data = alice;
                data.PreviousReceivingHeaderKeys.Add(key);
                break;
            default: throw new InvalidOperationException(corruption);
        }

        Assert.False(RatchetState.TryFromData(data, pair.Random, out RatchetState? state));
        Assert.Null(state);
    }

    [Fact]
    public void Dispose_ThenUse_Throws()
    {
        var pair = new RatchetTestPair();
        pair.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pair.Alice.TryEncrypt(Text("x"), out _, out _));
        Assert.Throws<ObjectDisposedException>(() => pair.Bob.TryDecrypt(new byte[80], new byte[80], out _, out _));
        Assert.Throws<ObjectDisposedException>(() => Serialize(pair.Alice));
    }
}
