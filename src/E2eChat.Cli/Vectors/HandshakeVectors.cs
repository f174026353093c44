using E2eChat.Handshake;
using E2eChat.Ratchet;
using E2eChat.Relay;
using E2eChat.Wire;
using Google.Protobuf;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>handshake.json</c>: complete PQXDH handshakes with every intermediate value (PROTOCOL.md 4),
/// pre-key messages Bob must refuse, and bundles Alice must refuse.
/// </summary>
internal sealed class HandshakeVectors() : VectorSuite(File)
{
    internal const string File = "handshake.json";

    /// <summary>Alice's address in the handshakes and the first messages of <see cref="FirstMessage"/>.</summary>
    internal static ProtocolAddress AliceAddress { get; } = new("alice", 1);

    /// <summary>Bob's address in the handshakes and the first messages of <see cref="FirstMessage"/>.</summary>
    internal static ProtocolAddress BobAddress { get; } = new("acme-shoes", 2);

    /// <inheritdoc/>
    public override async ValueTask<IReadOnlyList<JsonObject>> GenerateAsync()
    {
        var vectors = new List<JsonObject>();
        foreach ((string name, uint oneTimeId, bool lastResort) in new[]
        {
            ("handshake_one_time_prekey_one_time_kem", 11u, false),
            ("handshake_one_time_prekey_last_resort_kem", 12u, true),
            ("handshake_no_one_time_prekey_one_time_kem", 0u, false),
            ("handshake_no_one_time_prekey_last_resort_kem", 0u, true),
        })
        {
            using DeterministicRandomSource random = VectorSeeds.For(File, name);
            PartyKeys alice = PartyKeys.DrawIdentity(random);
            PartyKeys bob = PartyKeys.DrawWithPreKeys(random, 3, oneTimeId, 21, lastResort);
            vectors.Add(await HandshakeAsync(name, alice, bob, AliceAddress, BobAddress, random).ConfigureAwait(false));
        }

        await AddInvalidMessagesAsync(vectors).ConfigureAwait(false);
        AddInvalidBundles(vectors);
        await InitiatorTrustVectors.AddAsync(vectors).ConfigureAwait(false);
        await PreKeyDecodingVectors.AddAsync(vectors).ConfigureAwait(false);
        await SessionTrustVectors.AddAsync(vectors).ConfigureAwait(false);
        return vectors;
    }

    /// <inheritdoc/>
    private protected override async ValueTask VerifyAsync(string kind, string name, JsonObject vector)
    {
        switch (kind)
        {
            case "handshake":
            {
                PartyKeys alice = PartyKeys.ReadIdentity(VectorJson.Object(vector, "alice"));
                JsonObject bobJson = VectorJson.Object(vector, "bob");
                PartyKeys bob = PartyKeys.Read(bobJson, bobJson);
                var random = new ReplayRandomSource([.. VectorJson.Bytes(vector, "base_key_private"), .. VectorJson.Bytes(vector, "kem_encaps_m")]);
                JsonObject computed = await HandshakeAsync(
                    name, alice, bob, VectorJson.Address(vector, "alice_address"), VectorJson.Address(vector, "bob_address"), random).ConfigureAwait(false);
                random.EnsureConsumed("base_key_private, kem_encaps_m");
                Outputs.Compare(vector, computed);
                break;
            }

            case "handshake_invalid":
            {
                PartyKeys alice = PartyKeys.ReadIdentity(VectorJson.Object(vector, "alice"));
                JsonObject bobJson = VectorJson.Object(vector, "bob");
                PartyKeys bob = PartyKeys.Read(bobJson, bobJson);
                JsonObject computed = await InvalidMessageAsync(
                    name,
                    alice,
                    bob,
                    VectorJson.Bytes(vector, "base_key_private"),
                    VectorJson.Bytes(vector, "kem_encaps_m"),
                    VectorJson.Bytes(vector, "prekey_message"),
                    VectorJson.Bool(vector, "replay"),
                    vector.ContainsKey("trusted_identity") ? VectorJson.Bytes(vector, "trusted_identity") : null,
                    VectorJson.Address(vector, "alice_address"),
                    VectorJson.Address(vector, "bob_address")).ConfigureAwait(false);
                Outputs.Compare(vector, computed);
                break;
            }

            case "handshake_bundle_invalid":
            {
                PartyKeys alice = PartyKeys.ReadIdentity(VectorJson.Object(vector, "alice"));
                byte[] bundle = VectorJson.Bytes(vector, "bundle");
                Outputs.Compare(vector, vector.ContainsKey("trusted_identity")
                    ? await InitiatorTrustVectors.InvalidBundleAsync(name, alice, bundle, VectorJson.Bytes(vector, "trusted_identity")).ConfigureAwait(false)
                    : InvalidBundle(name, alice, bundle));
                break;
            }

            case "session_encrypt_trust":
                await SessionTrustVectors.VerifyAsync(name, vector).ConfigureAwait(false);
                break;
            default:
                throw UnknownKind(kind);
        }
    }

