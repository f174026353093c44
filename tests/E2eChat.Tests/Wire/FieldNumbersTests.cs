using System.Reflection;
using E2eChat.Wire;

namespace E2eChat.Tests.Wire;

/// <summary>
/// The wire layer's field numbers (<c>E2eChat.Wire.FieldNumbers</c>, generated at build time from
/// wire.proto and records.proto by src/E2eChat.Wire/ProtoFieldNumbers.targets) are exactly protoc's:
/// every message, every field, the same names and numbers as the <c>XxxFieldNumber</c> constants of the
/// Google.Protobuf classes (wire.proto compiled by E2eChat, records.proto by this test project).
/// </summary>
public sealed class FieldNumbersTests
{
    private const string GeneratedNamespace = "E2eChat.Wire.FieldNumbers";
    private const string ProtocNamespace = "E2eChat.Wire.Proto";

    [Fact]
    public void FieldNumbers_EveryMessage_MatchesProtoc()
    {
        Type[] protocMessages =
        [
            .. new[] { typeof(E2eChat.Wire.Proto.Envelope).Assembly, typeof(E2eChat.Wire.Proto.ConsentRecord).Assembly }
                .SelectMany(a => a.GetTypes())
                .Where(t => t.Namespace == ProtocNamespace && t.IsClass && !t.IsNested && t.GetProperty("Parser", BindingFlags.Public | BindingFlags.Static) is not null),
        ];
        Type[] generated = [.. typeof(WireEnvelope).Assembly.GetTypes().Where(t => t.Namespace == GeneratedNamespace)];

        Assert.Contains(generated, t => t.Name == "SignedConsentRecord");

        Assert.Equal(
            protocMessages.Select(t => t.Name).Order(StringComparer.Ordinal),
            generated.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (Type message in generated)
        {
            Type protoc = protocMessages.Single(t => t.Name == message.Name);
            Assert.Equal(FieldNumbers(protoc), FieldNumbers(message));
        }
    }

    private static string[] FieldNumbers(Type type) =>
        [
            .. type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.Name.EndsWith("FieldNumber", StringComparison.Ordinal))
                .Select(f => $"{f.Name}={f.GetRawConstantValue()}")
                .Order(StringComparer.Ordinal),
        ];
}
