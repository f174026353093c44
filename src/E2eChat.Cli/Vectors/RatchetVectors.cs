using E2eChat.Ratchet;
using static E2eChat.Cli.Vectors.RatchetParty;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>ratchet.json</c>: Double Ratchet transcripts with header encryption (PROTOCOL.md 5 and 6):
/// in-order and out-of-order delivery, DH ratchet steps and header-key rotation, skipped keys used
/// later, the receiver-chain limit, padded plaintexts of several buckets, and failing decryptions
/// that must leave the state unchanged.
/// </summary>
internal sealed class RatchetVectors() : SynchronousVectorSuite(File)
{
    internal const string File = "ratchet.json";

    /// <inheritdoc/>
    private protected override List<JsonObject> Generate()
    {
        var vectors = new List<JsonObject>
        {
            Transcript("transcript_ping_pong", PingPong),
            Transcript("transcript_out_of_order", OutOfOrder),
            Transcript("transcript_buckets", Buckets),
            Transcript("transcript_receiver_chain_limit", ReceiverChainLimit),
            Transcript("transcript_crafted_failures", CraftedFailures),
            Invalid("ratchet_invalid_gap_new_chain", GapInNewChain),
            Invalid("ratchet_invalid_gap_current_chain", GapInCurrentChain),
            Invalid("ratchet_invalid_gap_previous_chain", GapInPreviousChain),
            Invalid("ratchet_invalid_other_session", OtherSession),
            Invalid("ratchet_invalid_own_message", OwnMessage),
            Transcript("transcript_skipped_key_eviction", SkippedKeyEviction),
            Transcript("transcript_gap_of_exactly_2000", GapOfExactly2000),
            Transcript("transcript_encrypt_failures", EncryptFailures),
            Transcript("transcript_chain_counter_limit", RatchetCounterLimit.Script),
            Transcript("transcript_skipped_key_eviction_across_chains", SkippedKeyOrder.Script),
        };
        vectors.AddRange(SessionRecordVectors.Generate());
        return vectors;
    }

    /// <inheritdoc/>
    private protected override void Verify(string kind, string name, JsonObject vector)
    {
        if (kind == "session_record")
        {
            SessionRecordVectors.Verify(vector);
            return;
        }

        if (kind is not ("transcript" or "ratchet_invalid"))
        {
            throw UnknownKind(kind);
        }

        string lastOp = TranscriptPlayer.Play(vector);
        if (kind == "ratchet_invalid" && lastOp != "decrypt_fail")
        {
            throw new VectorFormatException("a ratchet_invalid vector must end with a decrypt_fail step");
        }

        foreach ((string field, _) in vector)
        {
            if (field is not ("name" or "kind" or "initial" or "steps"))
            {
                throw new VectorFormatException($"unexpected field '{field}'");
            }
        }
    }

    private static JsonObject Transcript(string name, Action<TranscriptRecorder> script) => Run(name, "transcript", script);

    private static JsonObject Invalid(string name, Action<TranscriptRecorder> script) => Run(name, "ratchet_invalid", script);

    private static JsonObject Run(string name, string kind, Action<TranscriptRecorder> script)
    {
        using DeterministicRandomSource random = VectorSeeds.For(File, name);
        using TranscriptRecorder recorder = TranscriptRecorder.Start(random);
        script(recorder);
        return recorder.ToVector(name, kind);
    }

    /// <summary>In order, both directions, a DH ratchet step on every turn; replays and tampering in between.</summary>
    private static void PingPong(TranscriptRecorder t)
    {
        t.Deliver(Alice, "a0", VectorBytes.Text("Hi Bob!"));
        t.Deliver(Alice, "a1", VectorBytes.Text("Are you there?"));
        t.Deliver(Bob, "b0", VectorBytes.Text("Hi Alice."));
        t.Deliver(Bob, "b1", VectorBytes.Text("Yes, I am."));
        t.Deliver(Alice, "a2", VectorBytes.Text("Good."));
        t.Deliver(Bob, "b2", VectorBytes.Text("What's up?"));
        t.Encrypt(Alice, "a3", VectorBytes.Text("Lunch"));
        t.Encrypt(Alice, "a4", VectorBytes.Text("at noon?"));
        t.Decrypt(Bob, "a3");
        t.Decrypt(Bob, "a4");
        t.Deliver(Bob, "b3", VectorBytes.Text("Sure."));

        EncryptedRatchetMessage a4 = t.Message("a4");
        t.DecryptFail(Bob, a4.Header, a4.Ciphertext, E2eChatFailure.Duplicate);
        t.DecryptFail(Bob, VectorBytes.Flip(a4.Header, 50), a4.Ciphertext, E2eChatFailure.InvalidHeader);

        // A new chain for Bob whose payload was tampered: the header is fine, the ratchet step is
        // planned, and nothing is kept.
        EncryptedRatchetMessage a5 = t.Encrypt(Alice, "a5", VectorBytes.Text("See you."));
        t.DecryptFail(Bob, a5.Header, VectorBytes.Flip(a5.Ciphertext, 20), E2eChatFailure.InvalidCiphertext);
        t.DecryptFail(Bob, VectorBytes.Flip(a5.Header, 0), a5.Ciphertext, E2eChatFailure.InvalidHeader);
        t.Decrypt(Bob, "a5");

        t.DecryptFail(Alice, "b3", E2eChatFailure.Duplicate);
        t.Deliver(Bob, "b4", VectorBytes.Text("Bye."));
    }

