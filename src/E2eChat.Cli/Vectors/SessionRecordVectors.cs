using System.Text;
using E2eChat.Ratchet;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// <c>ratchet.json</c>, <c>kind: "session_record"</c> (PROTOCOL.md 5.6): one responder's session
/// record over several sessions with the same peer. Each session starts from its own ratchet
/// initialization; <c>start</c> makes a session's responder state current (the previous current one
/// archived, at most 40 archived, the oldest dropped); a decryption tries the current state, then
/// the archived ones newest first, and promotes the one that opens the message; when none does, the
/// current state's failure is reported (<c>NoSession</c> without states) and nothing changes.
/// </summary>
internal sealed class SessionRecordVectors : IDisposable
{
    private const int KeyLength = 32;

    private readonly SwitchingRandomSource _random = new();
    private readonly RandomSource? _stream;
    private readonly JsonArray _sessions = [];
    private readonly List<RatchetState> _alices = [];
    private readonly List<JsonObject> _initials = [];
    private readonly Dictionary<SessionState, int> _sessionOf = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, EncryptedRatchetMessage> _messages = new(StringComparer.Ordinal);
    private readonly SessionRecord _record = new();

    private SessionRecordVectors(RandomSource? stream) => _stream = stream;

    /// <summary>The vectors of this kind.</summary>
    internal static IEnumerable<JsonObject> Generate()
    {
        yield return Generate("session_record_archived_states", 2, ArchivedStates);
        yield return Generate("session_record_archive_limit", ProtocolLimits.MaxArchivedStates + 2, ArchiveLimit);
    }

    /// <summary>Recomputes every step of <paramref name="vector"/> and compares it.</summary>
    internal static void Verify(JsonObject vector)
    {
        foreach ((string field, _) in vector)
        {
            if (field is not ("name" or "kind" or "sessions" or "steps"))
            {
                throw new VectorFormatException($"unexpected field '{field}'");
            }
        }

        using var run = new SessionRecordVectors(null);
        foreach (JsonNode? initial in VectorJson.Array(vector, "sessions"))
        {
            run.AddSession(initial as JsonObject ?? throw new VectorFormatException("sessions: not an object"));
        }

        JsonArray steps = VectorJson.Array(vector, "steps");
        for (int i = 0; i < steps.Count; i++)
        {
            JsonObject step = steps[i] as JsonObject ?? throw new VectorFormatException($"step {i}: not an object");
            try
            {
                Outputs.Compare(step, run.Execute(step));
            }
            catch (Exception e) when (e is VectorMismatchException or VectorFormatException)
            {
                string message = $"step {i} ({VectorJson.String(step, "op")}): {e.Message}";
                throw e is VectorMismatchException ? new VectorMismatchException(message, e) : new VectorFormatException(message, e);
            }
        }
    }

    /// <summary>Wipes every state.</summary>
    public void Dispose()
    {
        foreach (RatchetState alice in _alices)
        {
            alice.Dispose();
        }

        _record.Dispose();
    }

    private static JsonObject Generate(string name, int sessions, Action<Func<JsonObject, JsonObject>> script)
    {
        using DeterministicRandomSource stream = VectorSeeds.For(RatchetVectors.File, name);
        using var run = new SessionRecordVectors(stream);
        for (int i = 0; i < sessions; i++)
        {
            run.AddSession(null);
        }

        var steps = new JsonArray();
        script(step =>
        {
            JsonObject full = run.Execute(step);
            steps.Add(full);
            return full;
        });
        return new JsonObject
        {
            ["name"] = name,
            ["kind"] = "session_record",
            ["sessions"] = run._sessions.DeepClone(),
            ["steps"] = steps,
        };
    }

    /// <summary>No state (NoSession); two sessions, messages of each promote its state; a failure is the current state's.</summary>
    private static void ArchivedStates(Func<JsonObject, JsonObject> step)
    {
        step(Encrypt(0, "s0_a0", "session 0, first message"));
        step(Op("decrypt_fail", "s0_a0"));
        step(Start(0));
        step(Op("decrypt", "s0_a0"));
        step(Start(1));
        step(Encrypt(1, "s1_a0", "session 1, first message"));
        step(Encrypt(0, "s0_a1", "session 0, second message"));
        step(Op("decrypt", "s0_a1"));
        step(Op("decrypt", "s1_a0"));
        step(Op("decrypt_fail", "s0_a1"));
        step(Op("decrypt_fail", "s1_a0"));
        step(Encrypt(0, "s0_a2", "session 0 again"));
        step(Op("decrypt", "s0_a2"));
    }

