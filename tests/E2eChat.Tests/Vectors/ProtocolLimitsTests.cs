using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using E2eChat.Tests.Relay;

namespace E2eChat.Tests.Vectors;

public sealed class ProtocolLimitsTests
{
    public static TheoryData<string> ConstantNames => [.. Constants().Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(ConstantNames))]
    public void Constant_AppearsInTheTableOfSection9WithItsValue(string name)
    {
        object value = Constants().Single(c => c.Name == name).GetRawConstantValue()!;

        Assert.Contains(
            $"| `{name}` | {Convert.ToString(value, CultureInfo.InvariantCulture)} |",
            SpecText.Section("## 9."),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Section9_EveryRow_IsAProtocolOrRelayLimit()
    {
        var known = Constants().Select(c => c.Name).Append(nameof(E2eChat.Wire.WireLimits.MaxEnvelopeLength)).ToHashSet(StringComparer.Ordinal);
        var rows = Regex.Matches(SpecText.Section("## 9."), @"^\| `([A-Za-z]+)` \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Contains(row, known));
    }

    private static IEnumerable<FieldInfo> Constants() =>
        typeof(ProtocolLimits).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral);
}
