using System.Reflection;
using E2eChat.Client;
using E2eChat.Storage.Sqlite;
using E2eChat.Wire;

namespace E2eChat.Tests.Errors;

/// <summary>
/// <see cref="E2eChatFailure"/> is the one failure type of the library packages: its members change only
/// on purpose (checked against <c>tests/E2eChat.Tests/PublicSurface/E2eChatFailure.txt</c>, one
/// <c>Name = value</c> a line; rewrite it with <c>E2ECHAT_UPDATE_PUBLIC_SURFACE=1</c> and review the diff),
/// no public member of those packages is typed <see cref="Enum"/>, and every failure of the keyless wire
/// layer maps to the member of the same name.
/// </summary>
public sealed class E2eChatFailureTests
{
    private const string UpdateVariable = "E2ECHAT_UPDATE_PUBLIC_SURFACE";

    /// <summary>The packages a client application references.</summary>
    public static TheoryData<string> LibraryPackages => ["E2eChat", "E2eChat.Client", "E2eChat.Storage.Sqlite", "E2eChat.Wire"];

    [Fact]
    public void Members_MatchTheCheckedInList()
    {
        string listPath = Path.Combine(PublicSurfaceDirectory(), "E2eChatFailure.txt");
        string[] actual = Enum.GetValues<E2eChatFailure>().Select(f => $"{f} = {(int)f}").ToArray();
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllLines(listPath, actual);
        }

        string[] expected = File.ReadAllLines(listPath).Where(line => line.Length != 0).ToArray();
        string[] added = actual.Except(expected, StringComparer.Ordinal).ToArray();
        string[] removed = expected.Except(actual, StringComparer.Ordinal).ToArray();
        Assert.True(
            added.Length == 0 && removed.Length == 0,
            $"E2eChatFailure differs from {listPath}.\nNew or renumbered: {string.Join(", ", added)}\nGone or renumbered: {string.Join(", ", removed)}");
    }

    [Fact]
    public void Values_AreDistinctAndFitTheRecordReadersByteCodes()
    {
        int[] values = Enum.GetValues<E2eChatFailure>().Select(f => (int)f).ToArray();
        Assert.Equal(values.Length, values.Distinct().Count());
        Assert.All(values, value => Assert.InRange(value, 0, byte.MaxValue));
        Assert.Equal(0, (int)E2eChatFailure.None);
    }

    [Fact]
    public void EncodingFailures_HaveTheRecordReadersCodes()
    {
        // The strict record reader returns these codes (its required-field table holds them as bytes).
        Assert.Equal(
            ["TooLarge", "Truncated", "MalformedVarint", "UnknownField", "DuplicateField", "FieldsOutOfOrder", "WrongWireType", "DefaultValueWritten"],
            Enumerable.Range(1, 8).Select(code => ((E2eChatFailure)code).ToString()));
    }

    [Fact]
    public void EnvelopeFailures_MapToTheMemberOfTheSameName()
    {
        foreach (EnvelopeFailure failure in Enum.GetValues<EnvelopeFailure>())
        {
            Assert.Equal(failure.ToString(), Error.From(failure).ToString());
        }
    }

    [Fact]
    public void ConsentFailures_MapToTheMemberOfTheSameName()
    {
        foreach (ConsentFailure failure in Enum.GetValues<ConsentFailure>())
        {
            Assert.Equal(failure.ToString(), Error.From(failure).ToString());
        }
    }

    [Fact]
    public void Exception_CarriesTheFailureAndNamesOnlyIt()
    {
        E2eChatException exception = Error.Of(E2eChatFailure.Unauthentic);
        Assert.Equal(E2eChatFailure.Unauthentic, exception.Failure);
        Assert.Equal("E2eChatFailure.Unauthentic", exception.Message);
        Assert.Equal(E2eChatFailure.InvalidHeaderLength, Error.Of(EnvelopeFailure.InvalidHeaderLength).Failure);
    }

    [Fact]
    public void CheckLength_WrongLength_ThrowsArgumentExceptionNamingTheParameter()
    {
        Error.CheckLength(new byte[32], 32, "key");
        Assert.Equal("key", Assert.Throws<ArgumentException>(() => Error.CheckLength(new byte[31], 32, "key")).ParamName);
        Error.CheckMinimumLength(new byte[17], 16, "destination");
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Error.CheckMinimumLength(new byte[15], 16, "destination")).ParamName);
    }

    [Theory]
    [MemberData(nameof(LibraryPackages))]
    public void PublicApi_HasNoEnumTypedMember(string package)
    {
        Assembly assembly = package switch
        {
            "E2eChat" => typeof(SessionManager).Assembly,
            "E2eChat.Client" => typeof(ChatDevice).Assembly,
            "E2eChat.Storage.Sqlite" => typeof(SqliteProtocolStore).Assembly,
            "E2eChat.Wire" => typeof(EnvelopeFailure).Assembly,
            _ => throw new ArgumentOutOfRangeException(nameof(package), package, null),
        };
        List<string> offenders = [];
        const BindingFlags Visible = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (Type type in assembly.GetExportedTypes())
        {
            foreach (MemberInfo member in type.GetMembers(Visible))
            {
                IEnumerable<Type> types = member switch
                {
                    PropertyInfo property => [property.PropertyType],
                    FieldInfo field => [field.FieldType],
                    MethodBase method => method.GetParameters().Select(p => p.ParameterType)
                        .Concat(method is MethodInfo m ? [m.ReturnType] : []),
                    EventInfo e => [e.EventHandlerType!],
                    _ => [],
                };
                if (types.Any(IsUntypedEnum))
                {
                    offenders.Add($"{type.FullName}.{member.Name}");
                }
            }
        }

        Assert.Empty(offenders);
    }

    /// <summary><see cref="Enum"/> itself (possibly nullable, by reference or inside a generic type), not a specific enum.</summary>
    private static bool IsUntypedEnum(Type type)
    {
        if (type.HasElementType)
        {
            return IsUntypedEnum(type.GetElementType()!);
        }

        return type == typeof(Enum) || (type.IsGenericType && type.GetGenericArguments().Any(IsUntypedEnum));
    }

    private static string PublicSurfaceDirectory()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "E2eChat.Tests", "PublicSurface");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/E2eChat.Tests/PublicSurface not found above {AppContext.BaseDirectory}");
    }
}
