using E2eChat.Handshake;
using E2eChat.Ratchet;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>kdf.json</c>: KDF_RK, KDF_CK and MessageKeys (PROTOCOL.md 5.2), the sender-key message keys
/// (section 7) and the handshake KDF (section 4 step 5), each on several inputs.
/// </summary>
internal sealed class KdfVectors() : SynchronousVectorSuite(File)
{
    private const string File = "kdf.json";
    private const int KeyLength = 32;

    /// <inheritdoc/>
    private protected override List<JsonObject> Generate()
    {
        var vectors = new List<JsonObject>();
        foreach ((string name, Func<RandomSource, byte[]> rk, Func<RandomSource, byte[]> dh) in Cases())
        {
            using DeterministicRandomSource random = VectorSeeds.For(File, $"kdf_rk_{name}");
            vectors.Add(RootStep($"kdf_rk_{name}", rk(random), dh(random)));
        }

        // A chain: each vector's chain_key is the previous vector's next_chain_key.
        byte[] chainKey;
        using (DeterministicRandomSource random = VectorSeeds.For(File, "kdf_ck_chain"))
        {
            chainKey = random.Draw(KeyLength);
        }

        for (int i = 0; i < 4; i++)
        {
            JsonObject vector = ChainStep($"kdf_ck_chain_{i}", chainKey);
            chainKey = VectorJson.Bytes(vector, "next_chain_key");
            vectors.Add(vector);
        }

        vectors.Add(ChainStep("kdf_ck_zero", new byte[KeyLength]));
        vectors.Add(ChainStep("kdf_ck_ff", Filled(KeyLength, 0xff)));

        foreach ((string name, Func<RandomSource, byte[]> seed, _) in Cases())
        {
            using DeterministicRandomSource random = VectorSeeds.For(File, $"message_keys_{name}");
            vectors.Add(MessageKeyStep($"message_keys_{name}", seed(random)));
        }

        foreach ((string name, Func<RandomSource, byte[]> seed, _) in Cases())
        {
            using DeterministicRandomSource random = VectorSeeds.For(File, $"sender_message_keys_{name}");
            vectors.Add(SenderMessageKeyStep($"sender_message_keys_{name}", seed(random)));
        }

        // IKM = 0xFF*32 || DH1 || DH2 || DH3 [|| DH4] || SS: 160 bytes without DH4, 192 with.
        foreach ((string name, int dhCount) in new[] { ("three_dh_a", 3), ("three_dh_b", 3), ("four_dh_a", 4), ("four_dh_b", 4) })
        {
            using DeterministicRandomSource random = VectorSeeds.For(File, $"handshake_kdf_{name}");
            byte[] ikm = [.. Filled(KeyLength, 0xff), .. random.Draw((dhCount * KeyLength) + MlKem768.SharedSecretLength)];
            vectors.Add(HandshakeStep($"handshake_kdf_{name}", ikm, HandshakeVectors.AliceAddress, HandshakeVectors.BobAddress));
        }

        // The addresses in the info: the longest name, the largest device, one-character names.
        foreach ((string name, ProtocolAddress initiator, ProtocolAddress responder) in new[]
        {
            ("addresses_longest", new ProtocolAddress(new string('z', ProtocolAddress.MaxNameLength), ProtocolAddress.MaxDeviceId), new ProtocolAddress("acme-shoes.eu_1", 2)),
            ("addresses_short", new ProtocolAddress("a", 1), new ProtocolAddress("b", 1)),
            ("addresses_swapped", HandshakeVectors.BobAddress, HandshakeVectors.AliceAddress),
        })
        {
            using DeterministicRandomSource random = VectorSeeds.For(File, $"handshake_kdf_{name}");
            byte[] ikm = [.. Filled(KeyLength, 0xff), .. random.Draw((3 * KeyLength) + MlKem768.SharedSecretLength)];
            vectors.Add(HandshakeStep($"handshake_kdf_{name}", ikm, initiator, responder));
        }

        return vectors;
    }

    /// <inheritdoc/>
    private protected override void Verify(string kind, string name, JsonObject vector)
    {
        JsonObject computed = kind switch
        {
            "kdf_rk" => RootStep(name, VectorJson.Bytes(vector, "rk"), VectorJson.Bytes(vector, "dh")),
            "kdf_ck" => ChainStep(name, VectorJson.Bytes(vector, "chain_key")),
            "message_keys" => MessageKeyStep(name, VectorJson.Bytes(vector, "message_key_seed")),
            "sender_message_keys" => SenderMessageKeyStep(name, VectorJson.Bytes(vector, "message_key_seed")),
            "handshake_kdf" => HandshakeStep(name, VectorJson.Bytes(vector, "ikm"), VectorJson.Address(vector, "initiator_address"), VectorJson.Address(vector, "responder_address")),
            _ => throw UnknownKind(kind),
        };
        Outputs.Compare(vector, computed);
    }