    /// <summary>Out-of-order delivery within and across chains; skipped keys used later, then refused as duplicates.</summary>
    private static void OutOfOrder(TranscriptRecorder t)
    {
        for (int i = 0; i < 5; i++)
        {
            t.Encrypt(Alice, $"a{i}", VectorBytes.Text($"message {i} of the first chain"));
        }

        t.Decrypt(Bob, "a3"); // new chain, skips a0..a2
        t.Decrypt(Bob, "a0"); // skipped key
        t.Decrypt(Bob, "a4"); // current chain
        t.DecryptFail(Bob, "a0", E2eChatFailure.Duplicate);
        t.Deliver(Bob, "b0", VectorBytes.Text("got some of them"));
        for (int i = 5; i < 8; i++)
        {
            t.Encrypt(Alice, $"a{i}", VectorBytes.Text($"message {i}, second chain"));
        }

        t.Decrypt(Bob, "a6"); // new chain (previous chain complete as far as pn says), skips a5
        t.Decrypt(Bob, "a2"); // skipped key of the previous chain
        t.Decrypt(Bob, "a5"); // skipped key of the current chain
        t.Encrypt(Bob, "b1", VectorBytes.Text("and more"));
        t.Deliver(Bob, "b2", VectorBytes.Text("and more again")); // new chain, skips b1
        t.Deliver(Alice, "a8", VectorBytes.Text("third chain")); // new chain; pn = 3 stores a7's key under the previous chain
        t.Decrypt(Bob, "a7");
        t.Decrypt(Bob, "a1"); // two chains back
        t.Decrypt(Alice, "b1");
        t.DecryptFail(Bob, "a1", E2eChatFailure.Duplicate);
        t.DecryptFail(Bob, "a7", E2eChatFailure.Duplicate);
        t.DecryptFail(Alice, "b1", E2eChatFailure.Duplicate);
        t.Deliver(Bob, "b3", VectorBytes.Text("done"));
    }

    /// <summary>Plaintexts in every bucket up to 32768 bytes, both directions.</summary>
    private static void Buckets(TranscriptRecorder t)
    {
        int[] aliceLengths = [0, 1, 62, 63, 64, 200, 1000, 4095, 16383, 16384];
        for (int i = 0; i < aliceLengths.Length; i++)
        {
            t.Deliver(Alice, $"a{i}", t.Random.Draw(aliceLengths[i]));
        }

        int[] bobLengths = [127, 128, 2047, 8191];
        for (int i = 0; i < bobLengths.Length; i++)
        {
            t.Encrypt(Bob, $"b{i}", t.Random.Draw(bobLengths[i]));
        }

        for (int i = bobLengths.Length - 1; i >= 0; i--)
        {
            t.Decrypt(Alice, $"b{i}");
        }
    }

    /// <summary>
    /// At most 5 receiving chains are remembered: a skipped key four chains back still opens, one
    /// five chains back is gone with its chain (InvalidHeader).
    /// </summary>
    private static void ReceiverChainLimit(TranscriptRecorder t)
    {
        t.Encrypt(Alice, "x0", VectorBytes.Text("held back, opened too late"));
        t.Encrypt(Alice, "x1", VectorBytes.Text("delivered"));
        t.Encrypt(Alice, "x2", VectorBytes.Text("held back, opened in time"));
        t.Decrypt(Bob, "x1"); // Bob's receiving chain 1; x0 skipped
        for (int round = 1; round <= 5; round++)
        {
            t.Deliver(Bob, $"b{round}", VectorBytes.Text($"round {round}"));
            t.Deliver(Alice, $"a{round}", VectorBytes.Text($"round {round} reply")); // Bob's receiving chain round + 1
            if (round == 4)
            {
                t.Decrypt(Bob, "x2"); // chain 1 is the fourth previous chain: still remembered
            }
        }

        t.DecryptFail(Bob, "x0", E2eChatFailure.InvalidHeader);
        t.Deliver(Bob, "b6", VectorBytes.Text("still fine"));
    }

