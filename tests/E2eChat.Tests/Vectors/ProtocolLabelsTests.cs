using System.Reflection;
using System.Text;
using E2eChat.Crypto;
using E2eChat.Tests.Relay;

namespace E2eChat.Tests.Vectors;

public sealed class ProtocolLabelsTests
{
    // ReadOnlySpan properties cannot be read by reflection: each is listed here, and a test checks
    // that the list names every property of ProtocolLabels.
    private static readonly Dictionary<string, Func<string>> s_labels = new(StringComparer.Ordinal)
    {
        [nameof(ProtocolLabels.IdentityDhKey)] = () => Ascii(ProtocolLabels.IdentityDhKey),
        [nameof(ProtocolLabels.SignedPreKey)] = () => Ascii(ProtocolLabels.SignedPreKey),
        [nameof(ProtocolLabels.KemPreKey)] = () => Ascii(ProtocolLabels.KemPreKey),
        [nameof(ProtocolLabels.SenderKeyMessage)] = () => Ascii(ProtocolLabels.SenderKeyMessage),
        [nameof(ProtocolLabels.Handshake)] = () => Ascii(ProtocolLabels.Handshake),
        [nameof(ProtocolLabels.RatchetRoot)] = () => Ascii(ProtocolLabels.RatchetRoot),
        [nameof(ProtocolLabels.RatchetMessage)] = () => Ascii(ProtocolLabels.RatchetMessage),
        [nameof(ProtocolLabels.SenderKeyMessageKey)] = () => Ascii(ProtocolLabels.SenderKeyMessageKey),
        [nameof(ProtocolLabels.Fingerprint)] = () => Ascii(ProtocolLabels.Fingerprint),
        [nameof(ProtocolLabels.SealedState)] = () => Ascii(ProtocolLabels.SealedState),
        [nameof(ProtocolLabels.DeviceList)] = () => Ascii(ProtocolLabels.DeviceList),
        [nameof(ProtocolLabels.ContactLink)] = () => Ascii(ProtocolLabels.ContactLink),
    };

    public static TheoryData<string> LabelNames => [.. s_labels.Keys];

    [Fact]
    public void Labels_ListedHere_AreEveryProperty()
    {
        string[] properties = typeof(ProtocolLabels)
            .GetProperties(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Select(p => p.Name)
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(properties, s_labels.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(LabelNames))]
    public void Label_AppearsVerbatimInTheTableOfSection2(string name)
    {
        string label = s_labels[name]();

        Assert.Contains($"| `{label}` |", SpecText.Section("## 2."), StringComparison.Ordinal);
    }

    [Fact]
    public void Section2_Labels_AreExactlyTheProtocolLabels()
    {
        var documented = SpecText.Section("## 2.")
            .Split('\n')
            .Where(line => line.StartsWith('|') && line.Contains("`E2eChat/", StringComparison.Ordinal))
            .Select(line => line.Split('`')[1])
            .Order(StringComparer.Ordinal);

        Assert.Equal(s_labels.Values.Select(get => get()).Order(StringComparer.Ordinal), documented);
    }

    private static string Ascii(ReadOnlySpan<byte> label)
    {
        Assert.All(label.ToArray(), b => Assert.InRange(b, (byte)0x20, (byte)0x7e));
        return Encoding.ASCII.GetString(label);
    }
}
