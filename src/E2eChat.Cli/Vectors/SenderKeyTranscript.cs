using System.Security.Cryptography;
using E2eChat.Storage.Proto;
using Google.Protobuf;

namespace E2eChat.Cli.Vectors;

/// <summary>
/// A <c>sender_key_transcript</c> of <c>sender_keys.json</c> run through the real code: a
/// <see cref="GroupSender"/> whose every random draw passes through a <see cref="RecordingRandomSource"/>,
/// and one <see cref="GroupReceiver"/> over an <see cref="InMemorySenderKeyStore"/>. The generator and
/// the verifier call the same operations (the verifier feeds the recorded bytes back through a
/// <see cref="ReplayRandomSource"/>), and both get the vector as <see cref="ToJson"/>.
/// </summary>
internal sealed class SenderKeyTranscript : IDisposable
{
    /// <summary>The sending device the receiver's records are stored under.</summary>
    internal static readonly ProtocolAddress SenderAddress = new("shop.example", 1);

    private readonly RecordingRandomSource _random;
    private readonly GroupSender _sender;
    private readonly InMemorySenderKeyStore _store = new();
    private readonly GroupReceiver _receiver;
    private readonly ulong _now;
    private readonly JsonObject _start;
    private readonly JsonArray _steps = [];
    private readonly Dictionary<string, (byte[] Message, byte[] Plaintext)> _posts = new(StringComparer.Ordinal);

    private SenderKeyTranscript(RecordingRandomSource random, GroupSender sender, ulong now, byte[]? creationRandom)
    {
        _random = random;
        _sender = sender;
        _receiver = new GroupReceiver(_store);
        _now = now;
        SenderState state = State(sender);
        _start = new JsonObject
        {
            ["distribution_id"] = Hex.Encode(state.DistributionId),
            ["chain_id"] = state.ChainId,
            ["iteration"] = state.Iteration,
            ["chain_key"] = Hex.Encode(state.ChainKey),
            ["signing_seed"] = Hex.Encode(state.SigningSeed),
            ["signing_key"] = Hex.Encode(sender.SigningPublicKey),
        };
        if (creationRandom is not null)
        {
            _start["random"] = Hex.Encode(creationRandom);
        }
    }

    /// <summary>A new sender created from <paramref name="random"/> (section 7 draw order); the draws are recorded.</summary>
    internal static SenderKeyTranscript Create(RandomSource random, ulong now)
    {
        var recording = new RecordingRandomSource(random);
        GroupSender sender = GroupSender.Create(recording);
        return new SenderKeyTranscript(recording, sender, now, recording.TakeRecorded());
    }

    /// <summary>A sender loaded with the given state; its rotations draw from <paramref name="random"/>.</summary>
    internal static SenderKeyTranscript Load(byte[] distributionId, uint chainId, uint iteration, byte[] chainKey, byte[] signingSeed, RandomSource random, ulong now)
    {
        var recording = new RecordingRandomSource(random);
        byte[] serialized = new GroupSenderFile
        {
            FormatVersion = StoredRecordFrame.FormatVersion,
            Sender = new GroupSenderData
            {
                DistributionId = ByteString.CopyFrom(distributionId),
                ChainId = chainId,
                Iteration = iteration,
                ChainKey = ByteString.CopyFrom(chainKey),
                SigningKeySeed = ByteString.CopyFrom(signingSeed),
            },
        }.ToByteArray();
        if (!GroupSender.TryDeserialize(serialized, recording, out GroupSender? sender, out E2eChatFailure failure))
        {
            throw new VectorFormatException($"the sender's start state does not load: {failure}");
        }

        return new SenderKeyTranscript(recording, sender, now, creationRandom: null);
    }

    /// <summary>The sender hands its current distribution to the receiver.</summary>
    internal async ValueTask DistributeAsync()
    {
        byte[] distribution;
        using (SecretBuffer message = _sender.CreateDistributionMessage())
        {
            distribution = message.Span.ToArray();
        }

        E2eChatFailure failure = await _receiver.TryProcessDistributionAsync(SenderAddress, distribution).ConfigureAwait(false);
        Expect.True(failure == E2eChatFailure.None, $"the receiver refused the distribution: {failure}");
        _steps.Add(new JsonObject
        {
            ["op"] = "distribute",
            ["distribution"] = Hex.Encode(distribution),
        });
    }