    /// <summary>
    /// Runs the initiator with <paramref name="random"/> (the seeded stream when generating, the
    /// recorded values when verifying) and the responder on the resulting pre-key message; both must
    /// derive the same values.
    /// </summary>
    internal static async ValueTask<JsonObject> HandshakeAsync(string name, PartyKeys alice, PartyKeys bob, ProtocolAddress aliceAddress, ProtocolAddress bobAddress, RandomSource random)
    {
        using IdentityKeyPair aliceIdentity = alice.CreateIdentity();
        using PartyStores bobStores = await PartyStores.CreateAsync(bob).ConfigureAwait(false);
        PreKeyBundle bundle = bob.CreateBundle(bobStores.Identity);
        var recording = new RecordingRandomSource(random);
        var initiator = new HandshakeTranscript();
        using InitiatorHandshakeResult result = InitiatorHandshake.Create(aliceIdentity, aliceAddress, bobAddress, bundle, recording, initiator);
        byte[] drawn = recording.TakeRecorded();
        Expect.Equal("randomness drawn by the initiator", [.. initiator.EphemeralPrivateKey!, .. initiator.KemEncapsulationSeed!], drawn);

        var responder = new HandshakeTranscript();
        Wire.Proto.PreKeyMessage message = result.PendingPreKey.ToMessage(new Wire.Proto.RatchetMessage());
        (E2eChatFailure failure, ResponderHandshakeResult? accepted) = await ResponderHandshake.AcceptAsync(
            bobStores.Identity, bobAddress, aliceAddress, message, bobStores.IdentityStore, bobStores.SignedPreKeys, bobStores.OneTimePreKeys, bobStores.KemPreKeys, responder).ConfigureAwait(false);
        Expect.True(failure == E2eChatFailure.None, $"the responder refused the handshake: {failure}");
        using (accepted)
        {
            Expect.Equal("dh1 (responder)", initiator.Dh1, responder.Dh1);
            Expect.Equal("dh2 (responder)", initiator.Dh2, responder.Dh2);
            Expect.Equal("dh3 (responder)", initiator.Dh3, responder.Dh3);
            Expect.Equal("dh4 (responder)", initiator.Dh4 ?? [], responder.Dh4 ?? []);
            Expect.Equal("kem_shared_secret (responder)", initiator.KemSharedSecret, responder.KemSharedSecret);
            Expect.Equal("info (responder)", initiator.Info, responder.Info);
            Expect.True(accepted!.Secrets.ContentEquals(result.Secrets), "the responder derived different secrets");
        }

        HandshakeSecrets secrets = result.Secrets;
        JsonObject vector = Attempt(name, "handshake", alice, bob, aliceAddress, bobAddress, initiator.EphemeralPrivateKey!, initiator.KemEncapsulationSeed!);
        vector["dh1"] = Hex.Encode(initiator.Dh1);
        vector["dh2"] = Hex.Encode(initiator.Dh2);
        vector["dh3"] = Hex.Encode(initiator.Dh3);
        vector["dh4"] = Hex.Encode(initiator.Dh4);
        vector["kem_ciphertext"] = Hex.Encode(initiator.KemCiphertext);
        vector["kem_shared_secret"] = Hex.Encode(initiator.KemSharedSecret);
        vector["info"] = Hex.Encode(initiator.Info);
        vector["root_key"] = Hex.Encode(secrets.RootKey.Span);
        vector["header_key_a"] = Hex.Encode(secrets.InitiatorHeaderKey.Span);
        vector["next_header_key_b"] = Hex.Encode(secrets.ResponderNextHeaderKey.Span);
        vector["session_binding"] = Hex.Encode(secrets.SessionBinding.Span);
        vector["associated_data"] = Hex.Encode(secrets.AssociatedData.Span);
        return vector;
    }

