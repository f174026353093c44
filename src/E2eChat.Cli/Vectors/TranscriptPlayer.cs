using E2eChat.Ratchet;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// Verification side of a ratchet transcript: starts both parties from <c>initial</c>, replays each
/// step with the recorded random values and compares every output.
/// </summary>
internal sealed class TranscriptPlayer : IDisposable
{
    private readonly ReplayRandomSource _aliceRandom;
    private readonly ReplayRandomSource _bobRandom = new([]);
    private RatchetState _alice;
    private RatchetState _bob;
    private readonly Dictionary<string, (byte[] Header, byte[] Ciphertext)> _messages = new(StringComparer.Ordinal);

    private TranscriptPlayer(JsonObject initial)
    {
        byte[] rootKey = VectorJson.Bytes(initial, "root_key");
        byte[] headerKeyA = VectorJson.Bytes(initial, "header_key_a");
        byte[] nextHeaderKeyB = VectorJson.Bytes(initial, "next_header_key_b");
        byte[] associatedData = VectorJson.Bytes(initial, "associated_data");
        byte[] bobPrivate = VectorJson.Bytes(initial, "bob_ratchet_private");
        byte[] bobPublic = VectorBytes.X25519Public(bobPrivate);
        _aliceRandom = new ReplayRandomSource(VectorJson.Bytes(initial, "alice_ratchet_private"));
        _alice = RatchetState.InitializeInitiator(rootKey, headerKeyA, nextHeaderKeyB, associatedData, bobPublic, _aliceRandom);
        _aliceRandom.EnsureConsumed("initial.alice_ratchet_private");
        _bob = RatchetState.InitializeResponder(rootKey, headerKeyA, nextHeaderKeyB, associatedData, bobPrivate, bobPublic, _bobRandom);
        _bobRandom.EnsureConsumed("initial (responder)");
    }

    /// <summary>Replays the vector; throws on the first step that differs.</summary>
    /// <returns>The op of the last step.</returns>
    internal static string Play(JsonObject vector)
    {
        using var player = new TranscriptPlayer(VectorJson.Object(vector, "initial"));
        JsonArray steps = VectorJson.Array(vector, "steps");
        string lastOp = string.Empty;
        for (int i = 0; i < steps.Count; i++)
        {
            JsonObject step = steps[i] as JsonObject ?? throw new VectorFormatException($"step {i}: not an object");
            lastOp = VectorJson.String(step, "op");
            try
            {
                player.Play(step, lastOp);
            }
            catch (Exception e) when (e is VectorMismatchException or VectorFormatException)
            {
                string id = step.ContainsKey("id") ? $" {VectorJson.String(step, "id")}" : string.Empty;
                string message = $"step {i} ({lastOp} {(step.ContainsKey("party") ? VectorJson.String(step, "party") : "?")}{id}): {e.Message}";
                throw e is VectorMismatchException ? new VectorMismatchException(message, e) : new VectorFormatException(message, e);
            }
        }

        return lastOp;
    }

    /// <summary>Wipes both states.</summary>
    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    private void Play(JsonObject step, string op)
    {
        RatchetParty party = VectorJson.String(step, "party") switch
        {
            "alice" => RatchetParty.Alice,
            "bob" => RatchetParty.Bob,
            string other => throw new VectorFormatException($"unknown party '{other}'"),
        };
        RatchetState state = party == RatchetParty.Alice ? _alice : _bob;
        ReplayRandomSource random = party == RatchetParty.Alice ? _aliceRandom : _bobRandom;
        switch (op)
        {
            case "encrypt":
                Encrypt(step, party, state, random);
                break;
            case "decrypt":
                Decrypt(step, party, state, random);
                break;
            case "decrypt_fail":
                DecryptFail(step, party, state, random);
                break;
            case "skip":
                Skip(step, state, random);
                break;
            case "encrypt_fail":
                EncryptFail(step, party, state, random);
                break;
            case "set_counter":
                SetCounter(step, party, state, random);
                break;
            default:
                throw new VectorFormatException($"unknown op '{op}'");
        }
    }

