using BenchmarkDotNet.Attributes;

namespace E2eChat.Benchmarks;

/// <summary>
/// Saving and loading a session record (PROTOCOL.md section 5.6; <c>storage.proto</c>), which
/// <see cref="SessionManager"/> does after every message it encrypts or decrypts (save) and on the
/// first use of an address (load). The record is a typical one: Bob's record after a handshake,
/// <see cref="RoundTrips"/> round trips (so his state remembers that many previous receiving chains)
/// and <see cref="SkippedKeys"/> lost messages (so it holds that many skipped keys); no archived state.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from it.</remarks>
[MemoryDiagnoser]
public class SessionRecordBenchmarks : IDisposable
{
    /// <summary>Round trips in the session before it is saved.</summary>
    public const int RoundTrips = 3;

    /// <summary>Skipped message keys the saved state holds.</summary>
    public const int SkippedKeys = 5;

    private SessionPair? _pair;
    private byte[] _serialized = [];

    /// <summary>Sets up the session and one serialized record.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _pair = SessionPair.Create(RoundTrips, SkippedKeys);
        if (_pair.BobState.Ratchet.SkippedMessageKeyCount != SkippedKeys)
        {
            throw new InvalidOperationException("The record does not hold the expected skipped keys.");
        }

        _serialized = _pair.Bob.Serialize();
        _ = Deserialize();
    }

    /// <summary>Serializes Bob's record (<see cref="SessionRecord.Serialize"/>).</summary>
    /// <returns>The stored bytes.</returns>
    [Benchmark]
    public byte[] Serialize() => _pair!.Bob.Serialize();

    /// <summary>Loads Bob's record (<see cref="SessionRecord.TryDeserialize(ReadOnlySpan{byte}, out SessionRecord?, out E2eChatFailure)"/>) and disposes it.</summary>
    /// <returns>Whether the loaded record has a current state (always).</returns>
    [Benchmark]
    public bool Deserialize()
    {
        if (!SessionRecord.TryDeserialize(_serialized, out SessionRecord? record, out E2eChatFailure failure))
        {
            throw new InvalidOperationException($"Record did not load: {failure}.");
        }

        using (record)
        {
            return record.Current is not null;
        }
    }

    /// <summary>Releases the session.</summary>
    [GlobalCleanup]
    public void Cleanup() => Dispose();

    /// <summary>Releases the session.</summary>
    public void Dispose()
    {
        _pair?.Dispose();
        _pair = null;
        GC.SuppressFinalize(this);
    }
}
