using System.Buffers;
using System.Text;
using E2eChat.Wire;

namespace E2eChat;

/// <summary>
/// The canonical writer for the records of PROTOCOL.md sections 13-15: the caller writes fields in
/// ascending order; default values (0, empty) are skipped, so the output is the one encoding its
/// readers accept. Every field is encoded by the wire layer's <see cref="ProtoWriter"/>; this class
/// only grows the buffer.
/// </summary>
internal sealed class RecordWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>Writes a varint field unless <paramref name="value"/> is 0.</summary>
    internal RecordWriter Varint(int field, ulong value)
    {
        int length = ProtoWriter.VarintFieldLength(field, value);
        if (length != 0)
        {
            var writer = new ProtoWriter(_buffer.GetSpan(length));
            writer.WriteVarintField(field, value);
            _buffer.Advance(length);
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
        int length = ProtoWriter.BytesFieldLength(field, value.Length);
        var writer = new ProtoWriter(_buffer.GetSpan(length));
        writer.WriteBytesField(field, value);
        _buffer.Advance(length);
        return this;
    }

    /// <summary>The bytes written.</summary>
    internal byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