    /// <summary>Malformed input, a low-order ratchet key in a valid header, and authentic payloads with bad padding.</summary>
    private static void CraftedFailures(TranscriptRecorder t)
    {
        EncryptedRatchetMessage a0 = t.Encrypt(Alice, "a0", VectorBytes.Text("first"));
        t.DecryptFail(Bob, a0.Header.AsSpan(0, 79), a0.Ciphertext, E2eChatFailure.Malformed);
        t.DecryptFail(Bob, [.. a0.Header, 0x00], a0.Ciphertext, E2eChatFailure.Malformed);
        t.DecryptFail(Bob, a0.Header, [.. a0.Ciphertext, 0x00], E2eChatFailure.Malformed);
        t.DecryptFail(Bob, a0.Header, a0.Ciphertext.AsSpan(0, 64), E2eChatFailure.Malformed);

        // A header under Bob's next receiving header key (header_key_a) naming a low-order ratchet key.
        byte[] header = new byte[RatchetHeader.Length];
        RatchetHeader.Write(Convert.FromHexString(KeyVectors.LowOrderPoints[1]), 0, 0, header);
        byte[] crafted = new byte[HeaderCipher.EncryptedLength];
        HeaderCipher.Encrypt(t.HeaderKeyA, header, t.Random, crafted);
        t.DecryptFail(Bob, crafted, a0.Ciphertext, E2eChatFailure.InvalidRatchetKey);

        // a0's own header and message key over a padded plaintext with no 0x80 marker.
        t.DecryptFail(Bob, a0.Header, BadlyPadded(t, "a0", new byte[64]), E2eChatFailure.InvalidPadding);
        t.Decrypt(Bob, "a0");

        EncryptedRatchetMessage a1 = t.Encrypt(Alice, "a1", VectorBytes.Text("second"));
        byte[] trailing = new byte[128];
        trailing[0] = 0x80;
        trailing[127] = 0x01;
        t.DecryptFail(Bob, a1.Header, BadlyPadded(t, "a1", trailing), E2eChatFailure.InvalidPadding);
        t.DecryptFail(Bob, a1.Header, BadlyPadded(t, "a1", new byte[256]), E2eChatFailure.InvalidPadding);
        t.Decrypt(Bob, "a1");
        t.Deliver(Bob, "b0", VectorBytes.Text("reply"));
    }

    /// <summary>n = MaxMessageGap + 1 as the first message of a new chain.</summary>
    private static void GapInNewChain(TranscriptRecorder t)
    {
        t.Encrypt(Alice, "a0", VectorBytes.Text("the first message, not delivered"));
        EncryptedRatchetMessage last = EncryptUndelivered(t, ProtocolLimits.MaxMessageGap + 1);
        t.DecryptFail(Bob, last.Header, last.Ciphertext, E2eChatFailure.TooBigGap);
    }

    /// <summary>n - Nr = MaxMessageGap + 1 in the current chain.</summary>
    private static void GapInCurrentChain(TranscriptRecorder t)
    {
        t.Deliver(Alice, "a0", VectorBytes.Text("delivered"));
        EncryptedRatchetMessage last = EncryptUndelivered(t, ProtocolLimits.MaxMessageGap + 2);
        t.DecryptFail(Bob, last.Header, last.Ciphertext, E2eChatFailure.TooBigGap);
    }

    /// <summary>A new chain whose pn leaves MaxMessageGap + 1 keys of the current chain to skip.</summary>
    private static void GapInPreviousChain(TranscriptRecorder t)
    {
        t.Deliver(Alice, "a0", VectorBytes.Text("delivered"));
        EncryptedRatchetMessage b0 = t.Encrypt(Bob, "b0", VectorBytes.Text("reply"));
        _ = EncryptUndelivered(t, ProtocolLimits.MaxMessageGap + 1);

        t.DecryptUnrecorded(Alice, b0);
        EncryptedRatchetMessage next = t.EncryptUnrecorded(Alice, VectorBytes.Text("pn = 2002"));
        t.DecryptFail(Bob, next.Header, next.Ciphertext, E2eChatFailure.TooBigGap);
    }

    /// <summary>Alice encrypts <c>m1</c> to <c>m{count}</c>, none recorded or delivered; the last is returned.</summary>
    private static EncryptedRatchetMessage EncryptUndelivered(TranscriptRecorder t, int count)
    {
        EncryptedRatchetMessage last = default;
        for (int n = 1; n <= count; n++)
        {
            last = t.EncryptUnrecorded(Alice, VectorBytes.Text($"m{n}"));
        }

        return last;
    }