    /// <summary>The sender encrypts a post.</summary>
    internal byte[] Encrypt(string id, ulong expiresAtMilliseconds, byte[] plaintext)
    {
        if (_posts.ContainsKey(id))
        {
            throw new VectorFormatException($"duplicate post id '{id}'");
        }

        uint iteration = _sender.Iteration;
        if (!_sender.TryEncrypt(plaintext, expiresAtMilliseconds, out CiphertextMessage? encrypted, out E2eChatFailure failure))
        {
            throw new VectorMismatchException($"encrypting post '{id}' failed: {failure}");
        }

        byte[] message = encrypted.Body.ToArray();
        Expect.True(_random.TakeRecorded().Length == 0, "encrypting a post drew randomness");
        SenderKeyForge.Fields fields = SenderKeyForge.Parse(message);
        _posts.Add(id, (message, plaintext));
        _steps.Add(new JsonObject
        {
            ["op"] = "encrypt",
            ["id"] = id,
            ["expires_at_ms"] = expiresAtMilliseconds,
            ["plaintext"] = Hex.Encode(plaintext),
            ["iteration"] = iteration,
            ["ciphertext"] = Hex.Encode(fields.Ciphertext),
            ["signature"] = Hex.Encode(fields.Signature),
            ["message"] = Hex.Encode(message),
        });
        return message;
    }

    /// <summary>The sender tries to encrypt a post and fails; its state must not change.</summary>
    internal void EncryptFail(ulong expiresAtMilliseconds, byte[] plaintext)
    {
        byte[] before = _sender.Serialize();
        bool encrypted = _sender.TryEncrypt(plaintext, expiresAtMilliseconds, out CiphertextMessage? _, out E2eChatFailure failure);
        byte[] after = _sender.Serialize();
        Expect.True(before.AsSpan().SequenceEqual(after), "a failed encryption changed the sender's state");
        CryptographicOperations.ZeroMemory(before);
        CryptographicOperations.ZeroMemory(after);
        _steps.Add(new JsonObject
        {
            ["op"] = "encrypt_fail",
            ["expires_at_ms"] = expiresAtMilliseconds,
            ["plaintext"] = Hex.Encode(plaintext),
            ["failure"] = encrypted ? "None" : failure.ToString(),
        });
    }

    /// <summary>The sender rotates (new chain id, chain key and signing key), recording the draws.</summary>
    internal void Rotate()
    {
        _sender.Rotate();
        byte[] drawn = _random.TakeRecorded();
        SenderState state = State(_sender);
        Expect.True(state.Iteration == 0, "a rotated sender is not at iteration 0");
        _steps.Add(new JsonObject
        {
            ["op"] = "rotate",
            ["random"] = Hex.Encode(drawn),
            ["chain_id"] = state.ChainId,
            ["chain_key"] = Hex.Encode(state.ChainKey),
            ["signing_seed"] = Hex.Encode(state.SigningSeed),
            ["signing_key"] = Hex.Encode(_sender.SigningPublicKey),
        });
    }

    /// <summary>The receiver decrypts post <paramref name="id"/> at the transcript's clock.</summary>
    internal async ValueTask DecryptAsync(string id)
    {
        if (!_posts.TryGetValue(id, out (byte[] Message, byte[] Plaintext) post))
        {
            throw new VectorFormatException($"no encrypt step with id '{id}' before the decrypt");
        }

        SenderKeyDecryptionResult result = await _receiver.TryDecryptAsync(SenderAddress, post.Message, _now).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new VectorMismatchException($"decrypting post '{id}' failed: {result.Failure}");
        }

        _steps.Add(new JsonObject
        {
            ["op"] = "decrypt",
            ["id"] = id,
            ["plaintext"] = Hex.Encode(result.Plaintext),
        });
    }

    /// <summary>The vector: the start state, the clock and every step with its outputs.</summary>
    internal JsonObject ToJson(string name)
    {
        var json = new JsonObject
        {
            ["name"] = name,
            ["kind"] = "sender_key_transcript",
        };
        foreach ((string field, JsonNode? value) in _start)
        {
            json[field] = value?.DeepClone();
        }

        json["now_ms"] = _now;
        json["steps"] = _steps.DeepClone();
        return json;
    }

    /// <summary>Wipes the sender's and the receiver's keys.</summary>
    public void Dispose()
    {
        _sender.Dispose();
        _store.Dispose();
    }

    private static SenderState State(GroupSender sender)
    {
        byte[] serialized = sender.Serialize();
        try
        {
            GroupSenderData data = GroupSenderFile.Parser.ParseFrom(serialized).Sender;
            return new SenderState(data.DistributionId.ToByteArray(), data.ChainId, data.Iteration, data.ChainKey.ToByteArray(), data.SigningKeySeed.ToByteArray());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(serialized);
        }
    }

    private readonly record struct SenderState(byte[] DistributionId, uint ChainId, uint Iteration, byte[] ChainKey, byte[] SigningSeed);
}
