using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;

namespace E2eChat.Benchmarks;

/// <summary>
/// Two custom columns over <see cref="FloorRecipes"/>: "Floor", the sum of the mean times of the
/// primitives an operation is made of (with their counts), and "Floor ratio", the operation's mean
/// over that sum. Both need the primitives in the same summary: run them together (the config joins
/// every class into one summary). A cell shows "-" for an operation without a recipe, "?" when a
/// primitive of its recipe was not run (or failed).
/// </summary>
internal sealed class FloorColumn : IColumn
{
    private const string ParameterForPayload = nameof(RatchetBenchmarks.PayloadSize);

    private readonly bool _ratio;

    private FloorColumn(bool ratio)
    {
        _ratio = ratio;
    }

    /// <summary>The "Floor" column: the sum of the primitives' mean times.</summary>
    internal static FloorColumn Floor { get; } = new(ratio: false);

    /// <summary>The "Floor ratio" column: the operation's mean over its floor.</summary>
    internal static FloorColumn Ratio { get; } = new(ratio: true);

    /// <inheritdoc/>
    public string Id => _ratio ? "E2eChat.FloorRatio" : "E2eChat.Floor";

    /// <inheritdoc/>
    public string ColumnName => _ratio ? "Floor ratio" : "Floor";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => _ratio ? 1 : 0;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => _ratio ? UnitType.Dimensionless : UnitType.Time;

    /// <inheritdoc/>
    public string Legend => _ratio
        ? "Mean / Floor: time spent per unit of primitive time (1.00 = nothing but the primitives); '-' no recipe, '?' a primitive missing"
        : "Sum of the mean times of the primitives the operation is made of (see FloorRecipes / README); '-' no recipe, '?' a primitive missing";

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        ArgumentNullException.ThrowIfNull(style);
        IReadOnlyList<FloorRecipes.Term>? recipe = FloorRecipes.Find(
            benchmarkCase.Descriptor.Type.Name,
            benchmarkCase.Descriptor.WorkloadMethod.Name,
            name => Parameter(benchmarkCase, name));
        if (recipe is null)
        {
            return "-";
        }

        double? floor = FloorNanoseconds(summary, benchmarkCase, recipe);
        if (floor is null)
        {
            return "?";
        }

        CultureInfo culture = style.CultureInfo ?? CultureInfo.InvariantCulture;
        if (!_ratio)
        {
            // The unit of the Mean column: the style's, else the best one for the smallest mean.
            TimeUnit unit = style.TimeUnit ?? TimeUnit.GetBestTimeUnit(
                [.. summary.Reports.Select(r => r.ResultStatistics?.Mean).OfType<double>().DefaultIfEmpty(floor.Value)]);
            double value = TimeUnit.Convert(floor.Value, TimeUnit.Nanosecond, unit);
            return style.PrintUnitsInContent
                ? string.Create(culture, $"{value:N2} {unit.AbbreviationAscii}")
                : string.Create(culture, $"{value:N2}");
        }

        double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return mean is null ? "?" : string.Create(culture, $"{mean.Value / floor.Value:N2}");
    }

    /// <summary>Names the column.</summary>
    /// <returns>The column name.</returns>
    public override string ToString() => ColumnName;

    /// <summary>The floor of <paramref name="benchmarkCase"/> in nanoseconds, or <see langword="null"/> when a primitive is missing.</summary>
    internal static double? FloorNanoseconds(Summary summary, BenchmarkCase benchmarkCase, IReadOnlyList<FloorRecipes.Term> recipe)
    {
        int payloadSize = Parameter(benchmarkCase, ParameterForPayload) as int? ?? FloorRecipes.DefaultPayloadSize;
        double sum = 0;
        foreach (FloorRecipes.Term term in recipe)
        {
            if (term.Count == 0)
            {
                continue;
            }

            (string type, string method, bool perPayload) = FloorRecipes.Benchmark(term.Primitive);
            BenchmarkReport[] candidates = [.. summary.Reports.Where(r =>
                r.BenchmarkCase.Descriptor.Type.Name == type
                && r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method
                && (!perPayload || Parameter(r.BenchmarkCase, ParameterForPayload) as int? == payloadSize))];

            // The same job; batch benchmarks run a variant of it (InvocationCount=1, UnrollFactor=1)
            // with the same id.
            BenchmarkReport? report =
                candidates.FirstOrDefault(r => r.BenchmarkCase.Job.DisplayInfo == benchmarkCase.Job.DisplayInfo)
                ?? candidates.FirstOrDefault(r => r.BenchmarkCase.Job.Id == benchmarkCase.Job.Id)
                ?? (candidates.Length == 1 ? candidates[0] : null);
            double? mean = report?.ResultStatistics?.Mean;
            if (mean is null)
            {
                return null;
            }

            sum += term.Count * mean.Value;
        }

        return sum;
    }

    private static object? Parameter(BenchmarkCase benchmarkCase, string name) =>
        benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == name)?.Value;
}
