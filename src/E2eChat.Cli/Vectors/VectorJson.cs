using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace E2eChat.Cli.Vectors;

/// <summary>Reading fields of a vector and writing vector files byte-for-byte reproducibly.</summary>
internal static class VectorJson
{
    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The UTF-8 bytes of <paramref name="file"/>: two-space indentation, LF line ends, a final LF.</summary>
    internal static byte[] Serialize(JsonObject file)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, s_writerOptions))
        {
            file.WriteTo(writer);
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    /// <summary>Parses a vector file.</summary>
    internal static JsonObject Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return JsonNode.Parse(utf8) as JsonObject ?? throw new VectorFormatException("the file is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new VectorFormatException($"invalid JSON: {e.Message}", e);
        }
    }

    /// <summary>A required hex field.</summary>
    internal static byte[] Bytes(JsonObject vector, string field) => Hex.Decode(String(vector, field), field);

    /// <summary>A required string field.</summary>
    internal static string String(JsonObject vector, string field)
    {
        JsonNode node = Required(vector, field);
        return node.GetValueKind() == JsonValueKind.String
            ? node.GetValue<string>()
            : throw new VectorFormatException($"{field}: expected a string");
    }

    /// <summary>A required unsigned 32-bit integer field.</summary>
    internal static uint UInt32(JsonObject vector, string field) => checked((uint)UInt64(vector, field));

    /// <summary>A required unsigned 64-bit integer field.</summary>
    internal static ulong UInt64(JsonObject vector, string field)
    {
        JsonNode node = Required(vector, field);
        if (node.GetValueKind() != JsonValueKind.Number)
        {
            throw new VectorFormatException($"{field}: expected a number");
        }

        // Plain decimal digits only: no sign, fraction or exponent.
        return ulong.TryParse(node.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong result)
            ? result
            : throw new VectorFormatException($"{field}: not an unsigned integer");
    }

    /// <summary>A required boolean field.</summary>
    internal static bool Bool(JsonObject vector, string field)
    {
        JsonNode node = Required(vector, field);
        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new VectorFormatException($"{field}: expected true or false"),
        };
    }

    /// <summary>An optional boolean field (absent is false).</summary>
    internal static bool OptionalBool(JsonObject vector, string field) => vector.ContainsKey(field) && Bool(vector, field);

    /// <summary>A required object field.</summary>
    internal static JsonObject Object(JsonObject vector, string field) =>
        Required(vector, field) as JsonObject ?? throw new VectorFormatException($"{field}: expected an object");

    /// <summary>A required array field.</summary>
    internal static JsonArray Array(JsonObject vector, string field) =>
        Required(vector, field) as JsonArray ?? throw new VectorFormatException($"{field}: expected an array");

    /// <summary>A required address field: <c>{ "name": "...", "device": n }</c>.</summary>
    internal static ProtocolAddress Address(JsonObject vector, string field)
    {
        JsonObject address = Object(vector, field);
        string name = String(address, "name");
        uint device = UInt32(address, "device");
        if (!ProtocolAddress.IsValidName(name) || device is 0 or > ProtocolAddress.MaxDeviceId)
        {
            throw new VectorFormatException($"{field}: not a valid address");
        }

        return new ProtocolAddress(name, device);
    }

    /// <summary>
    /// A negative vector: input a reader must refuse, hex under <paramref name="field"/>, and the
    /// failure it reports (<c>"None"</c> when it accepts: the generator then stops on the mismatch).
    /// </summary>
    internal static JsonObject Refused(string name, string kind, string field, ReadOnlySpan<byte> input, string failure) => new()
    {
        ["name"] = name,
        ["kind"] = kind,
        [field] = Hex.Encode(input),
        ["failure"] = failure,
    };

    /// <summary>The JSON form of an address (see <see cref="Address"/>).</summary>
    internal static JsonObject AddressJson(ProtocolAddress address) => new()
    {
        ["name"] = address.Name,
        ["device"] = address.DeviceId,
    };

    /// <summary>The UTF-8 bytes of a string field.</summary>
    internal static byte[] Utf8(JsonObject vector, string field) => Encoding.UTF8.GetBytes(String(vector, field));

    private static JsonNode Required(JsonObject vector, string field) =>
        vector.TryGetPropertyValue(field, out JsonNode? node) && node is not null
            ? node
            : throw new VectorFormatException($"missing field '{field}'");
}
