using System.Buffers.Binary;

namespace E2eChat.Client;

/// <summary>
/// The bytes of one inbox entry (a received message committed, not yet handed over), stored sealed
/// in the protocol store: <c>version (1) || u32 envelope length || envelope || plaintext</c>. The
/// envelope is the relay's delivery as received (its sender, id and kinds); the plaintext is what the
/// session decrypted.
/// </summary>
internal static class InboxEntry
{
    /// <summary>The entry format's version; another is refused.</summary>
    internal const byte Version = 1;

    private const int HeaderLength = 1 + sizeof(uint);

    /// <summary>Encodes an entry (the caller wipes it: it holds the plaintext).</summary>
    internal static byte[] Write(ReadOnlySpan<byte> envelope, ReadOnlySpan<byte> plaintext)
    {
        byte[] entry = new byte[checked(HeaderLength + envelope.Length + plaintext.Length)];
        entry[0] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(entry.AsSpan(1), (uint)envelope.Length);
        envelope.CopyTo(entry.AsSpan(HeaderLength));
        plaintext.CopyTo(entry.AsSpan(HeaderLength + envelope.Length));
        return entry;
    }

    /// <summary>Splits an entry; <see langword="false"/> for another version or a length that does not fit.</summary>
    internal static bool TryRead(ReadOnlyMemory<byte> entry, out ReadOnlyMemory<byte> envelope, out ReadOnlyMemory<byte> plaintext)
    {
        envelope = default;
        plaintext = default;
        if (entry.Length < HeaderLength || entry.Span[0] != Version)
        {
            return false;
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(entry.Span[1..]);
        if (length > (uint)(entry.Length - HeaderLength))
        {
            return false;
        }

        envelope = entry.Slice(HeaderLength, (int)length);
        plaintext = entry[(HeaderLength + (int)length)..];
        return true;
    }
}
