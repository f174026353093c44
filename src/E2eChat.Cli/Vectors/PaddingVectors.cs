using E2eChat.Ratchet;

namespace E2eChat.Cli.Vectors;

/// <summary><c>padding.json</c>: Pad for lengths around every bucket edge, and invalid paddings (PROTOCOL.md 6).</summary>
internal sealed class PaddingVectors() : SynchronousVectorSuite(File)
{
    private const string File = "padding.json";

    private static readonly int[] s_lengths = [0, 1, 62, 63, 64, 100, 127, 128, 1000, 16383, 16384, 20000, 65536];

    /// <inheritdoc/>
    private protected override List<JsonObject> Generate()
    {
        var vectors = new List<JsonObject>();
        foreach (int length in s_lengths)
        {
            string name = $"pad_length_{length}";
            using DeterministicRandomSource random = VectorSeeds.For(File, name);
            vectors.Add(Pad(name, random.Draw(length)));
        }

        // Contents that look like padding: the marker and zeros belong to the plaintext.
        vectors.Add(Pad("pad_trailing_zeros", [0x41, 0x00, 0x00]));
        vectors.Add(Pad("pad_ends_with_marker", [0x41, 0x80]));
        vectors.Add(Pad("pad_marker_then_zeros_63", [.. new byte[61], 0x80, 0x00]));
        vectors.Add(Pad("pad_all_zero_63", new byte[63]));

        byte[] valid = Padded([0x41, 0x42, 0x43], 64);
        vectors.Add(Expect.Fails(Invalid("unpad_all_zero_64", new byte[64]), nameof(E2eChatFailure.InvalidPadding)));
        vectors.Add(Expect.Fails(Invalid("unpad_all_zero_128", new byte[128]), nameof(E2eChatFailure.InvalidPadding)));
        vectors.Add(Expect.Fails(Invalid("unpad_no_marker_last_byte_01", With(valid, 63, 0x01)), nameof(E2eChatFailure.InvalidPadding)));
        vectors.Add(Expect.Fails(Invalid("unpad_marker_81", With(valid, 3, 0x81)), nameof(E2eChatFailure.InvalidPadding)));
        vectors.Add(Expect.Fails(Invalid("unpad_marker_00_then_01", With(With(valid, 3, 0x00), 4, 0x01)), nameof(E2eChatFailure.InvalidPadding)));
        vectors.Add(Expect.Fails(Invalid("unpad_nonzero_after_marker", With(valid, 10, 0x01)), nameof(E2eChatFailure.InvalidPadding)));
        vectors.Add(Expect.Fails(Invalid("unpad_last_byte_ff", With(valid, 63, 0xff)), nameof(E2eChatFailure.InvalidPadding)));
        byte[] large = Padded(new byte[20000], 32768);
        vectors.Add(Expect.Fails(Invalid("unpad_nonzero_after_marker_32768", With(large, 32767, 0x02)), nameof(E2eChatFailure.InvalidPadding)));
        return vectors;
    }

    /// <inheritdoc/>
    private protected override void Verify(string kind, string name, JsonObject vector)
    {
        switch (kind)
        {
            case "pad":
                byte[] plaintext = VectorJson.Bytes(vector, "plaintext");
                Outputs.Compare(vector, Pad(name, plaintext));
                byte[] padded = VectorJson.Bytes(vector, "padded");
                Expect.True(Padding.TryUnpad(padded, out int length) && padded.AsSpan(0, length).SequenceEqual(plaintext), "padded: does not unpad to the plaintext");
                break;
            case "unpad_invalid":
                byte[] invalid = VectorJson.Bytes(vector, "padded");
                Outputs.Compare(vector, Invalid(name, invalid));
                break;
            default:
                throw UnknownKind(kind);
        }
    }

    private static JsonObject Pad(string name, byte[] plaintext)
    {
        if (plaintext.Length > ProtocolLimits.MaxPlaintextLength)
        {
            throw new VectorFormatException($"plaintext: longer than {ProtocolLimits.MaxPlaintextLength} bytes");
        }

        byte[] padded = new byte[Padding.GetPaddedLength(plaintext.Length)];
        Padding.Pad(plaintext, padded);
        return new JsonObject
        {
            ["name"] = name,
            ["kind"] = "pad",
            ["plaintext"] = Hex.Encode(plaintext),
            ["padded"] = Hex.Encode(padded),
        };
    }

    private static JsonObject Invalid(string name, byte[] padded) =>
        VectorJson.Refused(name, "unpad_invalid", "padded", padded, Padding.TryUnpad(padded, out _) ? "None" : nameof(E2eChatFailure.InvalidPadding));

    private static byte[] Padded(byte[] plaintext, int bucket)
    {
        byte[] padded = new byte[bucket];
        Padding.Pad(plaintext, padded);
        return padded;
    }

    private static byte[] With(byte[] bytes, int index, byte value)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[index] = value;
        return copy;
    }
}
