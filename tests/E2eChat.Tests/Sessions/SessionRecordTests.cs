using E2eChat.Crypto;
using E2eChat.Ratchet;
using E2eChat.Storage.Proto;
using E2eChat.Tests.Ratchet;
using Google.Protobuf;
using static E2eChat.Tests.Sessions.SessionTestFactory;

namespace E2eChat.Tests.Sessions;

public sealed class SessionRecordTests
{
    private static readonly byte[] s_alice = Identity(0xA1);
    private static readonly byte[] s_bob = Identity(0xB0);

    private static byte[] Decrypt(SessionRecord record, EncryptedRatchetMessage message)
    {
        Assert.True(record.TryDecrypt(message.Header, message.Ciphertext, out byte[]? plaintext, out E2eChatFailure failure), failure.ToString());
        return plaintext;
    }

    private static void AssertRejected(SessionRecord record, EncryptedRatchetMessage message, E2eChatFailure expected)
    {
        byte[] before = record.Serialize();
        Assert.False(record.TryDecrypt(message.Header, message.Ciphertext, out byte[]? plaintext, out E2eChatFailure failure));
        Assert.Null(plaintext);
        Assert.Equal(expected, failure);
        Assert.Equal(before, record.Serialize());
    }

    /// <summary>A record on Bob's side holding responder states of <paramref name="count"/> handshakes from Alice; returns Alice's states, oldest first.</summary>
    private static List<SessionState> BobRecordWithHandshakes(SessionRecord bobRecord, int count, int seed = 100)
    {
        var alices = new List<SessionState>();
        for (int i = 0; i < count; i++)
        {
            var (alice, bob) = Create(seed + i, s_alice, s_bob);
            EncryptedRatchetMessage first = Encrypt(alice, $"handshake {i}");
            Assert.True(bob.TryDecrypt(first.Header, first.Ciphertext, out byte[]? _, out _));
            bobRecord.PromoteNew(bob);
            alices.Add(alice);
        }

        return alices;
    }

    // ---- Decrypting across states ---------------------------------------------------------------

