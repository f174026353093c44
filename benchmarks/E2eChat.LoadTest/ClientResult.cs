using System.Globalization;

namespace E2eChat.LoadTest;

/// <summary>One run of the <c>client</c> mode: throughput, latency and where the time went (per message, in microseconds).</summary>
internal sealed record ClientResult(
    string Stores,
    int Messages,
    TimeSpan Elapsed,
    double P50,
    double P99,
    int Lost,
    int Duplicated,
    double EncryptMicros,
    double SenderStoreMicros,
    double RelaySendMicros,
    double DecryptCommitMicros,
    double ReceiverStoreMicros,
    double HandOverMicros)
{
    public double MessagesPerSecond => Messages / Elapsed.TotalSeconds;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Stores,-22} {Messages,6} messages in {Elapsed.TotalSeconds,6:0.00} s: {MessagesPerSecond,6:0} msg/s, p50 {P50:0.0} ms, p99 {P99:0.0} ms, lost {Lost}, duplicated {Duplicated}\n" +
        $"  per message (us): sender encrypt {EncryptMicros:0} (of it store {SenderStoreMicros:0}), relay Send call {RelaySendMicros:0}; receiver decrypt+commit {DecryptCommitMicros:0}, store in all {ReceiverStoreMicros:0}, hand-over {HandOverMicros:0}");

    /// <summary>The row of the README table.</summary>
    public string ToMarkdownRow() => string.Create(
        CultureInfo.InvariantCulture,
        $"| {Stores} | {MessagesPerSecond:0} | {P50:0.0} | {P99:0.0} | {Lost} | {Duplicated} | {EncryptMicros:0} ({SenderStoreMicros:0}) | {RelaySendMicros:0} | {DecryptCommitMicros:0} ({ReceiverStoreMicros:0}) | {HandOverMicros:0} |");
}
