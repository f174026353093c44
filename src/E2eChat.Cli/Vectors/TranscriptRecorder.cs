using E2eChat.Handshake;
using E2eChat.Ratchet;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// Generation side of a ratchet transcript: two real <see cref="RatchetState"/>s fed from one
/// seeded stream through a <see cref="RecordingRandomSource"/> each, so every step can record the
/// random values it consumed (header nonces, new ratchet keys).
/// </summary>
internal sealed class TranscriptRecorder : IDisposable
{
    private readonly RecordingRandomSource _aliceRandom;
    private readonly RecordingRandomSource _bobRandom;
    private RatchetState _alice;
    private RatchetState _bob;
    private readonly JsonObject _initial;
    private readonly JsonArray _steps = [];
    private readonly Dictionary<string, EncryptedRatchetMessage> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _plaintexts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _messageKeys = new(StringComparer.Ordinal);
    private readonly MessageKeyCapture _aliceKeys = new();
    private readonly MessageKeyCapture _bobKeys = new();

    private TranscriptRecorder(RandomSource random, HandshakeSecrets secrets, ReadOnlySpan<byte> bobRatchetPrivate, ReadOnlySpan<byte> bobRatchetPublic)
    {
        Random = random;
        _aliceRandom = new RecordingRandomSource(random);
        _bobRandom = new RecordingRandomSource(random);
        _alice = RatchetState.InitializeInitiator(
            secrets.RootKey.Span, secrets.InitiatorHeaderKey.Span, secrets.ResponderNextHeaderKey.Span, secrets.AssociatedData.Span, bobRatchetPublic, _aliceRandom);
        _bob = RatchetState.InitializeResponder(
            secrets.RootKey.Span, secrets.InitiatorHeaderKey.Span, secrets.ResponderNextHeaderKey.Span, secrets.AssociatedData.Span, bobRatchetPrivate, bobRatchetPublic, _bobRandom);
        _alice.KeyObserver = _aliceKeys;
        _bob.KeyObserver = _bobKeys;
        AssociatedData = secrets.AssociatedData.Span.ToArray();
        HeaderKeyA = secrets.InitiatorHeaderKey.Span.ToArray();
        _initial = new JsonObject
        {
            ["root_key"] = Hex.Encode(secrets.RootKey.Span),
            ["header_key_a"] = Hex.Encode(secrets.InitiatorHeaderKey.Span),
            ["next_header_key_b"] = Hex.Encode(secrets.ResponderNextHeaderKey.Span),
            ["associated_data"] = Hex.Encode(secrets.AssociatedData.Span),
            ["bob_ratchet_private"] = Hex.Encode(bobRatchetPrivate),
            ["alice_ratchet_private"] = Hex.Encode(_aliceRandom.TakeRecorded()),
        };
    }

    /// <summary>Alice's address in the handshake that starts every transcript (the vectors record its outputs only).</summary>
    internal static ProtocolAddress AliceAddress { get; } = new("alice", 1);

    /// <summary>Bob's address in that handshake.</summary>
    internal static ProtocolAddress BobAddress { get; } = new("bob", 1);

    /// <summary>The vector's seeded stream (for crafted inputs).</summary>
    internal RandomSource Random { get; }

    /// <summary>The session's associated data.</summary>
    internal byte[] AssociatedData { get; }

    /// <summary>Alice's first sending header key (Bob's first next-receiving header key).</summary>
    internal byte[] HeaderKeyA { get; }

    /// <summary>Runs a real handshake between fresh parties drawn from <paramref name="random"/> and starts both ratchets.</summary>
    internal static TranscriptRecorder Start(RandomSource random)
    {
        PartyKeys alice = PartyKeys.DrawIdentity(random);
        PartyKeys bob = PartyKeys.DrawWithPreKeys(random, 1, 0, 1, kemLastResort: true);
        using IdentityKeyPair aliceIdentity = alice.CreateIdentity();
        using IdentityKeyPair bobIdentity = bob.CreateIdentity();
        PreKeyBundle bundle = bob.CreateBundle(bobIdentity);
        using InitiatorHandshakeResult result = InitiatorHandshake.Create(aliceIdentity, AliceAddress, BobAddress, bundle, random);
        return new TranscriptRecorder(random, result.Secrets, bob.SignedPreKeyPrivate, bundle.SignedPreKeyPublicKey);
    }

