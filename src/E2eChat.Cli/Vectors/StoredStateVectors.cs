namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>stored.json</c>: sealed state (PROTOCOL.md section 10): sealing under a storage key with a
/// recorded nonce, and sealed bytes that must not open (<see cref="E2eChatFailure"/>).
/// </summary>
internal sealed class StoredStateVectors() : SynchronousVectorSuite(File)
{
    private const string File = "stored.json";

    /// <inheritdoc/>
    private protected override List<JsonObject> Generate()
    {
        var vectors = new List<JsonObject>();
        foreach ((string name, int length) in new[] { ("sealed_state_empty", 0), ("sealed_state_1_byte", 1), ("sealed_state_1000_bytes", 1000) })
        {
            using DeterministicRandomSource random = VectorSeeds.For(File, name);
            byte[] storageKey = random.Draw(SealedState.StorageKeyLength);
            byte[] state = random.Draw(length);
            vectors.Add(Sealed(name, storageKey, state, random.Draw(Aead.XChaChaNonceLength)));
        }

        using DeterministicRandomSource invalid = VectorSeeds.For(File, "sealed_state_invalid");
        byte[] key = invalid.Draw(SealedState.StorageKeyLength);
        byte[] otherKey = invalid.Draw(SealedState.StorageKeyLength);
        byte[] sealedState = VectorJson.Bytes(Sealed("base", key, invalid.Draw(100), invalid.Draw(Aead.XChaChaNonceLength)), "sealed");
        byte[] sealedEmpty = VectorJson.Bytes(Sealed("base", key, [], invalid.Draw(Aead.XChaChaNonceLength)), "sealed");

        void Add(string name, byte[] storageKey, byte[] bytes) =>
            vectors.Add(Expect.Fails(Invalid(name, storageKey, bytes), nameof(E2eChatFailure.Unauthentic)));

        Add("sealed_state_invalid_other_key", otherKey, sealedState);
        Add("sealed_state_invalid_version_0", key, [0x00, .. sealedState.AsSpan(1)]);
        Add("sealed_state_invalid_version_2", key, [0x02, .. sealedState.AsSpan(1)]);
        Add("sealed_state_invalid_nonce_changed", key, VectorBytes.Flip(sealedState, 5));
        Add("sealed_state_invalid_ciphertext_changed", key, VectorBytes.Flip(sealedState, 30));
        Add("sealed_state_invalid_tag_changed", key, VectorBytes.Flip(sealedState, sealedState.Length - 1));
        Add("sealed_state_invalid_truncated", key, sealedState[..^1]);
        Add("sealed_state_invalid_byte_appended", key, [.. sealedState, 0x00]);
        Add("sealed_state_invalid_40_bytes", key, sealedEmpty[..^1]);
        Add("sealed_state_invalid_empty", key, []);
        return vectors;
    }

    /// <inheritdoc/>
    private protected override void Verify(string kind, string name, JsonObject vector)
    {
        byte[] storageKey = VectorJson.Bytes(vector, "storage_key");
        switch (kind)
        {
            case "sealed_state":
                byte[] state = VectorJson.Bytes(vector, "state");
                Outputs.Compare(vector, Sealed(name, storageKey, state, VectorJson.Bytes(vector, "nonce")));
                Expect.Equal("state (opened)", state, SealedState.Open(storageKey, VectorJson.Bytes(vector, "sealed")));
                break;
            case "sealed_state_invalid":
                Outputs.Compare(vector, Invalid(name, storageKey, VectorJson.Bytes(vector, "sealed")));
                break;
            default:
                throw UnknownKind(kind);
        }
    }

    private static JsonObject Sealed(string name, byte[] storageKey, byte[] state, byte[] nonce)
    {
        var random = new ReplayRandomSource(nonce);
        byte[] sealedState = new byte[SealedState.GetSealedLength(state.Length)];
        SealedState.Seal(storageKey, state, sealedState, random);
        random.EnsureConsumed("nonce");
        return new JsonObject
        {
            ["name"] = name,
            ["kind"] = "sealed_state",
            ["storage_key"] = Hex.Encode(storageKey),
            ["nonce"] = Hex.Encode(nonce),
            ["state"] = Hex.Encode(state),
            ["sealed"] = Hex.Encode(sealedState),
        };
    }

    private static JsonObject Invalid(string name, byte[] storageKey, byte[] sealedState)
    {
        _ = SealedState.TryOpen(storageKey, sealedState, out byte[]? _, out E2eChatFailure failure);
        return new JsonObject
        {
            ["name"] = name,
            ["kind"] = "sealed_state_invalid",
            ["storage_key"] = Hex.Encode(storageKey),
            ["sealed"] = Hex.Encode(sealedState),
            ["failure"] = failure.ToString(),
        };
    }
}
