using E2eChat.Relay;
using E2eChat.Wire;
using Google.Protobuf;

namespace E2eChat.Fuzz;

/// <summary>
/// One fuzz target per parser a peer or a relay can reach. Each target checks more than "no crash":
/// hostile input may only give a typed failure, an accepted input must re-encode to the same bytes
/// (the one canonical encoding of PROTOCOL.md section 8), and the relay's validator and the client's
/// decoder must agree. A broken property throws <see cref="FuzzFindingException"/>, which afl++
/// records as a crash and the corpus replay tests report as a failure.
/// </summary>
public static class FuzzTargets
{
    /// <summary>Every target by name, as run.sh and the corpus replay tests know them.</summary>
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["bundle"] = Bundle,
        ["prekey_message"] = PreKeyMessage,
        ["ratchet_message"] = RatchetMessage,
        ["envelope"] = Envelope,
        ["sender_key_message"] = SenderKeyMessage,
        ["sender_key_distribution"] = SenderKeyDistribution,
        ["stored_record"] = StoredRecord,
        ["sealed_state"] = SealedStateTarget,
        ["interaction"] = Interaction.Run,
        ["device_list"] = DeviceListTarget.Run,
        ["contact_link"] = ContactLinkTarget.Run,
        ["consent_record"] = ConsentRecordTarget.Run,
        ["content"] = ContentTarget.Run,
        ["relay_request"] = RelayRequestTarget.Run,
        ["group_interaction"] = GroupInteraction.Run,
    };

    /// <summary>Section 3.4: a bundle that parses is its canonical encoding.</summary>
    /// <param name="input">The fuzzer's bytes.</param>
    public static void Bundle(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool ok = PreKeyBundle.TryParse(input, out PreKeyBundle? bundle, out E2eChatFailure failure);
        Check(ok == (failure == E2eChatFailure.None) && ok == (bundle is not null), "bundle: result and failure disagree");
        if (ok)
        {
            Check(bundle!.ToBytes().AsSpan().SequenceEqual(input), "bundle: an accepted bundle does not re-encode to its bytes");
        }
    }

    /// <summary>Section 4 step 0: the relay's rules decide; what they accept, protobuf reads and re-encodes identically.</summary>
    /// <param name="input">The fuzzer's bytes.</param>
    public static void PreKeyMessage(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        EnvelopeFailure failure = WirePreKeyMessage.Validate(input, 0, input.Length, out _);
        if (failure == EnvelopeFailure.None)
        {
            Wire.Proto.PreKeyMessage message = Wire.Proto.PreKeyMessage.Parser.ParseFrom(input);
            Check(message.ToByteArray().AsSpan().SequenceEqual(input), "prekey_message: accepted but not canonical");
        }
    }

    /// <summary>Section 5.5: the same for a ratchet message, and a decryption in a fixed session fails without a change.</summary>
    /// <param name="input">The fuzzer's bytes.</param>
    public static void RatchetMessage(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool valid = WireRatchetMessage.TryRead(input, out RatchetMessageView view, out EnvelopeFailure failure);
        Check(valid == (failure == EnvelopeFailure.None), "ratchet_message: result and failure disagree");
        Range header = view.Header;
        Range ciphertext = view.Ciphertext;
        if (failure == EnvelopeFailure.None)
        {
            Wire.Proto.RatchetMessage message = Wire.Proto.RatchetMessage.Parser.ParseFrom(input);
            Check(message.ToByteArray().AsSpan().SequenceEqual(input), "ratchet_message: accepted but not canonical");
        }

        ReadOnlySpan<byte> h = failure == EnvelopeFailure.None ? input.AsSpan()[header] : input;
        ReadOnlySpan<byte> c = failure == EnvelopeFailure.None ? input.AsSpan()[ciphertext] : [];
        Interaction.DecryptForeign(h, c);
    }

    /// <summary>Section 8: the relay validator and the client codec agree, and an accepted envelope re-encodes identically.</summary>
    /// <param name="input">The fuzzer's bytes.</param>
    public static void Envelope(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        EnvelopeFailure relay = EnvelopeValidator.Validate(input);
        bool decoded = EnvelopeCodec.TryDecode(input, out Envelope? envelope, out E2eChatFailure client);
        Check(relay.ToString() == client.ToString(), $"envelope: relay says {relay}, client says {client}");
        Check(decoded == (relay == EnvelopeFailure.None), "envelope: decode result and failure disagree");
        if (decoded)
        {
            Check(EnvelopeCodec.Encode(envelope!).AsSpan().SequenceEqual(input), "envelope: accepted but does not re-encode to its bytes");
        }
    }

    /// <summary>
    /// Section 7: what the receiver parses, the relay accepts and the writer re-encodes identically;
    /// a decryption in a fixed record fails without changing it.
    /// </summary>
    /// <param name="input">The fuzzer's bytes.</param>
    public static void SenderKeyMessage(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool parsed = SenderKeyMessageFields.TryParse(input, out SenderKeyMessageFields fields);
        EnvelopeFailure relay = WireSenderKeyMessage.Validate(input, 0, input.Length, out _, out _);
        if (parsed)
        {
            Check(relay == EnvelopeFailure.None, $"sender_key_message: the receiver parses what the relay refuses ({relay})");
            byte[] again = new byte[SenderKeyMessageFields.GetEncodedLength(fields.ChainId, fields.Iteration, fields.ExpiresAtMilliseconds, fields.Ciphertext.Length)];
            Span<byte> signature = SenderKeyMessageFields.Write(fields.DistributionId, fields.ChainId, fields.Iteration, fields.ExpiresAtMilliseconds, again, fields.Ciphertext.Length, out Span<byte> ciphertext);
            fields.Ciphertext.CopyTo(ciphertext);
            fields.Signature.CopyTo(signature);
            Check(again.AsSpan().SequenceEqual(input), "sender_key_message: parsed but does not re-encode to its bytes");
        }

        Interaction.DecryptPost(input);
    }

    /// <summary>Section 7: a distribution that parses re-encodes identically and creates a record that survives storage.</summary>
    /// <param name="input">The fuzzer's bytes.</param>
    public static void SenderKeyDistribution(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!SenderKeyDistributionFields.TryParse(input, out SenderKeyDistributionFields fields))
        {
            Check(!SenderKeyRecord.TryCreate(input, out _, out _), "sender_key_distribution: a record was created from an unparsable distribution");
            return;
        }

        byte[] again = new byte[SenderKeyDistributionFields.GetEncodedLength(fields.ChainId, fields.Iteration)];
        SenderKeyDistributionFields.Write(fields.DistributionId, fields.ChainId, fields.Iteration, fields.ChainKey, fields.SigningKey, again);
        Check(again.AsSpan().SequenceEqual(input), "sender_key_distribution: parsed but does not re-encode to its bytes");
        Check(SenderKeyRecord.TryCreate(input, out SenderKeyRecord? record, out E2eChatFailure failure), $"sender_key_distribution: parsed but refused ({failure})");
        using (record)
        {
            byte[] stored = record!.Serialize();
            Check(SenderKeyRecord.TryDeserialize(stored, out SenderKeyRecord? loaded, out _), "sender_key_distribution: the record does not load back");
            using (loaded)
            {
                Check(loaded!.Serialize().AsSpan().SequenceEqual(stored), "sender_key_distribution: the record changed through storage");
            }
        }
    }

    /// <summary>
    /// Section 10: stored records (the frame, then a session record, a sender-key record or a group
    /// sender) load or give a typed failure; a record that loads is stable through storage.
    /// </summary>
    /// <param name="input">The fuzzer's bytes.</param>
    public static void StoredRecord(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        StableThroughStorage<SessionRecord>(input, SessionRecord.TryDeserialize, r => r.Serialize(), "session record");
        StableThroughStorage<SenderKeyRecord>(input, SenderKeyRecord.TryDeserialize, r => r.Serialize(), "sender-key record");
        StableThroughStorage<GroupSender>(input, GroupSender.TryDeserialize, s => s.Serialize(), "group sender");
    }

    /// <summary>Section 10: sealed state under a fixed key opens only what was sealed under it.</summary>
    /// <param name="input">The fuzzer's bytes.</param>
    public static void SealedStateTarget(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool opened = SealedState.TryOpen(Interaction.StorageKey, input, out byte[]? state, out E2eChatFailure failure);
        Check(opened == (failure == E2eChatFailure.None), "sealed_state: result and failure disagree");
        if (opened)
        {
            Check(SealedState.Open(Interaction.StorageKey, SealedState.Seal(Interaction.StorageKey, state!)).AsSpan().SequenceEqual(state), "sealed_state: resealing changed the state");
        }
    }

    /// <summary>A record that loads is written back and loads again to the same bytes.</summary>
    private static void StableThroughStorage<T>(byte[] input, Loader<T> load, Func<T, byte[]> serialize, string what)
        where T : class, IDisposable
    {
        if (!load(input, out T? first, out _))
        {
            return;
        }

        using (first)
        {
            byte[] stored = serialize(first!);
            Check(load(stored, out T? again, out _), $"stored_record: a {what} does not load back");
            using (again)
            {
                Check(serialize(again!).AsSpan().SequenceEqual(stored), $"stored_record: a {what} changed through storage");
            }
        }
    }

    /// <summary>Throws <see cref="FuzzFindingException"/> when <paramref name="condition"/> is false.</summary>
    /// <param name="condition">The property.</param>
    /// <param name="finding">What is broken.</param>
    internal static void Check(bool condition, string finding)
    {
        if (!condition)
        {
            throw new FuzzFindingException(finding);
        }
    }

    /// <summary>A stored-record reader: <c>TryDeserialize</c> of a record type.</summary>
    private delegate bool Loader<T>(ReadOnlySpan<byte> serialized, out T? value, out E2eChatFailure failure)
        where T : class;
}
