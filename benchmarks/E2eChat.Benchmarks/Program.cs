using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using E2eChat.Benchmarks;

// Examples (from the repository root):
//   dotnet run -c Release --project benchmarks/E2eChat.Benchmarks -- --filter '*' --job short
//   dotnet run -c Release --project benchmarks/E2eChat.Benchmarks -- --filter '*' --job dry
// The exit code is 1 when BenchmarkDotNet reported a validation error or any benchmark failed
// (threw, crashed, or produced no measurement), so that benchmarks/smoke.sh can gate on it.
// "profile Class.Method [invocations] [Param=value ...]" runs one benchmark in a plain loop for an
// external profiler instead (see ProfileRunner and the README).
if (args.Length > 0 && args[0] == ProfileRunner.Command)
{
    return ProfileRunner.Run(args.AsSpan(1));
}

IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(PrimitiveBenchmarks).Assembly).Run(args, BenchmarkConfig.Create());

int failures = 0;
foreach (Summary summary in summaries)
{
    if (summary.HasCriticalValidationErrors)
    {
        failures++;
        Console.Error.WriteLine($"E2eChat.Benchmarks: critical validation errors in {summary.Title}.");
    }

    foreach (BenchmarkCase benchmarkCase in summary.BenchmarksCases)
    {
        BenchmarkReport? report = summary[benchmarkCase];
        if (report is null || !report.Success || report.ResultStatistics is null)
        {
            failures++;
            Console.Error.WriteLine($"E2eChat.Benchmarks: FAILED {benchmarkCase.DisplayInfo}");
        }
    }
}

return failures == 0 ? 0 : 1;