    private void Encrypt(JsonObject step, RatchetParty party, RatchetState state, ReplayRandomSource random)
    {
        string id = VectorJson.String(step, "id");
        byte[] plaintext = VectorJson.Bytes(step, "plaintext");
        byte[] nonce = VectorJson.Bytes(step, "header_nonce");
        random.Load(nonce);
        Expect.True(state.TryEncrypt(plaintext, out EncryptedRatchetMessage message, out E2eChatFailure failure), $"encryption failed: {failure}");
        random.EnsureConsumed("header_nonce");
        Outputs.Compare(step, RatchetSteps.Encrypt(party, id, plaintext, nonce, message));
        if (!_messages.TryAdd(id, (message.Header, message.Ciphertext)))
        {
            throw new VectorFormatException($"duplicate message id '{id}'");
        }
    }

    private void Decrypt(JsonObject step, RatchetParty party, RatchetState state, ReplayRandomSource random)
    {
        string id = VectorJson.String(step, "id");
        if (!_messages.TryGetValue(id, out (byte[] Header, byte[] Ciphertext) message))
        {
            throw new VectorFormatException($"no earlier encrypt step with id '{id}'");
        }

        byte[] ratchetPrivate = VectorJson.Bytes(step, "new_ratchet_private");
        random.Load(ratchetPrivate);
        Expect.True(state.TryDecrypt(message.Header, message.Ciphertext, out byte[]? plaintext, out E2eChatFailure failure), $"decryption failed: {failure}");
        random.EnsureConsumed("new_ratchet_private");
        Outputs.Compare(step, RatchetSteps.Decrypt(party, id, ratchetPrivate, plaintext));
    }

    private static void DecryptFail(JsonObject step, RatchetParty party, RatchetState state, ReplayRandomSource random)
    {
        byte[] header = VectorJson.Bytes(step, "header");
        byte[] ciphertext = VectorJson.Bytes(step, "ciphertext");
        var before = Snapshot(state);
        random.LoadFiller();
        bool decrypted = state.TryDecrypt(header, ciphertext, out byte[]? _, out E2eChatFailure failure);
        Expect.True(!decrypted, "decrypted, but the vector expects a failure");
        Expect.True(before == Snapshot(state), "the failed decryption changed the state");
        Outputs.Compare(step, RatchetSteps.DecryptFail(party, header, ciphertext, failure));
    }

    private static void Skip(JsonObject step, RatchetState state, ReplayRandomSource random)
    {
        int count = checked((int)VectorJson.UInt32(step, "count"));
        for (int i = 0; i < count; i++)
        {
            // The lost messages' bytes are not recorded, so any header nonce gives the same chain state.
            random.Load(new byte[Aead.XChaChaNonceLength]);
            Expect.True(state.TryEncrypt([], out _, out E2eChatFailure failure), $"encryption {i} of the skip failed: {failure}");
            random.EnsureConsumed("skip header nonce");
        }
    }

    private void SetCounter(JsonObject step, RatchetParty party, RatchetState state, ReplayRandomSource random)
    {
        string counter = VectorJson.String(step, "counter");
        uint value = VectorJson.UInt32(step, "value");
        RatchetState moved = RatchetCounterLimit.WithCounter(state, random, counter, value);
        state.Dispose();
        if (party == RatchetParty.Alice)
        {
            _alice = moved;
        }
        else
        {
            _bob = moved;
        }

        Outputs.Compare(step, new JsonObject
        {
            ["op"] = "set_counter",
            ["party"] = TranscriptRecorder.Name(party),
            ["counter"] = counter,
            ["value"] = value,
        });
    }

    private static void EncryptFail(JsonObject step, RatchetParty party, RatchetState state, ReplayRandomSource random)
    {
        byte[] plaintext = VectorJson.Bytes(step, "plaintext");
        var before = Snapshot(state);
        random.LoadFiller();
        bool encrypted = state.TryEncrypt(plaintext, out _, out E2eChatFailure failure);
        Expect.True(!encrypted, "encrypted, but the vector expects a failure");
        Expect.True(before == Snapshot(state), "the failed encryption changed the state");
        Outputs.Compare(step, RatchetSteps.EncryptFail(party, plaintext, failure));
    }

    private static (uint Sending, uint Receiving, uint Previous, int Skipped, int Chains, bool CanEncrypt, string RatchetKey) Snapshot(RatchetState state) =>
        (state.SendingCounter, state.ReceivingCounter, state.PreviousSendingCounter, state.SkippedMessageKeyCount, state.ReceiverChainCount, state.CanEncrypt, Hex.Encode(state.SendingRatchetKey));
}
