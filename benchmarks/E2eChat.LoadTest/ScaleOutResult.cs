using System.Globalization;

namespace E2eChat.LoadTest;

/// <summary>One scale-out run: what was sent and received, how fast, and what went wrong.</summary>
internal sealed record ScaleOutResult(string Target, int Messages, TimeSpan Elapsed, double P50, double P99, int Lost, int Duplicated, int Redelivered, int Failovers)
{
    public double MessagesPerSecond => Messages / Elapsed.TotalSeconds;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Target,-30} {Messages,6} msgs {Elapsed.TotalSeconds,6:0.00} s {MessagesPerSecond,7:0} msg/s  p50 {P50,7:0.0} ms  p99 {P99,7:0.0} ms  lost {Lost}  duplicated {Duplicated}  (redelivered {Redelivered}, failovers {Failovers})");
}
