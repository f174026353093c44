using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;

namespace E2eChat.Benchmarks;

/// <summary>
/// The configuration every run uses: BenchmarkDotNet's defaults (jobs come from the command line,
/// e.g. <c>--job short</c> or <c>--job dry</c>), the memory diagnoser, operations per second, and
/// the two floor columns; all classes are joined into one summary so that each operation's row can
/// find the primitives it is made of.
/// </summary>
internal static class BenchmarkConfig
{
    /// <summary>Builds the configuration.</summary>
    /// <returns>The configuration.</returns>
    internal static IConfig Create() => ManualConfig.Create(DefaultConfig.Instance)
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddColumn(StatisticColumn.OperationsPerSecond, FloorColumn.Floor, FloorColumn.Ratio)
        .WithOrderer(BenchmarkOrderer.Instance)
        .WithOptions(ConfigOptions.JoinSummary);
}
