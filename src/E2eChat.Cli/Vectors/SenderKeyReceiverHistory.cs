namespace E2eChat.Cli.Vectors;

/// <summary>
/// A <c>sender_key_invalid</c> vector of <c>sender_keys.json</c>: a receiver's history with one sender
/// (distributions processed, posts delivered, expired keys deleted), replayed through a real
/// <see cref="GroupReceiver"/>, then one message that must be refused without changing any record.
/// </summary>
internal sealed class SenderKeyReceiverHistory
{
    private readonly JsonArray _steps = [];

    /// <summary>The history's steps, in order.</summary>
    internal JsonArray Steps => _steps;

    /// <summary>Reads the <c>receiver</c> list of a vector.</summary>
    internal static SenderKeyReceiverHistory Read(JsonArray steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var history = new SenderKeyReceiverHistory();
        for (int i = 0; i < steps.Count; i++)
        {
            JsonObject step = steps[i] as JsonObject ?? throw new VectorFormatException($"receiver[{i}]: expected an object");
            string op = VectorJson.String(step, "op");
            switch (op)
            {
                case "distribution":
                    history.Distribution(VectorJson.Bytes(step, "distribution"));
                    break;
                case "deliver":
                    history.Deliver(VectorJson.Bytes(step, "message"), VectorJson.UInt64(step, "now_ms"));
                    break;
                case "delete_expired":
                    history.DeleteExpired(VectorJson.UInt64(step, "now_ms"));
                    break;
                default:
                    throw new VectorFormatException($"receiver[{i}]: unknown op '{op}'");
            }
        }

        return history;
    }

    /// <summary>The receiver processes a distribution.</summary>
    internal SenderKeyReceiverHistory Distribution(byte[] distribution)
    {
        _steps.Add(new JsonObject { ["op"] = "distribution", ["distribution"] = Hex.Encode(distribution) });
        return this;
    }

    /// <summary>The receiver decrypts a post at <paramref name="nowMilliseconds"/>.</summary>
    internal SenderKeyReceiverHistory Deliver(byte[] message, ulong nowMilliseconds)
    {
        _steps.Add(new JsonObject { ["op"] = "deliver", ["message"] = Hex.Encode(message), ["now_ms"] = nowMilliseconds });
        return this;
    }

    /// <summary>The receiver deletes the skipped keys of expired posts.</summary>
    internal SenderKeyReceiverHistory DeleteExpired(ulong nowMilliseconds)
    {
        _steps.Add(new JsonObject { ["op"] = "delete_expired", ["now_ms"] = nowMilliseconds });
        return this;
    }

    /// <summary>
    /// Replays the history in a fresh receiver and decrypts <paramref name="message"/> at
    /// <paramref name="nowMilliseconds"/>: the vector with the failure reported ("None" if it decrypted).
    /// </summary>
    internal async ValueTask<JsonObject> RunAsync(string name, ulong nowMilliseconds, byte[] message)
    {
        using var store = new InMemorySenderKeyStore();
        var receiver = new GroupReceiver(store);
        for (int i = 0; i < _steps.Count; i++)
        {
            var step = (JsonObject)_steps[i]!;
            switch (VectorJson.String(step, "op"))
            {
                case "distribution":
                {
                    E2eChatFailure failure = await receiver.TryProcessDistributionAsync(SenderKeyTranscript.SenderAddress, VectorJson.Bytes(step, "distribution")).ConfigureAwait(false);
                    Expect.True(failure == E2eChatFailure.None, $"receiver[{i}]: the distribution was refused: {failure}");
                    break;
                }

                case "deliver":
                {
                    SenderKeyDecryptionResult result = await receiver.TryDecryptAsync(SenderKeyTranscript.SenderAddress, VectorJson.Bytes(step, "message"), VectorJson.UInt64(step, "now_ms")).ConfigureAwait(false);
                    Expect.True(result.Succeeded, $"receiver[{i}]: the delivered post was refused: {result.Failure}");
                    break;
                }

                default:
                    await receiver.DeleteExpiredKeysAsync(VectorJson.UInt64(step, "now_ms")).ConfigureAwait(false);
                    break;
            }
        }

        Dictionary<SenderKeyName, byte[]> before = await SnapshotAsync(store).ConfigureAwait(false);
        SenderKeyDecryptionResult refused = await receiver.TryDecryptAsync(SenderKeyTranscript.SenderAddress, message, nowMilliseconds).ConfigureAwait(false);
        Dictionary<SenderKeyName, byte[]> after = await SnapshotAsync(store).ConfigureAwait(false);
        Expect.True(
            refused.Succeeded || (before.Count == after.Count && before.All(entry => after.TryGetValue(entry.Key, out byte[]? record) && record.AsSpan().SequenceEqual(entry.Value))),
            "the refused message changed a stored record");

        return new JsonObject
        {
            ["name"] = name,
            ["kind"] = "sender_key_invalid",
            ["receiver"] = _steps.DeepClone(),
            ["now_ms"] = nowMilliseconds,
            ["message"] = Hex.Encode(message),
            ["failure"] = refused.Succeeded ? "None" : refused.Failure.ToString(),
        };
    }

    private static async ValueTask<Dictionary<SenderKeyName, byte[]>> SnapshotAsync(InMemorySenderKeyStore store)
    {
        var records = new Dictionary<SenderKeyName, byte[]>();
        foreach (SenderKeyName name in await store.GetSenderKeyNamesAsync().ConfigureAwait(false))
        {
            records[name] = (await store.LoadSenderKeyAsync(name).ConfigureAwait(false)).Record ?? [];
        }

        return records;
    }
}
