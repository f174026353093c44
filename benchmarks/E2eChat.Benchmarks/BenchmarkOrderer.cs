using System.Collections.Immutable;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace E2eChat.Benchmarks;

/// <summary>
/// Orders the joined summary (and the runs) the way the README reads: the primitives first, then
/// the operations built from them, each class's cases by parameter and then in declaration order,
/// with a separator between classes and parameter values.
/// </summary>
internal sealed class BenchmarkOrderer : IOrderer
{
    private static readonly string[] s_classes =
    [
        nameof(PrimitiveBenchmarks),
        nameof(PayloadPrimitiveBenchmarks),
        nameof(RatchetBenchmarks),
        nameof(EnvelopeBenchmarks),
        nameof(RatchetStepBenchmarks),
        nameof(SessionSetupBenchmarks),
        nameof(SessionRecordBenchmarks),
        nameof(RelayBenchmarks),
    ];

    /// <summary>The one instance.</summary>
    internal static BenchmarkOrderer Instance { get; } = new();

    /// <inheritdoc/>
    public bool SeparateLogicalGroups => true;

    /// <inheritdoc/>
    public IEnumerable<BenchmarkCase> GetExecutionOrder(ImmutableArray<BenchmarkCase> benchmarksCase, IEnumerable<BenchmarkLogicalGroupRule>? order = null) =>
        Sort(benchmarksCase);

    /// <inheritdoc/>
    public IEnumerable<BenchmarkCase> GetSummaryOrder(ImmutableArray<BenchmarkCase> benchmarksCases, Summary summary) =>
        Sort(benchmarksCases);

    /// <inheritdoc/>
    public string? GetHighlightGroupKey(BenchmarkCase benchmarkCase) => null;

    /// <inheritdoc/>
    public string GetLogicalGroupKey(ImmutableArray<BenchmarkCase> allBenchmarksCases, BenchmarkCase benchmarkCase)
    {
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        return $"{benchmarkCase.Descriptor.Type.Name} {benchmarkCase.Parameters.DisplayInfo} {benchmarkCase.Job.DisplayInfo}";
    }

    /// <inheritdoc/>
    public IEnumerable<IGrouping<string, BenchmarkCase>> GetLogicalGroupOrder(IEnumerable<IGrouping<string, BenchmarkCase>> logicalGroups, IEnumerable<BenchmarkLogicalGroupRule>? order = null) =>
        logicalGroups.OrderBy(group => Key(group.First()));

    private static IEnumerable<BenchmarkCase> Sort(ImmutableArray<BenchmarkCase> cases) =>
        cases.OrderBy(Key).ThenBy(c => c.Job.DisplayInfo, StringComparer.Ordinal);

    private static (int Class, int Payload, int OneTimePreKey, int Method) Key(BenchmarkCase benchmarkCase)
    {
        int rank = Array.IndexOf(s_classes, benchmarkCase.Descriptor.Type.Name);
        object? payload = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == nameof(RatchetBenchmarks.PayloadSize))?.Value;
        object? oneTimePreKey = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == nameof(SessionSetupBenchmarks.OneTimePreKey))?.Value;
        return (
            rank < 0 ? s_classes.Length : rank,
            payload as int? ?? 0,
            oneTimePreKey is true ? 0 : 1,
            benchmarkCase.Descriptor.WorkloadMethod.MetadataToken);
    }
}
