using System.Buffers;
using System.Text;

namespace E2eChat.Accounts;

/// <summary>
/// The canonical writer for the records of PROTOCOL.md sections 13-15: the caller writes fields in
/// ascending order; default values (0, empty) are skipped, so the output is the one encoding its
/// readers accept.
/// </summary>
internal sealed class RecordWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>Writes a varint field unless <paramref name="value"/> is 0.</summary>
    internal RecordWriter Varint(int field, ulong value)
    {
        if (value != 0)
        {
            WriteVarint((ulong)field << 3);
            WriteVarint(value);
        }

        return this;
    }

    /// <summary>Writes a bytes field unless <paramref name="value"/> is empty.</summary>
    internal RecordWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        if (!value.IsEmpty)
        {
            Message(field, value);
        }

        return this;
    }

    /// <summary>Writes a string field (UTF-8) unless it is null or empty.</summary>
    internal RecordWriter String(int field, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Message(field, Encoding.UTF8.GetBytes(value));
        }

        return this;
    }

    /// <summary>Writes a length-delimited field even when empty (a present nested message).</summary>
    internal RecordWriter Message(int field, ReadOnlySpan<byte> value)
    {
        WriteVarint(((ulong)field << 3) | 2);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    /// <summary>The bytes written.</summary>
    internal byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    private void WriteVarint(ulong value)
    {
        Span<byte> span = _buffer.GetSpan(10);
        int i = 0;
        while (value >= 0x80)
        {
            span[i++] = unchecked((byte)(value | 0x80));
            value >>= 7;
        }

        span[i++] = (byte)value;
        _buffer.Advance(i);
    }
}