    private static async ValueTask AddInvalidMessagesAsync(List<JsonObject> vectors)
    {
        // Alice's first message to a Bob with a one-time pre-key and a one-time KEM pre-key.
        using DeterministicRandomSource random = VectorSeeds.For(File, "handshake_invalid");
        PartyKeys alice = PartyKeys.DrawIdentity(random);
        PartyKeys bob = PartyKeys.DrawWithPreKeys(random, 5, 55, 25, kemLastResort: false);
        (byte[] baseKey, byte[] m, byte[] valid) = FirstMessage(alice, bob, random);
        using IdentityKeyPair mallory = PartyKeys.DrawIdentity(random).CreateIdentity();
        byte[] otherBaseKey = VectorBytes.X25519Public(random.Draw(X25519.KeyLength));

        async ValueTask AddAsync(string name, string failure, Action<Wire.Proto.PreKeyMessage> change, bool replay = false, byte[]? trustedIdentity = null, ProtocolAddress? sender = null, ProtocolAddress? recipient = null)
        {
            Wire.Proto.PreKeyMessage message = Wire.Proto.PreKeyMessage.Parser.ParseFrom(valid);
            change(message);
            await AddBytesAsync(name, failure, message.ToByteArray(), replay, trustedIdentity, sender, recipient).ConfigureAwait(false);
        }

        async ValueTask AddBytesAsync(string name, string failure, byte[] message, bool replay = false, byte[]? trustedIdentity = null, ProtocolAddress? sender = null, ProtocolAddress? recipient = null)
        {
            JsonObject vector = await InvalidMessageAsync(
                name, alice, bob, baseKey, m, message, replay, trustedIdentity, sender ?? AliceAddress, recipient ?? BobAddress).ConfigureAwait(false);
            vectors.Add(Expect.Fails(vector, failure));
        }

        await AddAsync("handshake_invalid_identity_bad_signature", nameof(E2eChatFailure.InvalidIdentityKey), msg => msg.IdentityKey = VectorBytes.Flip(msg.IdentityKey, 90)).ConfigureAwait(false);
        await AddAsync("handshake_invalid_identity_short", nameof(E2eChatFailure.Malformed), msg => msg.IdentityKey = ByteString.CopyFrom(msg.IdentityKey.Span[..127])).ConfigureAwait(false);
        for (int i = 0; i < KeyVectors.LowOrderPoints.Length; i++)
        {
            byte[] point = Convert.FromHexString(KeyVectors.LowOrderPoints[i]);
            await AddAsync($"handshake_invalid_low_order_base_key_{i}", nameof(E2eChatFailure.InvalidBaseKey), msg => msg.BaseKey = ByteString.CopyFrom(point)).ConfigureAwait(false);
        }

        await AddAsync("handshake_invalid_non_canonical_base_key", nameof(E2eChatFailure.InvalidBaseKey), msg => msg.BaseKey = VectorBytes.Flip(msg.BaseKey, 31, 0x80)).ConfigureAwait(false);
        await AddAsync("handshake_invalid_short_kem_ciphertext", nameof(E2eChatFailure.Malformed), msg => msg.KemCiphertext = ByteString.CopyFrom(msg.KemCiphertext.Span[..^1])).ConfigureAwait(false);
        await AddAsync("handshake_invalid_unknown_signed_prekey", nameof(E2eChatFailure.UnknownSignedPreKey), msg => msg.SignedPrekeyId = 6).ConfigureAwait(false);
        await AddAsync("handshake_invalid_zero_signed_prekey_id", nameof(E2eChatFailure.Malformed), msg => msg.SignedPrekeyId = 0).ConfigureAwait(false);
        await AddAsync("handshake_invalid_unknown_one_time_prekey", nameof(E2eChatFailure.UnknownOneTimePreKey), msg => msg.OneTimePrekeyId = 56).ConfigureAwait(false);
        await AddAsync("handshake_invalid_unknown_kem_prekey", nameof(E2eChatFailure.UnknownKemPreKey), msg => msg.KemPrekeyId = 26).ConfigureAwait(false);
        await AddAsync("handshake_invalid_zero_kem_prekey_id", nameof(E2eChatFailure.Malformed), msg => msg.KemPrekeyId = 0).ConfigureAwait(false);
        await AddAsync("handshake_invalid_replayed_after_consumption", nameof(E2eChatFailure.UnknownOneTimePreKey), _ => { }, replay: true).ConfigureAwait(false);

        // Tampering the implementation cannot see in the handshake itself: the derived keys differ,
        // so the inner ratchet message fails (section 4, responder steps 6 and 7).
        await AddAsync("handshake_invalid_tampered_kem_ciphertext", nameof(E2eChatFailure.InvalidHeader), msg => msg.KemCiphertext = VectorBytes.Flip(msg.KemCiphertext, 500)).ConfigureAwait(false);
        await AddAsync("handshake_invalid_other_base_key", nameof(E2eChatFailure.InvalidHeader), msg => msg.BaseKey = ByteString.CopyFrom(otherBaseKey)).ConfigureAwait(false);
        await AddAsync("handshake_invalid_other_identity", nameof(E2eChatFailure.InvalidHeader), msg => msg.IdentityKey = ByteString.CopyFrom(mallory.PublicKey.AsSpan())).ConfigureAwait(false);
        await AddAsync("handshake_invalid_one_time_prekey_dropped", nameof(E2eChatFailure.InvalidHeader), msg => msg.OneTimePrekeyId = 0).ConfigureAwait(false);
        await AddAsync("handshake_invalid_tampered_header", nameof(E2eChatFailure.InvalidHeader), msg => msg.Message.Header = VectorBytes.Flip(msg.Message.Header, 40)).ConfigureAwait(false);
        await AddAsync("handshake_invalid_tampered_ciphertext", nameof(E2eChatFailure.InvalidCiphertext), msg => msg.Message.Ciphertext = VectorBytes.Flip(msg.Message.Ciphertext, 3)).ConfigureAwait(false);

        // A relay that shows the message under another sender address (another account, or another
        // device of Alice's) or delivers it to another of Bob's devices: both addresses are bound into
        // the handshake (section 4 step 5), so the keys differ and the inner message fails.
        await AddAsync("handshake_invalid_readdressed_sender", nameof(E2eChatFailure.InvalidHeader), _ => { }, sender: new ProtocolAddress("mallory", 1)).ConfigureAwait(false);
        await AddAsync("handshake_invalid_readdressed_sender_device", nameof(E2eChatFailure.InvalidHeader), _ => { }, sender: new ProtocolAddress(AliceAddress.Name, 2)).ConfigureAwait(false);
        await AddAsync("handshake_invalid_readdressed_recipient_device", nameof(E2eChatFailure.InvalidHeader), _ => { }, recipient: new ProtocolAddress(BobAddress.Name, 1)).ConfigureAwait(false);
        await AddAsync("handshake_invalid_addresses_swapped", nameof(E2eChatFailure.InvalidHeader), _ => { }, sender: BobAddress, recipient: AliceAddress).ConfigureAwait(false);

        // Bodies a relay refuses (section 8) are refused by Bob too, before any handshake step.
        Wire.Proto.PreKeyMessage parsed = Wire.Proto.PreKeyMessage.Parser.ParseFrom(valid);
        byte[] ratchet = parsed.Message.ToByteArray();
        byte[] identity = parsed.IdentityKey.ToByteArray();
        byte[] baseKeyBytes = parsed.BaseKey.ToByteArray();
        byte[] kemCiphertext = parsed.KemCiphertext.ToByteArray();
        byte[] Body(byte[] signedId, byte[]? oneTime = null, byte[]? extra = null) => ProtoBytes.Concat(
            ProtoBytes.BytesField(1, identity),
            ProtoBytes.BytesField(2, baseKeyBytes),
            signedId,
            oneTime ?? ProtoBytes.VarintField(4, parsed.OneTimePrekeyId),
            ProtoBytes.VarintField(5, parsed.KemPrekeyId),
            ProtoBytes.BytesField(6, kemCiphertext),
            ProtoBytes.BytesField(7, ratchet),
            extra ?? []);
        byte[] signedIdField = ProtoBytes.VarintField(3, parsed.SignedPrekeyId);
        Expect.Equal("canonical re-encoding", valid, Body(signedIdField));
        byte[] nonMinimal = [.. ProtoBytes.Tag(3, 0), .. NonCanonicalVarints.NotMinimal(parsed.SignedPrekeyId)];
        await AddBytesAsync("handshake_invalid_noncanonical_varint", nameof(E2eChatFailure.Malformed), Body(nonMinimal)).ConfigureAwait(false);
        await AddBytesAsync("handshake_invalid_uint32_above_max", nameof(E2eChatFailure.Malformed), Body(signedIdField, [.. ProtoBytes.Tag(4, 0), .. ProtoBytes.Varint(((ulong)1 << 32) + parsed.OneTimePrekeyId)])).ConfigureAwait(false);
        await AddBytesAsync("handshake_invalid_unknown_field", nameof(E2eChatFailure.Malformed), Body(signedIdField, extra: ProtoBytes.VarintField(8, 1))).ConfigureAwait(false);
        await AddBytesAsync("handshake_invalid_repeated_field", nameof(E2eChatFailure.Malformed), Body([.. signedIdField, .. signedIdField])).ConfigureAwait(false);
        await AddBytesAsync("handshake_invalid_fields_out_of_order", nameof(E2eChatFailure.Malformed), Body(signedIdField, extra: ProtoBytes.VarintField(3, parsed.SignedPrekeyId))).ConfigureAwait(false);
        await AddBytesAsync("handshake_invalid_default_value_written", nameof(E2eChatFailure.Malformed), Body(signedIdField, oneTime: [.. ProtoBytes.Tag(4, 0), 0x00])).ConfigureAwait(false);
        await AddBytesAsync("handshake_invalid_truncated", nameof(E2eChatFailure.Malformed), valid[..^1]).ConfigureAwait(false);

        // Bob's identity store already holds an identity for Alice's address (section 8.1): another
        // one refuses the unchanged message; her own lets it through to the (tampered) inner message.
        using IdentityKeyPair aliceIdentity = alice.CreateIdentity();
        await AddAsync("handshake_invalid_untrusted_identity", nameof(E2eChatFailure.UntrustedIdentity), _ => { }, trustedIdentity: mallory.PublicKey.ToBytes()).ConfigureAwait(false);
        await AddAsync("handshake_invalid_trusted_identity_tampered_ciphertext", nameof(E2eChatFailure.InvalidCiphertext), msg => msg.Message.Ciphertext = VectorBytes.Flip(msg.Message.Ciphertext, 3), trustedIdentity: aliceIdentity.PublicKey.ToBytes()).ConfigureAwait(false);

        // A Bob without a one-time X25519 pre-key: the replay fails on the consumed one-time KEM pre-key.
        using DeterministicRandomSource kemOnly = VectorSeeds.For(File, "handshake_invalid_replayed_one_time_kem");
        PartyKeys alice2 = PartyKeys.DrawIdentity(kemOnly);
        PartyKeys bob2 = PartyKeys.DrawWithPreKeys(kemOnly, 9, 0, 29, kemLastResort: false);
        (byte[] baseKey2, byte[] m2, byte[] valid2) = FirstMessage(alice2, bob2, kemOnly);
        vectors.Add(Expect.Fails(
            await InvalidMessageAsync("handshake_invalid_replayed_one_time_kem", alice2, bob2, baseKey2, m2, valid2, replay: true, trustedIdentity: null, AliceAddress, BobAddress).ConfigureAwait(false),
            nameof(E2eChatFailure.UnknownKemPreKey)));
    }

