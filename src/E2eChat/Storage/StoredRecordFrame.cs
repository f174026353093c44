using E2eChat.Sessions;

namespace E2eChat.Storage;

/// <summary>
/// Reads the frame of every stored record file of <c>storage.proto</c> (<c>SessionRecordFile</c>,
/// <c>SenderKeyRecordFile</c>, <c>GroupSenderFile</c>): the <c>format_version</c> field first, checked before anything else (old and
/// unknown versions give different failures), then the tag and length of the body, which must end
/// exactly at the end of the input. Only then is the body parsed.
/// </summary>
internal static class StoredRecordFrame
{
    /// <summary>The storage format version this build writes and reads.</summary>
    internal const uint FormatVersion = 1;

    /// <summary>The oldest storage format version this build reads.</summary>
    internal const uint OldestReadableFormatVersion = 1;

    private const byte FormatVersionTag = (1 << 3) | 0;
    private const int MaxVarintLength = 10;

    /// <summary>Checks the frame and locates the body.</summary>
    /// <param name="input">The stored bytes.</param>
    /// <param name="bodyTag">The body's tag byte (length-delimited).</param>
    /// <param name="bodyOffset">Where the body starts.</param>
    /// <param name="bodyLength">The body's length.</param>
    /// <returns><see cref="StateFailure.None"/> or why the frame is refused.</returns>
    internal static StateFailure Read(ReadOnlySpan<byte> input, byte bodyTag, out int bodyOffset, out int bodyLength)
    {
        bodyOffset = 0;
        bodyLength = 0;
        int position = 0;
        StateFailure failure = ReadVarint(input, ref position, out ulong tag);
        if (failure != StateFailure.None)
        {
            return failure;
        }

        if (tag != FormatVersionTag)
        {
            return StateFailure.Corrupt;
        }

        failure = ReadVarint(input, ref position, out ulong version);
        if (failure != StateFailure.None)
        {
            return failure;
        }

        if (version > uint.MaxValue)
        {
            return StateFailure.Corrupt;
        }

        if (version < OldestReadableFormatVersion)
        {
            return StateFailure.OldVersion;
        }

        if (version > FormatVersion)
        {
            return StateFailure.UnknownVersion;
        }

        failure = ReadVarint(input, ref position, out tag);
        if (failure != StateFailure.None)
        {
            return failure;
        }

        if (tag != bodyTag)
        {
            return StateFailure.Corrupt;
        }

        failure = ReadVarint(input, ref position, out ulong length);
        if (failure != StateFailure.None)
        {
            return failure;
        }

        int remaining = input.Length - position;
        if (length > (ulong)remaining)
        {
            return StateFailure.Truncated;
        }

        if (length < (ulong)remaining)
        {
            return StateFailure.Corrupt;
        }

        bodyOffset = position;
        bodyLength = remaining;
        return StateFailure.None;
    }

    /// <summary>Reads a protobuf varint; running out of input is truncation.</summary>
    private static StateFailure ReadVarint(ReadOnlySpan<byte> input, ref int position, out ulong value)
    {
        value = 0;
        for (int i = 0; i < MaxVarintLength; i++)
        {
            if (position >= input.Length)
            {
                return StateFailure.Truncated;
            }

            byte b = input[position++];
            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return StateFailure.None;
            }
        }

        return StateFailure.Corrupt;
    }
}