    /// <summary>Records an encryption.</summary>
    internal EncryptedRatchetMessage Encrypt(RatchetParty party, string id, ReadOnlySpan<byte> plaintext)
    {
        EncryptedRatchetMessage message = EncryptCore(party, plaintext);
        byte[] nonce = RandomOf(party).TakeRecorded();
        _messages.Add(id, message);
        _plaintexts.Add(id, plaintext.ToArray());
        _messageKeys.Add(id, KeysOf(party).LastMessageKey);
        _steps.Add(RatchetSteps.Encrypt(party, id, plaintext, nonce, message));
        return message;
    }

    /// <summary>
    /// Records an encryption by <paramref name="party"/> and, right after it, the other party's
    /// successful decryption of it.
    /// </summary>
    internal void Deliver(RatchetParty party, string id, ReadOnlySpan<byte> plaintext)
    {
        _ = Encrypt(party, id, plaintext);
        Decrypt(party == RatchetParty.Alice ? RatchetParty.Bob : RatchetParty.Alice, id);
    }

    /// <summary>Records a successful decryption of the message with id <paramref name="id"/>.</summary>
    internal void Decrypt(RatchetParty party, string id)
    {
        EncryptedRatchetMessage message = _messages[id];
        if (!StateOf(party).TryDecrypt(message.Header, message.Ciphertext, out byte[]? plaintext, out E2eChatFailure failure))
        {
            throw new InvalidOperationException($"{Name(party)} could not decrypt {id}: {failure}");
        }

        if (!plaintext.AsSpan().SequenceEqual(_plaintexts[id]))
        {
            throw new InvalidOperationException($"{Name(party)} decrypted {id} to a different plaintext");
        }

        _steps.Add(RatchetSteps.Decrypt(party, id, RandomOf(party).TakeRecorded(), plaintext));
    }

    /// <summary>Records a decryption that must fail with <paramref name="expected"/>.</summary>
    internal void DecryptFail(RatchetParty party, ReadOnlySpan<byte> header, ReadOnlySpan<byte> ciphertext, E2eChatFailure expected)
    {
        bool decrypted = StateOf(party).TryDecrypt(header, ciphertext, out byte[]? _, out E2eChatFailure failure);
        _ = RandomOf(party).TakeRecorded(); // a failing step's randomness is irrelevant and not recorded
        if (decrypted || failure != expected)
        {
            throw new InvalidOperationException($"{Name(party)}: expected {expected}, got {(decrypted ? "success" : failure.ToString())}");
        }

        _steps.Add(RatchetSteps.DecryptFail(party, header, ciphertext, failure));
    }

    /// <summary>Records a decryption of the recorded message <paramref name="id"/> that must fail with <paramref name="expected"/>.</summary>
    internal void DecryptFail(RatchetParty party, string id, E2eChatFailure expected)
    {
        EncryptedRatchetMessage message = _messages[id];
        DecryptFail(party, message.Header, message.Ciphertext, expected);
    }

    /// <summary>An encryption that is not recorded (its message only appears in a later decrypt_fail step).</summary>
    /// <summary>
    /// Records a <c>skip</c> step: <paramref name="party"/> encrypts <paramref name="count"/> messages
    /// that are lost (their bytes are not in the vector); its sending chain moves on by that many keys.
    /// </summary>
    /// <param name="party">The sender.</param>
    /// <param name="count">How many messages are lost.</param>
    internal void Skip(RatchetParty party, int count)
    {
        for (int i = 0; i < count; i++)
        {
            _ = EncryptUnrecorded(party, []);
        }

        _steps.Add(new JsonObject
        {
            ["op"] = "skip",
            ["party"] = Name(party),
            ["count"] = count,
        });
    }

