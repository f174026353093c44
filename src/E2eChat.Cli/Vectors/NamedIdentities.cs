namespace E2eChat.Cli.Vectors;

/// <summary>
/// The inputs of a <c>safety_number</c> or <c>qr_match</c> vector of <c>keys.json</c>: two
/// identities (the 128-byte encodings) with the account names they are shown under.
/// </summary>
internal sealed record NamedIdentities(byte[] IdentityA, string NameA, byte[] IdentityB, string NameB)
{
    /// <summary>Reads the four fields of a vector.</summary>
    internal static NamedIdentities Read(JsonObject vector) => new(
        VectorJson.Bytes(vector, "identity_a"),
        VectorJson.String(vector, "name_a"),
        VectorJson.Bytes(vector, "identity_b"),
        VectorJson.String(vector, "name_b"));

    /// <summary>The start of the vector: its name, its kind and the four fields.</summary>
    internal JsonObject Vector(string name, string kind) => new()
    {
        ["name"] = name,
        ["kind"] = kind,
        ["identity_a"] = Hex.Encode(IdentityA),
        ["name_a"] = NameA,
        ["identity_b"] = Hex.Encode(IdentityB),
        ["name_b"] = NameB,
    };
}