    /// <summary>42 sessions started: the first is dropped (a message of it fails as the current state fails), the second is the oldest kept.</summary>
    private static void ArchiveLimit(Func<JsonObject, JsonObject> step)
    {
        int sessions = ProtocolLimits.MaxArchivedStates + 2;
        for (int i = 0; i < sessions; i++)
        {
            step(Encrypt(i, $"s{i}_a0", $"session {i}"));
            step(Start(i));
        }

        step(Op("decrypt_fail", "s0_a0"));
        step(Op("decrypt", "s1_a0"));
        step(Op("decrypt", $"s{sessions - 1}_a0"));
    }

    private static JsonObject Start(int session) => new() { ["op"] = "start", ["session"] = session };

    private static JsonObject Encrypt(int session, string id, string text) => new()
    {
        ["op"] = "encrypt",
        ["session"] = session,
        ["id"] = id,
        ["plaintext"] = Hex.Encode(Encoding.UTF8.GetBytes(text)),
    };

    private static JsonObject Op(string op, string id) => new() { ["op"] = op, ["id"] = id };

    private void AddSession(JsonObject? initial)
    {
        if (initial is null)
        {
            RandomSource stream = _stream ?? throw new InvalidOperationException("no stream to draw a session from");
            initial = new JsonObject
            {
                ["root_key"] = Hex.Encode(stream.Draw(KeyLength)),
                ["header_key_a"] = Hex.Encode(stream.Draw(KeyLength)),
                ["next_header_key_b"] = Hex.Encode(stream.Draw(KeyLength)),
                ["associated_data"] = Hex.Encode(stream.Draw(RatchetState.AssociatedDataLength)),
                ["bob_ratchet_private"] = Hex.Encode(stream.Draw(KeyLength)),
                ["alice_ratchet_private"] = Hex.Encode(stream.Draw(KeyLength)),
            };
        }

        byte[] bobPublic = VectorBytes.X25519Public(VectorJson.Bytes(initial, "bob_ratchet_private"));
        _random.Load(VectorJson.Bytes(initial, "alice_ratchet_private"));
        _alices.Add(RatchetState.InitializeInitiator(
            VectorJson.Bytes(initial, "root_key"),
            VectorJson.Bytes(initial, "header_key_a"),
            VectorJson.Bytes(initial, "next_header_key_b"),
            VectorJson.Bytes(initial, "associated_data"),
            bobPublic,
            _random));
        _random.EnsureConsumed("alice_ratchet_private");
        _initials.Add(initial);
        _sessions.Add(initial.DeepClone());
    }