    /// <summary>Records a <c>set_counter</c> step: the party's <c>ns</c> or <c>nr</c> becomes <paramref name="value"/>, nothing else changes.</summary>
    /// <param name="party">The party.</param>
    /// <param name="counter"><see cref="RatchetCounterLimit.Sending"/> or <see cref="RatchetCounterLimit.Receiving"/>.</param>
    /// <param name="value">The new counter.</param>
    internal void SetCounter(RatchetParty party, string counter, uint value)
    {
        RatchetState moved = RatchetCounterLimit.WithCounter(StateOf(party), RandomOf(party), counter, value);
        moved.KeyObserver = KeysOf(party);
        StateOf(party).Dispose();
        if (party == RatchetParty.Alice)
        {
            _alice = moved;
        }
        else
        {
            _bob = moved;
        }

        _steps.Add(new JsonObject
        {
            ["op"] = "set_counter",
            ["party"] = Name(party),
            ["counter"] = counter,
            ["value"] = value,
        });
    }

    /// <summary>Records an <c>encrypt_fail</c> step: the encryption must fail with <paramref name="expected"/> and change nothing.</summary>
    /// <param name="party">The sender.</param>
    /// <param name="plaintext">The plaintext it tries to encrypt.</param>
    /// <param name="expected">The failure.</param>
    internal void EncryptFail(RatchetParty party, ReadOnlySpan<byte> plaintext, E2eChatFailure expected)
    {
        bool encrypted = StateOf(party).TryEncrypt(plaintext, out _, out E2eChatFailure failure);
        _ = RandomOf(party).TakeRecorded();
        if (encrypted || failure != expected)
        {
            throw new InvalidOperationException($"{Name(party)}: expected {expected}, got {(encrypted ? "success" : failure.ToString())}");
        }

        _steps.Add(RatchetSteps.EncryptFail(party, plaintext, failure));
    }

    internal EncryptedRatchetMessage EncryptUnrecorded(RatchetParty party, ReadOnlySpan<byte> plaintext)
    {
        EncryptedRatchetMessage message = EncryptCore(party, plaintext);
        _ = RandomOf(party).TakeRecorded();
        return message;
    }

    /// <summary>A decryption that is not recorded (see <see cref="EncryptUnrecorded"/>).</summary>
    internal void DecryptUnrecorded(RatchetParty party, EncryptedRatchetMessage message)
    {
        if (!StateOf(party).TryDecrypt(message.Header, message.Ciphertext, out byte[]? _, out E2eChatFailure failure))
        {
            throw new InvalidOperationException($"{Name(party)}: unrecorded decryption failed: {failure}");
        }

        _ = RandomOf(party).TakeRecorded();
    }

    /// <summary>A recorded message.</summary>
    internal EncryptedRatchetMessage Message(string id) => _messages[id];

    /// <summary>The message key a recorded message was encrypted with.</summary>
    internal byte[] MessageKey(string id) => _messageKeys[id];

    /// <summary>The transcript as a vector.</summary>
    internal JsonObject ToVector(string name, string kind) => new()
    {
        ["name"] = name,
        ["kind"] = kind,
        ["initial"] = _initial.DeepClone(),
        ["steps"] = _steps.DeepClone(),
    };

    /// <summary>Wipes both states.</summary>
    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    /// <summary>The vector name of a party.</summary>
    internal static string Name(RatchetParty party) => party == RatchetParty.Alice ? "alice" : "bob";

    private EncryptedRatchetMessage EncryptCore(RatchetParty party, ReadOnlySpan<byte> plaintext)
    {
        if (!StateOf(party).TryEncrypt(plaintext, out EncryptedRatchetMessage message, out E2eChatFailure failure))
        {
            throw new InvalidOperationException($"{Name(party)} could not encrypt: {failure}");
        }

        return message;
    }

    private RatchetState StateOf(RatchetParty party) => party == RatchetParty.Alice ? _alice : _bob;

    private RecordingRandomSource RandomOf(RatchetParty party) => party == RatchetParty.Alice ? _aliceRandom : _bobRandom;

    private MessageKeyCapture KeysOf(RatchetParty party) => party == RatchetParty.Alice ? _aliceKeys : _bobKeys;
}
