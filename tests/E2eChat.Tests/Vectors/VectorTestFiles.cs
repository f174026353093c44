using System.Text.Json.Nodes;
using E2eChat.Cli.Vectors;

namespace E2eChat.Tests.Vectors;

/// <summary>Loads committed vector files and makes one-byte changes to them.</summary>
internal static class VectorTestFiles
{
    /// <summary>Output fields, per kind of positive vector, in the order a change is tried.</summary>
    private static readonly Dictionary<string, string> s_outputField = new(StringComparer.Ordinal)
    {
        ["kdf_rk"] = "next_header_key",
        ["kdf_ck"] = "next_chain_key",
        ["message_keys"] = "nonce",
        ["sender_message_keys"] = "nonce",
        ["handshake_kdf"] = "session_binding",
        ["pad"] = "padded",
        ["identity"] = "identity_key",
        ["bundle"] = "bundle",
        ["safety_number"] = "qr_a",
        ["handshake"] = "associated_data",
        ["envelope"] = "envelope",
        ["device_list"] = "signed",
        ["device_list_update"] = "stored",
        ["contact_link"] = "signed",
        ["contact_link_open"] = "link_bytes",
        ["content"] = "encoded",
        ["consent_record"] = "signed_record",
        ["qr_match"] = "matches",
        ["sealed_state"] = "sealed",
        ["identity_accepted"] = "valid",
        ["session_encrypt_trust"] = "failure",
    };

    /// <summary>A committed file, parsed (every call a fresh copy).</summary>
    public static async Task<JsonObject> LoadAsync(string fileName) =>
        VectorJson.Parse(await File.ReadAllBytesAsync(Path.Combine(RepositoryRoot.VectorDirectory, fileName)));

    /// <summary>The vectors of a committed file.</summary>
    public static async Task<List<JsonObject>> VectorsAsync(string fileName) =>
        [.. VectorJson.Array(await LoadAsync(fileName), "vectors").OfType<JsonObject>()];

    /// <summary>
    /// Where a positive vector keeps an output: the object and the field name. For ratchet
    /// transcripts and session records, the ciphertext of the last encrypt step; for sender-key transcripts, the
    /// encoded message of the last encrypt step.
    /// </summary>
    public static (JsonObject Holder, string Field) OutputOf(JsonObject vector)
    {
        string kind = VectorJson.String(vector, "kind");
        if (kind == "consent_sequence")
        {
            // A sequence's outputs are names and numbers: its last business message's decision.
            return (VectorJson.Array(vector, "events").OfType<JsonObject>().Last(e => VectorJson.String(e, "event") == "business_message"), "decision");
        }

        if (kind is "transcript" or "sender_key_transcript" or "session_record")
        {
            JsonObject step = VectorJson.Array(vector, "steps").OfType<JsonObject>().Last(s => VectorJson.String(s, "op") == "encrypt");
            return (step, kind == "sender_key_transcript" ? "message" : "ciphertext");
        }

        return (vector, s_outputField[kind]);
    }

    /// <summary>
    /// Negates a boolean output (qr_match); flips the lowest bit of the middle byte of a hex field; of an
    /// envelope (whose outputs are its validity and type), the byte after the first tag, so the version
    /// becomes 0; of a consent sequence (whose outputs are names), its last decision is replaced by another;
    /// a failure name (session_encrypt_trust) becomes <see cref="OtherFailure"/>.
    /// </summary>
    public static void ChangeOneByte((JsonObject Holder, string Field) target)
    {
        if (target.Holder[target.Field] is JsonValue value && value.TryGetValue(out bool flag))
        {
            target.Holder[target.Field] = !flag;
            return;
        }

        if (target.Field == "decision")
        {
            target.Holder[target.Field] = VectorJson.String(target.Holder, target.Field) == "Deliver" ? "NoConsent" : "Deliver";
            return;
        }

        if (target.Field == "failure")
        {
            target.Holder[target.Field] = OtherFailure(VectorJson.String(target.Holder, target.Field));
            return;
        }

        byte[] bytes = Hex.Decode(VectorJson.String(target.Holder, target.Field), target.Field);
        int index = target.Field == "envelope" ? 1 : bytes.Length / 2;
        bytes[index] ^= 0x01;
        target.Holder[target.Field] = Hex.Encode(bytes);
    }

    /// <summary>A failure name other than <paramref name="failure"/>: <c>None</c>, or <c>Malformed</c> in place of <c>None</c>.</summary>
    public static string OtherFailure(string failure) => failure == "None" ? "Malformed" : "None";
}
