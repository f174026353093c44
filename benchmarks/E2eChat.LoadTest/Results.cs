using System.Globalization;
using E2eChat.Relay.Server.Storage.Sqlite;

namespace E2eChat.LoadTest;

/// <summary>
/// One timed round; <paramref name="Cpu"/> is the whole process's CPU time meanwhile (the simulated
/// clients included), <paramref name="Writer"/> the relay's SQLite writer's share of the round (when
/// measured; printed on a line of its own).
/// </summary>
internal sealed record ThroughputResult(string Target, int Messages, TimeSpan Elapsed, int Lost, int Duplicated, TimeSpan Cpu, SqliteWriterTimes? Writer = null)
{
    public double MessagesPerSecond => Messages / Elapsed.TotalSeconds;

    /// <summary>CPU time per message, both cores together, clients and server.</summary>
    public double CpuMicrosecondsPerMessage => Cpu.TotalMicroseconds / Messages;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Target,-24} {Messages,7} messages in {Elapsed.TotalSeconds,6:0.00} s: {MessagesPerSecond,9:0} msg/s end to end (send, store, deliver, ack), {CpuMicrosecondsPerMessage,5:0} us CPU per message");
}

internal sealed record LatencyResult(double Rate, int Messages, double P50, double P99, int Lost)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"latency at {Rate:0} msg/s (half the peak): p50 {P50:0.0} ms, p99 {P99:0.0} ms over {Messages} messages, lost {Lost}");
}

internal sealed record MemoryResult(int Streams, int OpenStreams, long ManagedBytes, long WorkingSetBytes, TimeSpan OpenTime)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Streams} receive streams open in {OpenTime.TotalSeconds:0.0} s: {ManagedBytes / (double)Streams / 1024:0.0} KiB managed heap and {WorkingSetBytes / (double)Streams / 1024:0.0} KiB working set per stream (server and client in one process: an upper bound for the server)");
}
