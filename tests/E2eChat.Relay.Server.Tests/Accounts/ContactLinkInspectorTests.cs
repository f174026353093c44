using System.Text.Json;
using E2eChat.Relay.Server.Accounts;

namespace E2eChat.Relay.Server.Tests.Accounts;

/// <summary>The relay reads contact links as the clients do: every vector of <c>tests/vectors/contact-links.json</c>.</summary>
public sealed class ContactLinkInspectorTests
{
    public static TheoryData<string, string, string> Valid() => Vectors("contact_link", v => v.GetProperty("link").GetProperty("account").GetString()!);

    public static TheoryData<string, string, string> Invalid() => Vectors("contact_link_invalid", v => v.GetProperty("failure").GetString()!);

    [Theory]
    [MemberData(nameof(Valid))]
    public void Inspect_ValidVector_ReadsAccountKeyAndExpiry(string name, string signedHex, string account)
    {
        string? problem = ContactLinkInspector.Inspect(Convert.FromHexString(signedHex), out ContactLinkFacts? facts);

        Assert.True(problem is null, $"{name}: {problem}");
        Assert.Equal(account, facts!.Account);
        Assert.Equal(32, facts.AccountKey.Length);
        Assert.NotEqual(0UL, facts.ExpiresAtMilliseconds);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Inspect_InvalidVector_RefusedWithTheClientsFailure(string name, string signedHex, string failure)
    {
        string? problem = ContactLinkInspector.Inspect(Convert.FromHexString(signedHex), out ContactLinkFacts? facts);

        Assert.True(failure == problem, $"{name}: expected {failure}, got {problem ?? "accepted"}");
        Assert.Null(facts);
    }

    [Fact]
    public void Inspect_EmptyOrGarbage_RefusedNotThrown()
    {
        Assert.Equal("MissingLink", ContactLinkInspector.Inspect([], out _));
        Assert.Equal("Truncated", ContactLinkInspector.Inspect([0x0a, 0x05, 0x01], out _));
        Assert.Equal("UnknownField", ContactLinkInspector.Inspect([0xff, 0xff, 0xff, 0xff, 0x0f], out _));
    }

    private static TheoryData<string, string, string> Vectors(string kind, Func<JsonElement, string> expected)
    {
        var data = new TheoryData<string, string, string>();
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "tests", "vectors", "contact-links.json")));
        foreach (JsonElement vector in document.RootElement.GetProperty("vectors").EnumerateArray())
        {
            if (vector.GetProperty("kind").GetString() == kind)
            {
                data.Add(vector.GetProperty("name").GetString()!, vector.GetProperty("signed").GetString()!, expected(vector));
            }
        }

        Assert.NotEmpty(data);
        return data;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "E2eChat.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("E2eChat.sln not found above the test's directory.");
    }
}