    [Fact]
    public void TryDecrypt_EmptyRecord_NoSession()
    {
        using var record = new SessionRecord();
        Assert.False(record.TryDecrypt(new byte[80], new byte[80], out byte[]? _, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.NoSession, failure);
        Assert.False(record.TryDecrypt(new byte[3], new byte[3], out byte[]? _, out failure));
        Assert.Equal(E2eChatFailure.NoSession, failure);
        Assert.False(record.TryDecrypt(new byte[80], new byte[80], new byte[64], out _, out failure));
        Assert.Equal(E2eChatFailure.NoSession, failure);
    }

    [Fact]
    public void TryDecrypt_Malformed_Malformed()
    {
        using var record = new SessionRecord();
        List<SessionState> alices = BobRecordWithHandshakes(record, 1);
        Assert.False(record.TryDecrypt(new byte[79], new byte[80], out byte[]? _, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.Malformed, failure);
        alices.ForEach(s => s.Dispose());
    }

    [Fact]
    public void TryDecrypt_ArchivedStateSucceeds_PromotedToCurrent()
    {
        using var record = new SessionRecord();
        List<SessionState> alices = BobRecordWithHandshakes(record, 3);
        SessionState oldest = record.Archived[1];
        SessionState current = record.Current!;
        Assert.Equal(2, record.Archived.Count);

        Assert.Equal(RatchetTestPair.Text("to the oldest"), Decrypt(record, Encrypt(alices[0], "to the oldest")));
        Assert.Same(oldest, record.Current);
        Assert.Same(current, record.Archived[0]);
        Assert.Equal(2, record.Archived.Count);

        Assert.Equal(RatchetTestPair.Text("to the newest"), Decrypt(record, Encrypt(alices[2], "to the newest")));
        Assert.Same(current, record.Current);
        Assert.Same(oldest, record.Archived[0]);
        alices.ForEach(s => s.Dispose());
    }

    [Fact]
    public void TryDecrypt_EveryStateFails_CurrentFailureNothingWritten()
    {
        using var record = new SessionRecord();
        List<SessionState> alices = BobRecordWithHandshakes(record, 3);
        EncryptedRatchetMessage message = Encrypt(alices[2], "for the current state");
        Decrypt(record, message);
        AssertRejected(record, message, E2eChatFailure.Duplicate); // the current state's failure

        using var stranger = new RatchetTestPair(999);
        AssertRejected(record, RatchetTestPair.Encrypt(stranger.Alice, "who?"), E2eChatFailure.InvalidHeader);

        EncryptedRatchetMessage tampered = Encrypt(alices[0], "archived");
        tampered.Ciphertext[0] ^= 1;
        AssertRejected(record, tampered, E2eChatFailure.InvalidHeader); // the archived state's InvalidCiphertext is not reported
        alices.ForEach(s => s.Dispose());
    }

    [Fact]
    public void TryDecrypt_OnlyArchivedStates_WorksAndReportsNoSessionOnFailure()
    {
        using var record = new SessionRecord();
        List<SessionState> alices = BobRecordWithHandshakes(record, 2);
        record.ArchiveCurrentState();
        Assert.Null(record.Current);
        using var stranger = new RatchetTestPair(998);
        AssertRejected(record, RatchetTestPair.Encrypt(stranger.Alice, "who?"), E2eChatFailure.NoSession);
        Assert.Equal(RatchetTestPair.Text("hello"), Decrypt(record, Encrypt(alices[0], "hello")));
        Assert.NotNull(record.Current);
        Assert.Single(record.Archived);
        alices.ForEach(s => s.Dispose());
    }

    [Fact]
    public void TryDecrypt_SimultaneousInitiation_BothConvergeOnOneSession()
    {
        // X: Alice initiated; Y: Bob initiated. Each side's first message has been processed.
        var (xAlice, xBob) = Create(201, s_alice, s_bob);
        var (yBob, yAlice) = Create(202, s_bob, s_alice);
        using var aliceRecord = new SessionRecord();
        using var bobRecord = new SessionRecord();
        aliceRecord.PromoteNew(xAlice);
        bobRecord.PromoteNew(yBob);
        EncryptedRatchetMessage xFirst = Encrypt(xAlice, "x first");
        EncryptedRatchetMessage yFirst = Encrypt(yBob, "y first");
        Assert.True(xBob.TryDecrypt(xFirst.Header, xFirst.Ciphertext, out byte[]? _, out _));
        Assert.True(yAlice.TryDecrypt(yFirst.Header, yFirst.Ciphertext, out byte[]? _, out _));
        aliceRecord.PromoteNew(yAlice); // the peer's session becomes current, our own is archived
        bobRecord.PromoteNew(xBob);

        Assert.Equal(RatchetTestPair.Text("on y"), Decrypt(bobRecord, Encrypt(aliceRecord.Current!, "on y")));
        Assert.Same(yBob, bobRecord.Current); // Bob promoted Y back
        Assert.Null(yBob.PendingPreKey);
        Assert.Equal(RatchetTestPair.Text("y too"), Decrypt(aliceRecord, Encrypt(bobRecord.Current!, "y too")));
        Assert.Same(yAlice, aliceRecord.Current);
    }

    // ---- Managing states ------------------------------------------------------------------------

    [Fact]
    public void PromoteNew_BeyondMaximumArchived_OldestDroppedAndWiped()
    {
        using var record = new SessionRecord();
        List<SessionState> alices = BobRecordWithHandshakes(record, ProtocolLimits.MaxArchivedStates + 3);
        Assert.Equal(ProtocolLimits.MaxArchivedStates, record.Archived.Count);
        Assert.True(record.Current!.Matches(alices[^1].BaseKey, s_alice));
        Assert.True(record.Archived[^1].Matches(alices[2].BaseKey, s_alice));
        Assert.Null(record.FindState(alices[1].BaseKey, s_alice));
        AssertRejected(record, Encrypt(alices[1], "dropped"), E2eChatFailure.InvalidHeader);
        Assert.Equal(RatchetTestPair.Text("kept"), Decrypt(record, Encrypt(alices[2], "kept")));
        alices.ForEach(s => s.Dispose());
    }

    [Fact]
    public void PromoteNew_StateAlreadyInRecord_Throws()
    {
        using var record = new SessionRecord();
        List<SessionState> alices = BobRecordWithHandshakes(record, 2);
        Assert.Throws<ArgumentException>(() => record.PromoteNew(record.Current!));
        Assert.Throws<ArgumentException>(() => record.PromoteNew(record.Archived[0]));
        alices.ForEach(s => s.Dispose());
    }

    [Fact]
    public void FindState_BaseKeyAndIdentity_FindsCurrentOrArchived()
    {
        using var record = new SessionRecord();
        List<SessionState> alices = BobRecordWithHandshakes(record, 3);
        Assert.Same(record.Current, record.FindState(alices[2].BaseKey, s_alice));
        Assert.Same(record.Archived[1], record.FindState(alices[0].BaseKey, s_alice));
        Assert.Null(record.FindState(alices[0].BaseKey, s_bob));
        Assert.Null(record.FindState(new byte[32], s_alice));
        alices.ForEach(s => s.Dispose());
    }

    [Fact]
    public void Promote_ArchivedState_BecomesCurrent()
    {
        using var record = new SessionRecord();
        List<SessionState> alices = BobRecordWithHandshakes(record, 3);
        SessionState target = record.Archived[1];
        SessionState previous = record.Current!;
        record.Promote(target);
        Assert.Same(target, record.Current);
        Assert.Same(previous, record.Archived[0]);
        record.Promote(target); // no-op for the current state
        Assert.Same(target, record.Current);
        Assert.Equal(2, record.Archived.Count);
        var (stranger, other) = Create(300, s_alice, s_bob);
        Assert.Throws<ArgumentException>(() => record.Promote(other));
        stranger.Dispose();
        other.Dispose();
        alices.ForEach(s => s.Dispose());
    }

    // ---- Serialization --------------------------------------------------------------------------

    private static SessionRecord BusyRecord(out List<SessionState> alices)
    {
        var record = new SessionRecord();
        alices = BobRecordWithHandshakes(record, 3);
        SessionState alice = alices[2];
        Encrypt(alice, "skipped");
        Decrypt(record, Encrypt(alice, "delivered"));
        return record;
    }

    [Fact]
    public void Serialize_RoundTrip_BitExactAndKeepsWorking()
    {
        using SessionRecord record = BusyRecord(out List<SessionState> alices);
        using var aliceRecord = new SessionRecord();
        aliceRecord.PromoteNew(alices[2]);
        byte[] serialized = record.Serialize();
        Assert.True(SessionRecord.TryDeserialize(serialized, out SessionRecord? loaded, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.None, failure);
        using (loaded)
        {
            Assert.Equal(serialized, loaded.Serialize());
            Assert.Equal(2, loaded.Archived.Count);
            Assert.Equal(1, loaded.Current!.Ratchet.SkippedMessageKeyCount);
            Assert.Equal(RatchetTestPair.Text("after load"), Decrypt(loaded, Encrypt(alices[2], "after load")));

            // The initiator side with pending pre-key fields round-trips as well.
            byte[] aliceSerialized = aliceRecord.Serialize();
            Assert.True(SessionRecord.TryDeserialize(aliceSerialized, out SessionRecord? aliceLoaded, out _));
            using (aliceLoaded)
            {
                Assert.NotNull(aliceLoaded.Current!.PendingPreKey);
                Assert.Equal(aliceSerialized, aliceLoaded.Serialize());
                Assert.Equal(RatchetTestPair.Text("reply"), Decrypt(aliceLoaded, Encrypt(loaded.Current!, "reply")));
                Assert.Null(aliceLoaded.Current!.PendingPreKey);
            }

            Assert.Equal(RatchetTestPair.Text("to the archive"), Decrypt(loaded, Encrypt(alices[0], "to the archive")));
            Assert.True(loaded.Current!.Matches(alices[0].BaseKey, s_alice));
        }

        alices[0].Dispose();
        alices[1].Dispose();
    }

    [Fact]
    public void Serialize_EmptyRecord_RoundTrips()
    {
        using var record = new SessionRecord();
        byte[] serialized = record.Serialize();
        Assert.Equal(new byte[] { 0x08, 0x01, 0x12, 0x00 }, serialized);
        Assert.True(SessionRecord.TryDeserialize(serialized, out SessionRecord? loaded, out _));
        using (loaded)
        {
            Assert.Null(loaded.Current);
            Assert.Empty(loaded.Archived);
        }
    }

    [Fact]
    public void TryDeserialize_EveryPrefix_Truncated()
    {
        using SessionRecord record = BusyRecord(out List<SessionState> alices);
        byte[] serialized = record.Serialize();
        for (int length = 0; length < serialized.Length; length++)
        {
            Assert.False(SessionRecord.TryDeserialize(serialized.AsSpan(0, length), out SessionRecord? loaded, out E2eChatFailure failure));
            Assert.Null(loaded);
            Assert.Equal(E2eChatFailure.Truncated, failure);
        }

        alices.ForEach(s => s.Dispose());
    }

    [Theory]
    [InlineData(new byte[] { 0x08, 0x02, 0x12, 0x00 }, E2eChatFailure.UnknownVersion)]
    [InlineData(new byte[] { 0x08, 0xE8, 0x07 }, E2eChatFailure.UnknownVersion)]
    [InlineData(new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x12, 0x00 }, E2eChatFailure.UnknownVersion)]
    [InlineData(new byte[] { 0x08, 0x00, 0x12, 0x00 }, E2eChatFailure.OldVersion)]
    [InlineData(new byte[] { 0x08, 0x00 }, E2eChatFailure.OldVersion)]
    [InlineData(new byte[] { 0x08, 0x80, 0x80, 0x80, 0x80, 0x10, 0x12, 0x00 }, E2eChatFailure.Corrupt)]
    [InlineData(new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, E2eChatFailure.Corrupt)]
    [InlineData(new byte[] { 0x12, 0x00, 0x08, 0x01 }, E2eChatFailure.Corrupt)]
    [InlineData(new byte[] { 0x08, 0x01, 0x1A, 0x00 }, E2eChatFailure.Corrupt)]
    [InlineData(new byte[] { 0x08, 0x01, 0x12, 0x00, 0x00 }, E2eChatFailure.Corrupt)]
    [InlineData(new byte[] { 0x08, 0x01, 0x12, 0x02, 0xFF, 0xFF }, E2eChatFailure.Corrupt)]
    [InlineData(new byte[] { 0x08, 0x01, 0x12, 0x02, 0x18, 0x01 }, E2eChatFailure.Corrupt)]
    [InlineData(new byte[] { 0x08, 0x81, 0x00, 0x12, 0x00 }, E2eChatFailure.Corrupt)]
    [InlineData(new byte[] { 0x08, 0x01, 0x12, 0x80, 0x00 }, E2eChatFailure.Corrupt)]
    [InlineData(new byte[] { 0x08, 0x01, 0x12, 0x05, 0x0A, 0x03, 0x0A, 0x01, 0x00 }, E2eChatFailure.Corrupt)]
    [InlineData(new byte[] { 0x08, 0x01, 0x12 }, E2eChatFailure.Truncated)]
    [InlineData(new byte[] { 0x08 }, E2eChatFailure.Truncated)]
    [InlineData(new byte[] { 0x08, 0x01, 0x12, 0x01 }, E2eChatFailure.Truncated)]
    [InlineData(new byte[0], E2eChatFailure.Truncated)]
    public void TryDeserialize_BadInput_TypedFailure(byte[] input, E2eChatFailure expected)
    {
        Assert.False(SessionRecord.TryDeserialize(input, out SessionRecord? loaded, out E2eChatFailure failure));
        Assert.Null(loaded);
        Assert.Equal(expected, failure);
    }

    [Fact]
    public void TryDeserialize_TooManyArchivedStates_Corrupt()
    {
        using var record = new SessionRecord();
        List<SessionState> alices = BobRecordWithHandshakes(record, 2);
        SessionRecordFile file = SessionRecordFile.Parser.ParseFrom(record.Serialize());
        SessionStateData archived = file.Record.Archived[0];
        while (file.Record.Archived.Count <= ProtocolLimits.MaxArchivedStates)
        {
            file.Record.Archived.Add(archived);
        }

        Assert.False(SessionRecord.TryDeserialize(file.ToByteArray(), out _, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.Corrupt, failure);

        file.Record.Archived.RemoveAt(0);
        Assert.True(SessionRecord.TryDeserialize(file.ToByteArray(), out SessionRecord? loaded, out _));
        Assert.Equal(ProtocolLimits.MaxArchivedStates, loaded.Archived.Count);
        loaded.Dispose();
        alices.ForEach(s => s.Dispose());
    }

    [Fact]
    public void TryDeserialize_InvalidStateInside_Corrupt()
    {
        using SessionRecord record = BusyRecord(out List<SessionState> alices);
        SessionRecordFile file = SessionRecordFile.Parser.ParseFrom(record.Serialize());
        file.Record.Archived[1].Ratchet.RootKey = ByteString.CopyFrom(new byte[31]);
        Assert.False(SessionRecord.TryDeserialize(file.ToByteArray(), out _, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.Corrupt, failure);
        alices.ForEach(s => s.Dispose());
    }

    [Fact]
    public void TryDeserialize_UnknownFieldInBody_Corrupt()
    {
        using SessionRecord record = BusyRecord(out List<SessionState> alices);
        SessionRecordFile file = SessionRecordFile.Parser.ParseFrom(record.Serialize());
        byte[] body = file.Record.ToByteArray();
        byte[] extended = [.. body, 0xF8, 0x01, 0x01]; // field 31, varint 1
        var withUnknown = new SessionRecordFile { FormatVersion = 1, Record = SessionRecordData.Parser.ParseFrom(extended) };
        Assert.False(SessionRecord.TryDeserialize(withUnknown.ToByteArray(), out _, out E2eChatFailure failure));
        Assert.Equal(E2eChatFailure.Corrupt, failure);
        alices.ForEach(s => s.Dispose());
    }

    [Fact]
    public void TryDeserialize_EverySingleByteFlip_NeverThrowsAndLoadsOnlyBitExact()
    {
        using var record = new SessionRecord();
        List<SessionState> alices = BobRecordWithHandshakes(record, 1);
        byte[] serialized = record.Serialize();
        var outcomes = new HashSet<E2eChatFailure>();
        for (int i = 0; i < serialized.Length; i++)
        {
            foreach (byte mask in new byte[] { 0x01, 0x80 })
            {
                serialized[i] ^= mask;
                if (SessionRecord.TryDeserialize(serialized, out SessionRecord? loaded, out E2eChatFailure failure))
                {
                    using (loaded)
                    {
                        Assert.Equal(serialized, loaded.Serialize());
                    }
                }

                outcomes.Add(failure);
                serialized[i] ^= mask;
            }
        }

        Assert.Contains(E2eChatFailure.None, outcomes);     // a flipped key byte still loads
        Assert.Contains(E2eChatFailure.Corrupt, outcomes);
        Assert.Contains(E2eChatFailure.Truncated, outcomes); // a length grown past the end
        Assert.Contains(E2eChatFailure.UnknownVersion, outcomes);
        alices.ForEach(s => s.Dispose());
    }

    [Fact]
    public void TryDeserialize_DeterministicRandom_LoadedStatesUseIt()
    {
        using SessionRecord record = BusyRecord(out List<SessionState> alices);
        byte[] serialized = record.Serialize();
        using var first = new DeterministicRandomSource(new byte[32]);
        using var second = new DeterministicRandomSource(new byte[32]);
        Assert.True(SessionRecord.TryDeserialize(serialized, first, out SessionRecord? a, out _));
        Assert.True(SessionRecord.TryDeserialize(serialized, second, out SessionRecord? b, out _));
        using (a)
        using (b)
        {
            EncryptedRatchetMessage message = Encrypt(alices[2], "same");
            Decrypt(a, message);
            Decrypt(b, message);
            Assert.True(a.Current!.TryEncrypt(RatchetTestPair.Text("reply"), out EncryptedRatchetMessage ra, out _));
            Assert.True(b.Current!.TryEncrypt(RatchetTestPair.Text("reply"), out EncryptedRatchetMessage rb, out _));
            Assert.Equal(ra.Header, rb.Header);
            Assert.Equal(ra.Ciphertext, rb.Ciphertext);
        }

        alices.ForEach(s => s.Dispose());
    }

    [Fact]
    public void Dispose_States_AreWiped()
    {
        var record = new SessionRecord();
        List<SessionState> alices = BobRecordWithHandshakes(record, 2);
        SessionState current = record.Current!;
        record.Dispose();
        Assert.Throws<ObjectDisposedException>(() => current.TryEncrypt(RatchetTestPair.Text("x"), out _, out _));
        Assert.Throws<ObjectDisposedException>(() => record.Serialize());
        alices.ForEach(s => s.Dispose());
    }
}