    private static void AddInvalidBundles(List<JsonObject> vectors)
    {
        // A key directory substituting pre-keys in Bob's bundle.
        using DeterministicRandomSource random = VectorSeeds.For(File, "handshake_bundle_invalid");
        PartyKeys alice = PartyKeys.DrawIdentity(random);
        PartyKeys bob = PartyKeys.DrawWithPreKeys(random, 4, 44, 24, kemLastResort: true);
        PartyKeys mallory = PartyKeys.DrawWithPreKeys(random, 4, 44, 24, kemLastResort: true);
        byte[] bobBundle;
        byte[] malloryBundle;
        using (IdentityKeyPair bobIdentity = bob.CreateIdentity())
        using (IdentityKeyPair malloryIdentity = mallory.CreateIdentity())
        {
            bobBundle = bob.CreateBundle(bobIdentity).ToBytes();
            malloryBundle = mallory.CreateBundle(malloryIdentity).ToBytes();
        }

        var substitute = Wire.Proto.PreKeyBundle.Parser.ParseFrom(malloryBundle);

        void Add(string name, E2eChatFailure failure, Action<Wire.Proto.PreKeyBundle> change)
        {
            Wire.Proto.PreKeyBundle message = Wire.Proto.PreKeyBundle.Parser.ParseFrom(bobBundle);
            change(message);
            vectors.Add(Expect.Fails(InvalidBundle(name, alice, message.ToByteArray()), failure.ToString()));
        }

        Add("handshake_bundle_signed_prekey_substituted", E2eChatFailure.BadSignedPreKeySignature, b => b.SignedPrekey = substitute.SignedPrekey);
        Add("handshake_bundle_signed_prekey_substituted_with_its_signature", E2eChatFailure.BadSignedPreKeySignature, b =>
        {
            b.SignedPrekey = substitute.SignedPrekey;
            b.SignedPrekeySignature = substitute.SignedPrekeySignature;
        });
        Add("handshake_bundle_kem_prekey_substituted", E2eChatFailure.BadKemPreKeySignature, b => b.KemPrekey = substitute.KemPrekey);
        Add("handshake_bundle_kem_prekey_substituted_with_its_signature", E2eChatFailure.BadKemPreKeySignature, b =>
        {
            b.KemPrekey = substitute.KemPrekey;
            b.KemPrekeySignature = substitute.KemPrekeySignature;
        });
        Add("handshake_bundle_kem_prekey_downgraded_to_one_time", E2eChatFailure.BadKemPreKeySignature, b => b.KemPrekeyLastResort = false);
    }