    /// <summary>A message of an unrelated session.</summary>
    private static void OtherSession(TranscriptRecorder t)
    {
        t.Deliver(Alice, "a0", VectorBytes.Text("this session"));
        using DeterministicRandomSource otherRandom = VectorSeeds.For(File, "ratchet_invalid_other_session/other");
        using TranscriptRecorder other = TranscriptRecorder.Start(otherRandom);
        EncryptedRatchetMessage foreign = other.EncryptUnrecorded(Alice, VectorBytes.Text("another session"));
        t.DecryptFail(Bob, foreign.Header, foreign.Ciphertext, E2eChatFailure.InvalidHeader);
    }

    /// <summary>A party handed its own message.</summary>
    private static void OwnMessage(TranscriptRecorder t)
    {
        t.Deliver(Alice, "a0", VectorBytes.Text("hello"));
        EncryptedRatchetMessage b0 = t.Encrypt(Bob, "b0", VectorBytes.Text("reflected"));
        t.DecryptFail(Bob, b0.Header, b0.Ciphertext, E2eChatFailure.InvalidHeader);
    }

    /// <summary>
    /// Section 5.5 "Skipped keys": a new chain at n = 2000 (the largest first gap) stores 2000 keys,
    /// the most kept; two more skipped on that chain evict the two oldest (n = 0 and 1, first stored),
    /// and n = 2 is still held.
    /// </summary>
    private static void SkippedKeyEviction(TranscriptRecorder t)
    {
        t.Encrypt(Alice, "m0", VectorBytes.Text("evicted first"));
        t.Encrypt(Alice, "m1", VectorBytes.Text("evicted second"));
        t.Encrypt(Alice, "m2", VectorBytes.Text("oldest kept"));
        t.Skip(Alice, ProtocolLimits.MaxSkippedMessageKeys - 3); // m3 .. m1999, lost
        t.Deliver(Alice, "m2000", VectorBytes.Text("n = 2000 on a new chain: 2000 keys stored"));
        t.Encrypt(Alice, "m2001", VectorBytes.Text("skipped"));
        t.Encrypt(Alice, "m2002", VectorBytes.Text("skipped"));
        t.Deliver(Alice, "m2003", VectorBytes.Text("stores 2001 and 2002, evicting 0 and 1"));
        t.DecryptFail(Bob, "m0", E2eChatFailure.Duplicate);
        t.DecryptFail(Bob, "m1", E2eChatFailure.Duplicate);
        t.Decrypt(Bob, "m2");
        t.Decrypt(Bob, "m2002");
        t.Decrypt(Bob, "m2001");
        t.Deliver(Bob, "b0", VectorBytes.Text("all caught up"));
    }

    /// <summary>n - Nr = MaxMessageGap exactly on the current chain is accepted (one more is TooBigGap, ratchet_invalid_gap_current_chain).</summary>
    private static void GapOfExactly2000(TranscriptRecorder t)
    {
        t.Deliver(Alice, "a0", VectorBytes.Text("delivered"));
        t.Skip(Alice, ProtocolLimits.MaxMessageGap); // n = 1 .. 2000, lost
        t.Deliver(Alice, "a2001", VectorBytes.Text("n - Nr = 2000"));
        t.Deliver(Bob, "b0", VectorBytes.Text("reply"));
    }

    /// <summary>
    /// Section 5.4: a responder that has received nothing cannot send (NotReady), a plaintext above
    /// 65536 bytes is PlaintextTooLong, and neither changes the state (the next encryption is the one
    /// that would have come anyway).
    /// </summary>
    private static void EncryptFailures(TranscriptRecorder t)
    {
        t.EncryptFail(Bob, VectorBytes.Text("too early"), E2eChatFailure.NotReady);
        t.EncryptFail(Alice, new byte[ProtocolLimits.MaxPlaintextLength + 1], E2eChatFailure.PlaintextTooLong);
        t.Deliver(Alice, "a0", VectorBytes.Text("the first message after the refusals"));
        t.Deliver(Bob, "b0", VectorBytes.Text("now Bob can send"));
    }

    /// <summary>An authentic ciphertext under the message key of <paramref name="id"/> over <paramref name="padded"/>.</summary>
    private static byte[] BadlyPadded(TranscriptRecorder t, string id, byte[] padded)
    {
        byte[] keys = new byte[MessageKeys.Length];
        MessageKeys.Expand(t.MessageKey(id), keys);
        byte[] associatedData = [.. t.AssociatedData, .. t.Message(id).Header];
        byte[] ciphertext = new byte[padded.Length + Aead.TagLength];
        Aead.Encrypt(AeadAlgorithm.ChaCha20Poly1305, MessageKeys.Key(keys), MessageKeys.Nonce(keys), padded, associatedData, ciphertext);
        return ciphertext;
    }
}