    private JsonObject Execute(JsonObject input)
    {
        string op = VectorJson.String(input, "op");
        var full = new JsonObject { ["op"] = op };
        switch (op)
        {
            case "start":
            {
                int session = Session(input, full);
                JsonObject initial = _initials[session];
                byte[] bobPrivate = VectorJson.Bytes(initial, "bob_ratchet_private");
                _random.Load([]);
                RatchetState bob = RatchetState.InitializeResponder(
                    VectorJson.Bytes(initial, "root_key"),
                    VectorJson.Bytes(initial, "header_key_a"),
                    VectorJson.Bytes(initial, "next_header_key_b"),
                    VectorJson.Bytes(initial, "associated_data"),
                    bobPrivate,
                    VectorBytes.X25519Public(bobPrivate),
                    _random);
                byte[] identity = new byte[SessionState.IdentityKeyLength];
                var state = new SessionState(bob, identity, identity, new byte[SessionState.BaseKeyLength], pendingPreKey: null);
                if (_sessionOf.ContainsValue(session))
                {
                    throw new VectorFormatException($"session {session} was started before");
                }

                _sessionOf.Add(state, session);
                _record.PromoteNew(state);
                break;
            }

            case "encrypt":
            {
                int session = Session(input, full);
                string id = VectorJson.String(input, "id");
                full["id"] = id;
                byte[] plaintext = VectorJson.Bytes(input, "plaintext");
                byte[] nonce = input.ContainsKey("header_nonce") ? VectorJson.Bytes(input, "header_nonce") : _stream!.Draw(Aead.XChaChaNonceLength);
                _random.Load(nonce);
                Expect.True(_alices[session].TryEncrypt(plaintext, out EncryptedRatchetMessage message, out E2eChatFailure failure), $"encryption failed: {failure}");
                _random.EnsureConsumed("header_nonce");
                if (!_messages.TryAdd(id, message))
                {
                    throw new VectorFormatException($"duplicate message id '{id}'");
                }

                full["plaintext"] = Hex.Encode(plaintext);
                full["header_nonce"] = Hex.Encode(nonce);
                full["header"] = Hex.Encode(message.Header);
                full["ciphertext"] = Hex.Encode(message.Ciphertext);
                return full;
            }

            case "decrypt":
            {
                EncryptedRatchetMessage message = Message(input, full);
                byte[] plaintext;
                if (_stream is null)
                {
                    byte[] ratchetPrivate = VectorJson.Bytes(input, "new_ratchet_private");
                    _random.Load(ratchetPrivate);
                    Expect.True(_record.TryDecrypt(message.Header, message.Ciphertext, out byte[]? opened, out E2eChatFailure failure), $"decryption failed: {failure}");
                    _random.EnsureConsumed("new_ratchet_private");
                    plaintext = opened!;
                    full["new_ratchet_private"] = Hex.Encode(ratchetPrivate);
                }
                else
                {
                    _random.Record(_stream);
                    Expect.True(_record.TryDecrypt(message.Header, message.Ciphertext, out byte[]? opened, out E2eChatFailure failure), $"decryption failed: {failure}");
                    plaintext = opened!;
                    full["new_ratchet_private"] = Hex.Encode(_random.TakeRecorded());
                }

                full["plaintext"] = Hex.Encode(plaintext);
                break;
            }

            case "decrypt_fail":
            {
                EncryptedRatchetMessage message = Message(input, full);
                string before = Order().ToJsonString();
                _random.LoadFiller();
                Expect.True(!_record.TryDecrypt(message.Header, message.Ciphertext, out byte[]? _, out E2eChatFailure failure), "decrypted, but the vector expects a failure");
                Expect.True(before == Order().ToJsonString(), "the failed decryption changed the record");
                full["failure"] = failure.ToString();
                break;
            }

            default:
                throw new VectorFormatException($"unknown op '{op}'");
        }

        full["record"] = Order();
        return full;
    }

    private int Session(JsonObject input, JsonObject full)
    {
        int session = checked((int)VectorJson.UInt32(input, "session"));
        if (session >= _alices.Count)
        {
            throw new VectorFormatException($"no session {session}");
        }

        full["session"] = session;
        return session;
    }

    private EncryptedRatchetMessage Message(JsonObject input, JsonObject full)
    {
        string id = VectorJson.String(input, "id");
        full["id"] = id;
        return _messages.TryGetValue(id, out EncryptedRatchetMessage message) ? message : throw new VectorFormatException($"no earlier encrypt step with id '{id}'");
    }

    /// <summary>The sessions of the record's states: current first, then the archived ones, newest first.</summary>
    private JsonArray Order()
    {
        var order = new JsonArray();
        if (_record.Current is not null)
        {
            order.Add(_sessionOf[_record.Current]);
        }

        foreach (SessionState state in _record.Archived)
        {
            order.Add(_sessionOf[state]);
        }

        return order;
    }

    /// <summary>The one random source of every state: replays given bytes, answers filler, or records draws from the stream.</summary>
    private sealed class SwitchingRandomSource : RandomSource
    {
        private readonly ReplayRandomSource _replay = new([]);
        private RecordingRandomSource? _recording;

        internal void Load(ReadOnlySpan<byte> bytes)
        {
            _recording = null;
            _replay.Load(bytes);
        }

        internal void LoadFiller()
        {
            _recording = null;
            _replay.LoadFiller();
        }

        internal void EnsureConsumed(string what) => _replay.EnsureConsumed(what);

        internal void Record(RandomSource stream) => _recording = new RecordingRandomSource(stream);

        internal byte[] TakeRecorded() => _recording?.TakeRecorded() ?? [];

        internal override void Fill(Span<byte> destination)
        {
            if (_recording is not null)
            {
                _recording.Fill(destination);
            }
            else
            {
                _replay.Fill(destination);
            }
        }
    }
}