    /// <summary>Alice's first message to Bob, made by the implementation: (base key private, m, PreKeyMessage bytes).</summary>
    internal static (byte[] BaseKeyPrivate, byte[] KemEncapsM, byte[] Message) FirstMessage(PartyKeys alice, PartyKeys bob, RandomSource random)
    {
        using IdentityKeyPair aliceIdentity = alice.CreateIdentity();
        using IdentityKeyPair bobIdentity = bob.CreateIdentity();
        PreKeyBundle bundle = bob.CreateBundle(bobIdentity);
        var transcript = new HandshakeTranscript();
        using InitiatorHandshakeResult result = InitiatorHandshake.Create(aliceIdentity, AliceAddress, BobAddress, bundle, random, transcript);
        HandshakeSecrets secrets = result.Secrets;
        using RatchetState ratchet = RatchetState.InitializeInitiator(
            secrets.RootKey.Span, secrets.InitiatorHeaderKey.Span, secrets.ResponderNextHeaderKey.Span, secrets.AssociatedData.Span, result.RemoteRatchetKey, random);
        if (!ratchet.TryEncrypt("Hello Bob, this is Alice."u8, out EncryptedRatchetMessage encrypted, out E2eChatFailure failure))
        {
            throw new InvalidOperationException($"The first message failed: {failure}");
        }

        Wire.Proto.PreKeyMessage message = result.PendingPreKey.ToMessage(new Wire.Proto.RatchetMessage
        {
            Header = ByteString.CopyFrom(encrypted.Header),
            Ciphertext = ByteString.CopyFrom(encrypted.Ciphertext),
        });
        return (transcript.EphemeralPrivateKey!, transcript.KemEncapsulationSeed!, message.ToByteArray());
    }

