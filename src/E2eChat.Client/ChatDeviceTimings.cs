using System.Diagnostics;

namespace E2eChat.Client;

/// <summary>
/// Where a device's time goes (benchmarks): <see cref="Stopwatch"/> ticks spent in each part of sending
/// and receiving, summed over every operation. The protocol store's own time (SQL, sealing, commits)
/// is <see cref="Storage.Sqlite.SqliteProtocolStore"/>'s; what is left of encrypting and decrypting is
/// the cryptography and the session bookkeeping.
/// </summary>
internal sealed class ChatDeviceTimings
{
    private long _encrypt;
    private long _relaySend;
    private long _decryptCommit;
    private long _handOver;

    /// <summary>Loading the session, encrypting and committing it (store time included).</summary>
    public long EncryptTicks => Interlocked.Read(ref _encrypt);

    /// <summary>The relay's <c>Send</c> calls, retries included.</summary>
    public long RelaySendTicks => Interlocked.Read(ref _relaySend);

    /// <summary>Decrypting a delivery and committing its session change with its inbox entry (store time included).</summary>
    public long DecryptCommitTicks => Interlocked.Read(ref _decryptCommit);

    /// <summary>Recording the id as received, building the event and removing the inbox entry.</summary>
    public long HandOverTicks => Interlocked.Read(ref _handOver);

    internal static long Now() => Stopwatch.GetTimestamp();

    internal void AddEncrypt(long started) => Interlocked.Add(ref _encrypt, Stopwatch.GetTimestamp() - started);

    internal void AddRelaySend(long started) => Interlocked.Add(ref _relaySend, Stopwatch.GetTimestamp() - started);

    internal void AddDecryptCommit(long started) => Interlocked.Add(ref _decryptCommit, Stopwatch.GetTimestamp() - started);

    internal void AddHandOver(long started) => Interlocked.Add(ref _handOver, Stopwatch.GetTimestamp() - started);
}
