using System.Buffers.Binary;
using System.Security.Cryptography;
using E2eChat.Ratchet;
using E2eChat.Storage.Proto;
using static E2eChat.Cli.Vectors.ProtoBytes;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>sender_keys.json</c>: sender-key transcripts (creation, distribution, posts, rotation, in and
/// out of order delivery, late joining, the last iterations of a chain) and posts a receiver must
/// refuse, one or more for every <see cref="E2eChatFailure"/> (PROTOCOL.md section 7).
/// </summary>
internal sealed class SenderKeyVectors() : VectorSuite(File)
{
    internal const string File = "sender_keys.json";
    private const ulong Now = VectorClock.Start;
    private const ulong Day = ProtocolLimits.StatusLifetimeMilliseconds;
    private const int ChainIdLength = sizeof(uint);
    private const int KeyLength = 32;

    /// <inheritdoc/>
    public override async ValueTask<IReadOnlyList<JsonObject>> GenerateAsync()
    {
        var vectors = new List<JsonObject>
        {
            await InOrderAsync().ConfigureAwait(false),
            await OutOfOrderAsync().ConfigureAwait(false),
            await RotationAsync().ConfigureAwait(false),
            await LateJoinAsync().ConfigureAwait(false),
            await ChainIdRedrawnAsync().ConfigureAwait(false),
            await LastIterationsAsync().ConfigureAwait(false),
            await SenderKeyPlaintextLimit.TranscriptAsync().ConfigureAwait(false),
        };
        await AddInvalidAsync(vectors).ConfigureAwait(false);
        return vectors;
    }

    /// <inheritdoc/>
    private protected override async ValueTask VerifyAsync(string kind, string name, JsonObject vector)
    {
        JsonObject computed = kind switch
        {
            "sender_key_transcript" => await ReplayTranscriptAsync(name, vector).ConfigureAwait(false),
            "sender_key_invalid" => await SenderKeyReceiverHistory.Read(VectorJson.Array(vector, "receiver"))
                .RunAsync(name, VectorJson.UInt64(vector, "now_ms"), VectorJson.Bytes(vector, "message")).ConfigureAwait(false),
            _ => throw UnknownKind(kind),
        };
        Outputs.Compare(vector, computed);
    }

    private static async ValueTask<JsonObject> ReplayTranscriptAsync(string name, JsonObject vector)
    {
        ulong now = VectorJson.UInt64(vector, "now_ms");
        var random = new ReplayRandomSource([]);
        SenderKeyTranscript transcript;
        if (vector.ContainsKey("random"))
        {
            random.Load(VectorJson.Bytes(vector, "random"));
            transcript = SenderKeyTranscript.Create(random, now);
            random.EnsureConsumed("random");
        }
        else
        {
            transcript = SenderKeyTranscript.Load(
                VectorJson.Bytes(vector, "distribution_id"),
                VectorJson.UInt32(vector, "chain_id"),
                VectorJson.UInt32(vector, "iteration"),
                VectorJson.Bytes(vector, "chain_key"),
                VectorJson.Bytes(vector, "signing_seed"),
                random,
                now);
        }

        using (transcript)
        {
            JsonArray steps = VectorJson.Array(vector, "steps");
            for (int i = 0; i < steps.Count; i++)
            {
                JsonObject step = steps[i] as JsonObject ?? throw new VectorFormatException($"steps[{i}]: expected an object");
                string op = VectorJson.String(step, "op");
                try
                {
                    switch (op)
                    {
                        case "distribute":
                            await transcript.DistributeAsync().ConfigureAwait(false);
                            break;
                        case "encrypt":
                            transcript.Encrypt(VectorJson.String(step, "id"), VectorJson.UInt64(step, "expires_at_ms"), VectorJson.Bytes(step, "plaintext"));
                            break;
                        case "encrypt_fail":
                            transcript.EncryptFail(VectorJson.UInt64(step, "expires_at_ms"), VectorJson.Bytes(step, "plaintext"));
                            break;
                        case "rotate":
                            random.Load(VectorJson.Bytes(step, "random"));
                            transcript.Rotate();
                            random.EnsureConsumed("random");
                            break;
                        case "decrypt":
                            await transcript.DecryptAsync(VectorJson.String(step, "id")).ConfigureAwait(false);
                            break;
                        default:
                            throw new VectorFormatException($"unknown op '{op}'");
                    }
                }
                catch (VectorMismatchException e)
                {
                    throw new VectorMismatchException($"steps[{i}] ({op}): {e.Message}");
                }
                catch (VectorFormatException e)
                {
                    throw new VectorFormatException($"steps[{i}] ({op}): {e.Message}");
                }
            }

            return transcript.ToJson(name);
        }
    }

    // ------------------------------------------------------------------ transcripts

    /// <summary>A new sender, its distribution at iteration 0, three posts decrypted in order.</summary>
    private static ValueTask<JsonObject> InOrderAsync() => TranscriptAsync("sender_key_transcript_in_order", async (t, random) =>
    {
        await t.DistributeAsync().ConfigureAwait(false);
        t.Encrypt("p0", 0, VectorBytes.Text("Opening hours today: 9:00 to 17:00."));
        t.Encrypt("p1", Now + Day, random.Draw(30));
        t.Encrypt("p2", 0, random.Draw(1500));
        await t.DecryptAsync("p0").ConfigureAwait(false);
        await t.DecryptAsync("p1").ConfigureAwait(false);
        await t.DecryptAsync("p2").ConfigureAwait(false);
    });

    /// <summary>Six posts delivered out of order within the gap bound: skipped keys stored and used later.</summary>
    private static ValueTask<JsonObject> OutOfOrderAsync() => TranscriptAsync("sender_key_transcript_out_of_order", async (t, random) =>
    {
        await t.DistributeAsync().ConfigureAwait(false);
        t.Encrypt("p0", 0, VectorBytes.Text("post 0"));
        t.Encrypt("p1", Now + Day, VectorBytes.Text("status 1"));
        t.Encrypt("p2", 0, random.Draw(64));
        t.Encrypt("p3", 0, []);
        t.Encrypt("p4", Now + 1, VectorBytes.Text("expires one millisecond from now"));
        t.Encrypt("p5", 0, VectorBytes.Text("post 5"));
        string[] deliveryOrder = ["p2", "p0", "p5", "p1", "p4", "p3"];
        foreach (string id in deliveryOrder)
        {
            await t.DecryptAsync(id).ConfigureAwait(false);
        }
    });

    /// <summary>
    /// Two generations: the sender rotates and distributes again; the receiver still opens posts of
    /// the first generation (kept) after those of the second, including a skipped key of the first.
    /// </summary>
    private static ValueTask<JsonObject> RotationAsync() => TranscriptAsync("sender_key_transcript_rotation", async (t, _) =>
    {
        await t.DistributeAsync().ConfigureAwait(false);
        t.Encrypt("a0", 0, VectorBytes.Text("generation 1, post 0"));
        t.Encrypt("a1", 0, VectorBytes.Text("generation 1, post 1"));
        t.Encrypt("a2", Now + Day, VectorBytes.Text("generation 1, post 2"));
        await t.DecryptAsync("a1").ConfigureAwait(false);
        t.Rotate();
        await t.DistributeAsync().ConfigureAwait(false);
        t.Encrypt("b0", 0, VectorBytes.Text("generation 2, post 0"));
        t.Encrypt("b1", 0, VectorBytes.Text("generation 2, post 1"));
        await t.DecryptAsync("b1").ConfigureAwait(false);
        await t.DecryptAsync("a0").ConfigureAwait(false);
        await t.DecryptAsync("b0").ConfigureAwait(false);
        await t.DecryptAsync("a2").ConfigureAwait(false);
    });

    /// <summary>A member added after two posts: the distribution is at iteration 2.</summary>
    private static ValueTask<JsonObject> LateJoinAsync() => TranscriptAsync("sender_key_transcript_late_join", async (t, _) =>
    {
        t.Encrypt("p0", 0, VectorBytes.Text("before the new member"));
        t.Encrypt("p1", 0, VectorBytes.Text("still before"));
        await t.DistributeAsync().ConfigureAwait(false);
        t.Encrypt("p2", 0, VectorBytes.Text("welcome"));
        t.Encrypt("p3", 0, VectorBytes.Text("after"));
        await t.DecryptAsync("p3").ConfigureAwait(false);
        await t.DecryptAsync("p2").ConfigureAwait(false);
    });

    /// <summary>
    /// Chain ids drawn again: at creation the first draw is 0; at rotation the first equals the current
    /// chain id and the second is 0. The other bytes come from the vector's stream.
    /// </summary>
    private static async ValueTask<JsonObject> ChainIdRedrawnAsync()
    {
        const string Name = "sender_key_transcript_chain_id_redrawn";
        using DeterministicRandomSource stream = VectorSeeds.For(File, Name);
        byte[] chainId = NonzeroChainId(stream, 0);
        var random = new ReplayRandomSource([.. stream.Draw(DistributionId.Length), .. new byte[ChainIdLength], .. chainId, .. stream.Draw(KeyLength), .. stream.Draw(Ed25519.SeedLength)]);
        using SenderKeyTranscript t = SenderKeyTranscript.Create(random, Now);
        random.EnsureConsumed("creation");
        await t.DistributeAsync().ConfigureAwait(false);
        t.Encrypt("a0", 0, VectorBytes.Text("first generation"));
        await t.DecryptAsync("a0").ConfigureAwait(false);
        byte[] next = NonzeroChainId(stream, BinaryPrimitives.ReadUInt32BigEndian(chainId));
        random.Load([.. chainId, .. new byte[ChainIdLength], .. next, .. stream.Draw(KeyLength), .. stream.Draw(Ed25519.SeedLength)]);
        t.Rotate();
        random.EnsureConsumed("rotation");
        await t.DistributeAsync().ConfigureAwait(false);
        t.Encrypt("b0", 0, VectorBytes.Text("second generation"));
        await t.DecryptAsync("b0").ConfigureAwait(false);
        return t.ToJson(Name);
    }

    /// <summary>
    /// A sender at iteration 4294967293: the last two iterations (large varints), then encryption
    /// fails with ChainExhausted, and a rotation starts over at 0.
    /// </summary>
    private static async ValueTask<JsonObject> LastIterationsAsync()
    {
        const string Name = "sender_key_transcript_last_iterations";
        using DeterministicRandomSource random = VectorSeeds.For(File, Name);
        byte[] distributionId = random.Draw(DistributionId.Length);
        uint chainId = BinaryPrimitives.ReadUInt32BigEndian(NonzeroChainId(random, 0));
        using SenderKeyTranscript t = SenderKeyTranscript.Load(
            distributionId, chainId, ProtocolLimits.MaxChainCounter - 1, random.Draw(KeyLength), random.Draw(Ed25519.SeedLength), random, Now);
        await t.DistributeAsync().ConfigureAwait(false);
        t.Encrypt("p0", ulong.MaxValue >> 12, VectorBytes.Text("second to last"));
        t.Encrypt("p1", 0, VectorBytes.Text("last"));
        t.EncryptFail(0, VectorBytes.Text("one too many"));
        await t.DecryptAsync("p1").ConfigureAwait(false);
        await t.DecryptAsync("p0").ConfigureAwait(false);
        t.Rotate();
        await t.DistributeAsync().ConfigureAwait(false);
        t.Encrypt("q0", 0, VectorBytes.Text("new generation"));
        await t.DecryptAsync("q0").ConfigureAwait(false);
        return t.ToJson(Name);
    }

    /// <summary>
    /// The transcript <paramref name="name"/>: a sender created at <see cref="Now"/> from the vector's
    /// seeded stream, then <paramref name="script"/> (which may draw more from that stream).
    /// </summary>
    internal static async ValueTask<JsonObject> TranscriptAsync(string name, Func<SenderKeyTranscript, RandomSource, ValueTask> script)
    {
        using DeterministicRandomSource random = VectorSeeds.For(File, name);
        using SenderKeyTranscript t = SenderKeyTranscript.Create(random, Now);
        await script(t, random).ConfigureAwait(false);
        return t.ToJson(name);
    }

    /// <summary>4 stream bytes that are a chain id neither 0 nor <paramref name="current"/>.</summary>
    private static byte[] NonzeroChainId(RandomSource random, uint current)
    {
        while (true)
        {
            byte[] bytes = random.Draw(ChainIdLength);
            uint value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
            if (value != 0 && value != current)
            {
                return bytes;
            }
        }
    }

    // ------------------------------------------------------------------ invalid posts

    private static async ValueTask AddInvalidAsync(List<JsonObject> vectors)
    {
        using DeterministicRandomSource random = VectorSeeds.For(File, "sender_key_invalid");
        using var sender = GroupSender.Create(random);
        Generation first = Generation.Of(sender);
        byte[] d0 = Distribution(sender);
        byte[] m0 = Post(sender, "post 0", 0);
        byte[] m1 = Post(sender, "post 1", 0);
        byte[] d2 = Distribution(sender);
        byte[] m2 = Post(sender, "status 2", Now + Day);
        byte[] m3 = Post(sender, "post 3", 0);
        while (sender.Iteration < 2000)
        {
            Post(sender, "unused", 0);
        }

        byte[] m2000 = Post(sender, "post 2000", 0);
        byte[] m2001 = Post(sender, "post 2001", 0);
        byte[] m2002 = Post(sender, "post 2002", 0);

        // Generations 2 to 6 of the same distribution, each with its distribution and one post.
        var generations = new List<(byte[] Distribution, byte[] Post, Generation Keys)> { (d0, m0, first) };
        for (int g = 2; g <= 6; g++)
        {
            sender.Rotate();
            generations.Add((Distribution(sender), Post(sender, $"generation {g}", 0), Generation.Of(sender)));
        }

        // Another distribution of the same sending device, and a forged key for the first chain id.
        using var other = GroupSender.Create(random);
        byte[] otherDistribution = Distribution(other);
        byte[] forgedSeed = random.Draw(Ed25519.SeedLength);
        byte[] forgedPublic = new byte[Ed25519.PublicKeyLength];
        using (NSec.Cryptography.Key forgedKey = Ed25519.ImportSeed(forgedSeed))
        {
            Ed25519.GetPublicKey(forgedKey, forgedPublic);
        }

        byte[] replaced = SenderKeyForge.Distribution(first.DistributionId, first.ChainId, 0, random.Draw(KeyLength), forgedPublic);

        SenderKeyForge.Fields f0 = SenderKeyForge.Parse(m0);
        SenderKeyForge.Fields f1 = SenderKeyForge.Parse(m1);
        SenderKeyForge.Fields f3 = SenderKeyForge.Parse(m3);
        SenderKeyForge.Fields f2001 = SenderKeyForge.Parse(m2001);

        async ValueTask AddAsync(string name, E2eChatFailure failure, SenderKeyReceiverHistory history, byte[] message, ulong now = Now)
        {
            JsonObject vector = await history.RunAsync($"sender_key_invalid_{name}", now, message).ConfigureAwait(false);
            vectors.Add(Expect.Fails(vector, failure.ToString()));
        }

        SenderKeyReceiverHistory Holding(params byte[][] distributions)
        {
            var history = new SenderKeyReceiverHistory();
            foreach (byte[] distribution in distributions)
            {
                history.Distribution(distribution);
            }

            return history;
        }

        byte[] Resigned(SenderKeyForge.Fields fields) => fields.SignAndEncode(first.SigningSeed);
        byte[] Tampered(SenderKeyForge.Fields fields) => Resigned(fields with { Ciphertext = VectorBytes.Flip(fields.Ciphertext, 5) });
        byte[] Padded(SenderKeyForge.Fields fields, byte[] padded) =>
            Resigned(fields with { Ciphertext = SenderKeyForge.EncryptPadded(fields, SenderKeyForge.MessageKey(first.ChainKey, 0, fields.Iteration), padded) });
        byte[] chainIdField = VarintField(2, f0.ChainId);
        byte[] afterChainId = Concat(BytesField(5, f0.Ciphertext), BytesField(6, f0.Signature));

        // Malformed: not the canonical encoding with section 8's field rules, or iteration 4294967295.
        await AddAsync("malformed_empty", E2eChatFailure.Malformed, Holding(d0), []).ConfigureAwait(false);
        await AddAsync("malformed_truncated", E2eChatFailure.Malformed, Holding(d0), m0[..^1]).ConfigureAwait(false);
        await AddAsync("malformed_explicit_zero_iteration", E2eChatFailure.Malformed, Holding(d0), f0.EncodeRaw(0, null)).ConfigureAwait(false);
        await AddAsync("malformed_explicit_zero_expiry", E2eChatFailure.Malformed, Holding(d0), f0.EncodeRaw(null, 0)).ConfigureAwait(false);
        await AddAsync("malformed_fields_out_of_order", E2eChatFailure.Malformed, Holding(d0), Concat(chainIdField, BytesField(1, f0.DistributionId), afterChainId)).ConfigureAwait(false);
        await AddAsync("malformed_duplicate_field", E2eChatFailure.Malformed, Holding(d0), Concat(BytesField(1, f0.DistributionId), chainIdField, chainIdField, afterChainId)).ConfigureAwait(false);
        await AddAsync("malformed_unknown_field", E2eChatFailure.Malformed, Holding(d0), Concat(m0, VarintField(7, 1))).ConfigureAwait(false);
        await AddAsync("malformed_wrong_wire_type", E2eChatFailure.Malformed, Holding(d0), Concat(BytesField(1, f0.DistributionId), BytesField(2, Varint(f0.ChainId)), afterChainId)).ConfigureAwait(false);
        byte[] longChainId = Varint(f0.ChainId);
        longChainId[^1] |= 0x80;
        await AddAsync("malformed_non_minimal_varint", E2eChatFailure.Malformed, Holding(d0), Concat(BytesField(1, f0.DistributionId), Tag(2, 0), longChainId, [0x00], afterChainId)).ConfigureAwait(false);
        await AddAsync("malformed_chain_id_zero_written", E2eChatFailure.Malformed, Holding(d0), Concat(BytesField(1, f0.DistributionId), VarintField(2, 0), afterChainId)).ConfigureAwait(false);
        await AddAsync("malformed_missing_chain_id", E2eChatFailure.Malformed, Holding(d0), Concat(BytesField(1, f0.DistributionId), afterChainId)).ConfigureAwait(false);
        await AddAsync("malformed_chain_id_over_32_bits", E2eChatFailure.Malformed, Holding(d0), Concat(BytesField(1, f0.DistributionId), VarintField(2, (1UL << 32) + f0.ChainId), afterChainId)).ConfigureAwait(false);
        await AddAsync("malformed_iteration_4294967295", E2eChatFailure.Malformed, Holding(d0), Resigned(f0 with { Iteration = uint.MaxValue })).ConfigureAwait(false);
        await AddAsync("malformed_distribution_id_15", E2eChatFailure.Malformed, Holding(d0), Concat(BytesField(1, f0.DistributionId[..15]), chainIdField, afterChainId)).ConfigureAwait(false);
        await AddAsync("malformed_ciphertext_not_bucket", E2eChatFailure.Malformed, Holding(d0), (f0 with { Ciphertext = f0.Ciphertext[..^1] }).Encode()).ConfigureAwait(false);
        await AddAsync("malformed_ciphertext_shorter_than_tag", E2eChatFailure.Malformed, Holding(d0), (f0 with { Ciphertext = f0.Ciphertext[..15] }).Encode()).ConfigureAwait(false);
        await AddAsync("malformed_signature_63", E2eChatFailure.Malformed, Holding(d0), Concat(BytesField(1, f0.DistributionId), chainIdField, BytesField(5, f0.Ciphertext), BytesField(6, f0.Signature[..63]))).ConfigureAwait(false);
        await AddAsync("malformed_signature_65", E2eChatFailure.Malformed, Holding(d0), Concat(BytesField(1, f0.DistributionId), chainIdField, BytesField(5, f0.Ciphertext), BytesField(6, [.. f0.Signature, 0x00]))).ConfigureAwait(false);
        await AddAsync("malformed_before_unknown_sender_key", E2eChatFailure.Malformed, Holding(), f0.EncodeRaw(0, null)).ConfigureAwait(false);

        // UnknownSenderKey: no record for the distribution id, or no generation with the chain id.
        await AddAsync("unknown_non_member", E2eChatFailure.UnknownSenderKey, Holding(), m0).ConfigureAwait(false);
        await AddAsync("unknown_other_distribution", E2eChatFailure.UnknownSenderKey, Holding(otherDistribution), m0).ConfigureAwait(false);
        await AddAsync("unknown_removed_before_rotation", E2eChatFailure.UnknownSenderKey, Holding(d0), generations[1].Post).ConfigureAwait(false);
        await AddAsync("unknown_chain_id", E2eChatFailure.UnknownSenderKey, Holding(d0), Resigned(f0 with { ChainId = f0.ChainId ^ 0x80 })).ConfigureAwait(false);
        byte[][] sixGenerations = [.. generations.Select(g => g.Distribution)];
        await AddAsync("unknown_evicted_generation", E2eChatFailure.UnknownSenderKey, Holding(sixGenerations), m0).ConfigureAwait(false);
        byte[][] resentFirst = [.. sixGenerations[..5], sixGenerations[0], sixGenerations[5]];
        await AddAsync("unknown_evicted_after_resent_first", E2eChatFailure.UnknownSenderKey, Holding(resentFirst), generations[1].Post).ConfigureAwait(false);

        // BadSignature: the generation's signing key does not verify the signature (strictly).
        await AddAsync("bad_signature_flipped", E2eChatFailure.BadSignature, Holding(d0), (f0 with { Signature = VectorBytes.Flip(f0.Signature, 10) }).Encode()).ConfigureAwait(false);
        await AddAsync("bad_signature_s_not_reduced", E2eChatFailure.BadSignature, Holding(d0), (f0 with { Signature = SenderKeyForge.UnreducedS(f0.Signature) }).Encode()).ConfigureAwait(false);
        await AddAsync("bad_signature_changed_expiry", E2eChatFailure.BadSignature, Holding(d0), (f0 with { ExpiresAtMilliseconds = Now + Day }).Encode()).ConfigureAwait(false);
        await AddAsync("bad_signature_changed_iteration", E2eChatFailure.BadSignature, Holding(d0), (f0 with { Iteration = 1 }).Encode()).ConfigureAwait(false);
        await AddAsync("bad_signature_other_generation_key", E2eChatFailure.BadSignature, Holding(d0, generations[1].Distribution), f0.SignAndEncode(generations[1].Keys.SigningSeed)).ConfigureAwait(false);
        await AddAsync("bad_signature_replaced_signing_key", E2eChatFailure.BadSignature, Holding(d0, replaced), m0).ConfigureAwait(false);
        await AddAsync("bad_signature_resent_generation_kept", E2eChatFailure.BadSignature, Holding(resentFirst), (f0 with { Signature = VectorBytes.Flip(f0.Signature, 40) }).Encode()).ConfigureAwait(false);
        SenderKeyForge.Fields f2 = SenderKeyForge.Parse(m2);
        await AddAsync("bad_signature_before_expired", E2eChatFailure.BadSignature, Holding(d0), (f2 with { Signature = VectorBytes.Flip(f2.Signature, 0) }).Encode(), Now + Day).ConfigureAwait(false);

        // Expired: expires_at_ms nonzero and not after the receiver's clock.
        await AddAsync("expired_at_expiry", E2eChatFailure.Expired, Holding(d0), m2, Now + Day).ConfigureAwait(false);
        await AddAsync("expired_after_expiry", E2eChatFailure.Expired, Holding(d0), m2, Now + Day + 1).ConfigureAwait(false);
        await AddAsync("expired_before_duplicate", E2eChatFailure.Expired, Holding(d0).Deliver(m2, Now), m2, Now + Day).ConfigureAwait(false);

        // TooBigGap: more than 2000 keys to derive.
        await AddAsync("too_big_gap_2001", E2eChatFailure.TooBigGap, Holding(d0), m2001).ConfigureAwait(false);
        await AddAsync("too_big_gap_after_delivery", E2eChatFailure.TooBigGap, Holding(d0).Deliver(m0, Now), m2002).ConfigureAwait(false);
        await AddAsync("too_big_gap_before_decrypting", E2eChatFailure.TooBigGap, Holding(d0), Tampered(f2001)).ConfigureAwait(false);

        // Duplicate: an iteration below Nr whose key is not held.
        await AddAsync("duplicate_replay", E2eChatFailure.Duplicate, Holding(d0).Deliver(m0, Now), m0).ConfigureAwait(false);
        await AddAsync("duplicate_skipped_key_used", E2eChatFailure.Duplicate, Holding(d0).Deliver(m2, Now).Deliver(m0, Now), m0).ConfigureAwait(false);
        await AddAsync("duplicate_before_join", E2eChatFailure.Duplicate, Holding(d2), m0).ConfigureAwait(false);
        await AddAsync("duplicate_evicted_skipped_key", E2eChatFailure.Duplicate, Holding(d0).Deliver(m2000, Now).Deliver(m2002, Now), m0).ConfigureAwait(false);
        await AddAsync("duplicate_deleted_with_expired_post", E2eChatFailure.Duplicate, Holding(d0).Deliver(m2, Now).DeleteExpired(Now + Day), m1, Now + Day).ConfigureAwait(false);
        await AddAsync("duplicate_after_resent_distribution", E2eChatFailure.Duplicate, Holding(d0).Deliver(m0, Now).Distribution(d0), m0).ConfigureAwait(false);

        // InvalidCiphertext: the key is found but the payload does not authenticate.
        await AddAsync("invalid_ciphertext", E2eChatFailure.InvalidCiphertext, Holding(d0), Tampered(f0)).ConfigureAwait(false);
        await AddAsync("invalid_ciphertext_other_post_payload", E2eChatFailure.InvalidCiphertext, Holding(d0), Resigned(f0 with { Ciphertext = f1.Ciphertext })).ConfigureAwait(false);
        await AddAsync("invalid_ciphertext_skipped_key", E2eChatFailure.InvalidCiphertext, Holding(d0).Deliver(m2, Now), Tampered(f1)).ConfigureAwait(false);
        await AddAsync("invalid_ciphertext_after_gap", E2eChatFailure.InvalidCiphertext, Holding(d0), Tampered(f3)).ConfigureAwait(false);
        await AddAsync("invalid_ciphertext_evicted_neighbour_held", E2eChatFailure.InvalidCiphertext, Holding(d0).Deliver(m2000, Now).Deliver(m2002, Now), Tampered(f1)).ConfigureAwait(false);
        await AddAsync("invalid_ciphertext_key_kept_before_deletion_time", E2eChatFailure.InvalidCiphertext, Holding(d0).Deliver(m2, Now).DeleteExpired(Now + Day - 1), Tampered(f1), Now + Day - 1).ConfigureAwait(false);
        await AddAsync("invalid_ciphertext_key_without_expiry_kept", E2eChatFailure.InvalidCiphertext, Holding(d0).Deliver(m3, Now).DeleteExpired(Now + (10 * Day)), Tampered(f1), Now + (10 * Day)).ConfigureAwait(false);

        // InvalidPadding: the payload authenticates but does not unpad.
        byte[] noMarker = new byte[64];
        VectorBytes.Text("post 0").CopyTo(noMarker, 0);
        noMarker[63] = 0x01;
        byte[] marker81 = new byte[64];
        marker81[0] = (byte)'x';
        marker81[1] = 0x81;
        await AddAsync("invalid_padding_all_zero", E2eChatFailure.InvalidPadding, Holding(d0), Padded(f0, new byte[64])).ConfigureAwait(false);
        await AddAsync("invalid_padding_no_marker", E2eChatFailure.InvalidPadding, Holding(d0), Padded(f0, noMarker)).ConfigureAwait(false);
        await AddAsync("invalid_padding_marker_81", E2eChatFailure.InvalidPadding, Holding(d0), Padded(f0, marker81)).ConfigureAwait(false);
        await AddAsync("invalid_padding_skipped_key", E2eChatFailure.InvalidPadding, Holding(d0).Deliver(m2, Now), Padded(f1, new byte[128])).ConfigureAwait(false);

        // Skipped keys and expiry when the revealing post's expires_at_ms is not now + 24 h (issue
        // 18): delete_after_ms is the receiver's clock at that decryption + 24 h whatever the post's
        // expiry, and decryption itself does not consult it (only DeleteExpiredKeys does).
        const ulong FiveMinutes = 5 * 60 * 1000;
        byte[] Reexpired(SenderKeyForge.Fields fields, ulong expiresAt, string text)
        {
            SenderKeyForge.Fields changed = fields with { ExpiresAtMilliseconds = expiresAt };
            byte[] padded = new byte[Padding.GetPaddedLength(VectorBytes.Text(text).Length)];
            Padding.Pad(VectorBytes.Text(text), padded);
            return Resigned(changed with { Ciphertext = SenderKeyForge.EncryptPadded(changed, SenderKeyForge.MessageKey(first.ChainKey, 0, fields.Iteration), padded) });
        }

        SenderKeyForge.Fields f2Fields = SenderKeyForge.Parse(m2);
        byte[] longLived = Reexpired(f2Fields, Now + (2 * Day), "status living 48 hours");
        byte[] shortLived = Reexpired(f2Fields, Now + FiveMinutes, "status living 5 minutes");
        await AddAsync("duplicate_deleted_24h_after_decryption_before_post_expiry", E2eChatFailure.Duplicate, Holding(d0).Deliver(longLived, Now).DeleteExpired(Now + Day), m1, Now + Day).ConfigureAwait(false);
        await AddAsync("invalid_ciphertext_key_kept_after_revealing_post_expired", E2eChatFailure.InvalidCiphertext, Holding(d0).Deliver(shortLived, Now).DeleteExpired(Now + (2 * FiveMinutes)).Deliver(m1, Now + (2 * FiveMinutes)), Tampered(f0), Now + (2 * FiveMinutes)).ConfigureAwait(false);
        await AddAsync("invalid_ciphertext_key_kept_24h_from_decryption_clock", E2eChatFailure.InvalidCiphertext, Holding(d0).Deliver(longLived, Now + (Day / 2)).DeleteExpired(Now + Day), Tampered(f1), Now + Day).ConfigureAwait(false);
        await AddAsync("invalid_ciphertext_past_delete_after_not_swept", E2eChatFailure.InvalidCiphertext, Holding(d0).Deliver(longLived, Now), Tampered(f1), Now + Day + 1).ConfigureAwait(false);
    }

    private static byte[] Distribution(GroupSender sender)
    {
        using SecretBuffer message = sender.CreateDistributionMessage();
        return message.Span.ToArray();
    }

    private static byte[] Post(GroupSender sender, string text, ulong expiresAtMilliseconds) =>
        sender.Encrypt(VectorBytes.Text(text), expiresAtMilliseconds).Body.ToArray();

    /// <summary>A sender's current generation as the generator needs it: its ids, chain key and signing seed.</summary>
    private sealed record Generation(byte[] DistributionId, uint ChainId, byte[] ChainKey, byte[] SigningSeed)
    {
        internal static Generation Of(GroupSender sender)
        {
            byte[] serialized = sender.Serialize();
            try
            {
                GroupSenderData data = GroupSenderFile.Parser.ParseFrom(serialized).Sender;
                return new Generation(data.DistributionId.ToByteArray(), data.ChainId, data.ChainKey.ToByteArray(), data.SigningKeySeed.ToByteArray());
            }
            finally
            {
                CryptographicOperations.ZeroMemory(serialized);
            }
        }
    }
}
