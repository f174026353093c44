using System.Text.Json;

namespace E2eChat.Tests.Crypto.Wycheproof;

/// <summary>One Wycheproof test case together with the group that holds it.</summary>
internal readonly struct WycheproofCase
{
    internal WycheproofCase(JsonElement group, JsonElement test)
    {
        Group = group;
        Test = test;
    }

    /// <summary>The test group (parameters shared by its cases, e.g. key or tag sizes).</summary>
    internal JsonElement Group { get; }

    /// <summary>The test case itself.</summary>
    internal JsonElement Test { get; }

    /// <summary>The case number, unique within a file.</summary>
    internal int TcId => Test.GetProperty("tcId").GetInt32();

    /// <summary><c>valid</c>, <c>invalid</c> or <c>acceptable</c>.</summary>
    internal string Result => Test.GetProperty("result").GetString() ?? string.Empty;

    /// <summary>Whether the expected result is <c>valid</c>.</summary>
    internal bool IsValid => Result == "valid";

    /// <summary>Whether the expected result is <c>invalid</c>.</summary>
    internal bool IsInvalid => Result == "invalid";

    /// <summary>The comment, or an empty string.</summary>
    internal string Comment => Test.TryGetProperty("comment", out JsonElement comment) ? comment.GetString() ?? string.Empty : string.Empty;

    /// <summary>Whether the case carries <paramref name="flag"/>.</summary>
    /// <param name="flag">A flag name such as <c>LowOrderPublic</c>.</param>
    /// <returns><see langword="true"/> when flagged.</returns>
    internal bool HasFlag(string flag)
    {
        if (!Test.TryGetProperty("flags", out JsonElement flags))
        {
            return false;
        }

        foreach (JsonElement element in flags.EnumerateArray())
        {
            if (element.GetString() == flag)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the case has a field named <paramref name="name"/>.</summary>
    /// <param name="name">The field name.</param>
    /// <returns><see langword="true"/> when present.</returns>
    internal bool Has(string name) => Test.TryGetProperty(name, out _);

    /// <summary>Decodes the hexadecimal field <paramref name="name"/>.</summary>
    /// <param name="name">The field name, e.g. <c>key</c>.</param>
    /// <returns>The bytes.</returns>
    internal byte[] Hex(string name) => Convert.FromHexString(Test.GetProperty(name).GetString() ?? string.Empty);

    /// <summary>Reads the integer field <paramref name="name"/> of the case.</summary>
    /// <param name="name">The field name.</param>
    /// <returns>The value.</returns>
    internal int Int(string name) => Test.GetProperty(name).GetInt32();

    /// <summary>Reads the integer field <paramref name="name"/> of the group.</summary>
    /// <param name="name">The field name, e.g. <c>keySize</c>.</param>
    /// <returns>The value.</returns>
    internal int GroupInt(string name) => Group.GetProperty(name).GetInt32();

    /// <summary>Names the case for failure messages.</summary>
    /// <returns>The id, expected result and comment.</returns>
    public override string ToString() => $"tcId {TcId} ({Result}; {Comment})";
}