    private static IEnumerable<(string Name, Func<RandomSource, byte[]> First, Func<RandomSource, byte[]> Second)> Cases()
    {
        yield return ("random_1", r => r.Draw(KeyLength), r => r.Draw(KeyLength));
        yield return ("random_2", r => r.Draw(KeyLength), r => r.Draw(KeyLength));
        yield return ("random_3", r => r.Draw(KeyLength), r => r.Draw(KeyLength));
        yield return ("zero", _ => new byte[KeyLength], _ => new byte[KeyLength]);
        yield return ("ff", _ => Filled(KeyLength, 0xff), _ => Filled(KeyLength, 0xff));
    }

    private static byte[] Filled(int length, byte value)
    {
        byte[] bytes = new byte[length];
        bytes.AsSpan().Fill(value);
        return bytes;
    }

    private static JsonObject RootStep(string name, byte[] rootKey, byte[] dh)
    {
        byte[] nextRootKey = new byte[KeyLength];
        byte[] chainKey = new byte[KeyLength];
        byte[] nextHeaderKey = new byte[KeyLength];
        RootKdf.Advance(rootKey, dh, nextRootKey, chainKey, nextHeaderKey);
        return new JsonObject
        {
            ["name"] = name,
            ["kind"] = "kdf_rk",
            ["rk"] = Hex.Encode(rootKey),
            ["dh"] = Hex.Encode(dh),
            ["root_key"] = Hex.Encode(nextRootKey),
            ["chain_key"] = Hex.Encode(chainKey),
            ["next_header_key"] = Hex.Encode(nextHeaderKey),
        };
    }

    private static JsonObject ChainStep(string name, byte[] chainKey)
    {
        byte[] messageKey = new byte[KeyLength];
        byte[] nextChainKey = new byte[KeyLength];
        ChainKdf.Advance(chainKey, messageKey, nextChainKey);
        return new JsonObject
        {
            ["name"] = name,
            ["kind"] = "kdf_ck",
            ["chain_key"] = Hex.Encode(chainKey),
            ["message_key_seed"] = Hex.Encode(messageKey),
            ["next_chain_key"] = Hex.Encode(nextChainKey),
        };
    }

    private static JsonObject MessageKeyStep(string name, byte[] messageKey)
    {
        byte[] expanded = new byte[MessageKeys.Length];
        MessageKeys.Expand(messageKey, expanded);
        return MessageKeyVector(name, "message_keys", messageKey, expanded);
    }

    /// <summary>
    /// Section 7's message keys, through the expansion the sender-key cipher uses
    /// (<c>MessageKeys.ExpandWithLabel</c> with the sender-key label, as <c>SenderKeyCipher</c> calls it).
    /// </summary>
    private static JsonObject SenderMessageKeyStep(string name, byte[] messageKey)
    {
        if (messageKey.Length != KeyLength)
        {
            throw new VectorFormatException($"message_key_seed: expected {KeyLength} bytes");
        }

        byte[] expanded = new byte[MessageKeys.Length];
        MessageKeys.ExpandWithLabel(messageKey, ProtocolLabels.SenderKeyMessageKey, expanded);
        return MessageKeyVector(name, "sender_message_keys", messageKey, expanded);
    }

    /// <summary>A message-key vector: the seed and the key and nonce of its <paramref name="expanded"/> form.</summary>
    private static JsonObject MessageKeyVector(string name, string kind, byte[] messageKey, byte[] expanded) => new()
    {
        ["name"] = name,
        ["kind"] = kind,
        ["message_key_seed"] = Hex.Encode(messageKey),
        ["key"] = Hex.Encode(MessageKeys.Key(expanded)),
        ["nonce"] = Hex.Encode(MessageKeys.Nonce(expanded)),
    };

    private static JsonObject HandshakeStep(string name, byte[] ikm, ProtocolAddress initiator, ProtocolAddress responder)
    {
        // The associated data is not part of this vector; any two identities do.
        using IdentityKeyPair identity = IdentityKeyPair.Import(new byte[IdentityKeyPair.PrivateKeyLength]);
        var transcript = new HandshakeTranscript();
        using HandshakeSecrets secrets = HandshakeSecrets.Derive(ikm, identity.PublicKey, identity.PublicKey, initiator, responder, transcript);
        return new JsonObject
        {
            ["name"] = name,
            ["kind"] = "handshake_kdf",
            ["ikm"] = Hex.Encode(ikm),
            ["initiator_address"] = VectorJson.AddressJson(initiator),
            ["responder_address"] = VectorJson.AddressJson(responder),
            ["info"] = Hex.Encode(transcript.Info),
            ["root_key"] = Hex.Encode(secrets.RootKey.Span),
            ["header_key_a"] = Hex.Encode(secrets.InitiatorHeaderKey.Span),
            ["next_header_key_b"] = Hex.Encode(secrets.ResponderNextHeaderKey.Span),
            ["session_binding"] = Hex.Encode(secrets.SessionBinding.Span),
        };
    }
}