    /// <summary>
    /// What Bob (with the pre-keys of <paramref name="bob"/>, at <paramref name="bobAddress"/>) reports
    /// for <paramref name="preKeyMessage"/> received from <paramref name="aliceAddress"/>: his session
    /// manager's answer, which runs the canonical reading of section 8 and responder steps 1 to 7 of
    /// section 4. His identity store holds <paramref name="trustedIdentity"/> for that address, or
    /// nothing when it is null or empty (any identity is trusted on first use); the vector has a
    /// <c>trusted_identity</c> field exactly when it is not null. With <paramref name="replay"/>, the
    /// message is first accepted and committed once, and the session it created is deleted.
    /// </summary>
    internal static async ValueTask<JsonObject> InvalidMessageAsync(
        string name,
        PartyKeys alice,
        PartyKeys bob,
        byte[] baseKeyPrivate,
        byte[] kemEncapsM,
        byte[] preKeyMessage,
        bool replay,
        byte[]? trustedIdentity,
        ProtocolAddress aliceAddress,
        ProtocolAddress bobAddress)
    {
        using PartyStores bobStores = await PartyStores.CreateAsync(bob).ConfigureAwait(false);
        if (trustedIdentity is { Length: > 0 })
        {
            if (!IdentityKey.TryParse(trustedIdentity, out IdentityKey? trusted, out E2eChatFailure identityFailure))
            {
                throw new VectorFormatException($"trusted_identity: not a valid identity ({identityFailure})");
            }

            await bobStores.IdentityStore.ApproveIdentityAsync(aliceAddress, trusted).ConfigureAwait(false);
        }

        using var manager = new SessionManager(bobStores.Stores, bobAddress, ReplayRandomSource.Filler());
        var message = new CiphertextMessage(EnvelopeType.PreKey, preKeyMessage);
        if (replay)
        {
            DecryptResult first = await manager.TryDecryptAsync(aliceAddress, message).ConfigureAwait(false);
            Expect.True(first.IsSuccess, $"the first acceptance of the replayed message failed: {first.Failure}");
            await bobStores.Sessions.DeleteSessionAsync(aliceAddress).ConfigureAwait(false);
        }

        DecryptResult result = await manager.TryDecryptAsync(aliceAddress, message).ConfigureAwait(false);
        JsonObject vector = Attempt(name, "handshake_invalid", alice, bob, aliceAddress, bobAddress, baseKeyPrivate, kemEncapsM);
        vector["prekey_message"] = Hex.Encode(preKeyMessage);
        vector["replay"] = replay;
        if (trustedIdentity is not null)
        {
            vector["trusted_identity"] = Hex.Encode(trustedIdentity);
        }

        vector["failure"] = result.IsSuccess ? "None" : result.Failure.ToString();
        return vector;
    }

    /// <summary>
    /// The start of a <c>handshake</c> or <c>handshake_invalid</c> vector: both parties, their
    /// addresses and Alice's two random inputs (the base key and the KEM encapsulation seed).
    /// </summary>
    private static JsonObject Attempt(
        string name, string kind, PartyKeys alice, PartyKeys bob, ProtocolAddress aliceAddress, ProtocolAddress bobAddress, byte[] baseKeyPrivate, byte[] kemEncapsM) => new()
    {
        ["name"] = name,
        ["kind"] = kind,
        ["alice"] = alice.IdentityJson(),
        ["bob"] = bob.FullJson(),
        ["alice_address"] = VectorJson.AddressJson(aliceAddress),
        ["bob_address"] = VectorJson.AddressJson(bobAddress),
        ["base_key_private"] = Hex.Encode(baseKeyPrivate),
        ["kem_encaps_m"] = Hex.Encode(kemEncapsM),
    };

    private static JsonObject InvalidBundle(string name, PartyKeys alice, byte[] bundle) => new()
    {
        ["name"] = name,
        ["kind"] = "handshake_bundle_invalid",
        ["alice"] = alice.IdentityJson(),
        ["bundle"] = Hex.Encode(bundle),
        ["failure"] = PreKeyBundle.TryParse(bundle, out _, out E2eChatFailure failure) ? "None" : failure.ToString(),
    };
}
