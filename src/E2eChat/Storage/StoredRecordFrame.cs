using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using E2eChat.Wire;
using Google.Protobuf;
using FileSchema = E2eChat.Storage.Proto.SessionRecordFile;

namespace E2eChat;

/// <summary>
/// Reads the frame of every stored record file of <c>storage.proto</c> (<c>SessionRecordFile</c>,
/// <c>SenderKeyRecordFile</c>, <c>GroupSenderFile</c>): the <c>format_version</c> field first, checked before anything else (old and
/// unknown versions give different failures), then the tag and length of the body, which must end
/// exactly at the end of the input. Only then is the body parsed. The frame is read by the wire
/// layer's strict reader (<see cref="ProtoReader"/>), so this file decodes no varint itself.
/// </summary>
internal static class StoredRecordFrame
{
    /// <summary>The storage format version this build writes and reads.</summary>
    internal const uint FormatVersion = 1;

    /// <summary>The oldest storage format version this build reads.</summary>
    internal const uint OldestReadableFormatVersion = 1;

    /// <summary>Checks the frame and locates the body, reading through the wire layer's canonical reader.</summary>
    /// <param name="input">The stored bytes.</param>
    /// <param name="bodyTag">The body's tag byte (length-delimited).</param>
    /// <param name="bodyOffset">Where the body starts.</param>
    /// <param name="bodyLength">The body's length.</param>
    /// <returns><see cref="E2eChatFailure.None"/> or why the frame is refused.</returns>
    internal static E2eChatFailure Read(ReadOnlySpan<byte> input, byte bodyTag, out int bodyOffset, out int bodyLength)
    {
        bodyOffset = 0;
        bodyLength = 0;
        int bodyField = bodyTag >> 3;
        Span<EnvelopeFailure> required = stackalloc EnvelopeFailure[bodyField + 1];
        required.Clear();
        // format_version has the same number in every record file (SessionRecordFile, SenderKeyRecordFile, GroupSenderFile).
        required[FileSchema.FormatVersionFieldNumber] = EnvelopeFailure.MissingVersion;
        uint lengthDelimited = 1u << bodyField;
        var reader = new ProtoReader(input, 0, input.Length);
        EnvelopeFailure failure = reader.ReadField(required, lengthDelimited, out int field);
        if (failure != EnvelopeFailure.None || field != FileSchema.FormatVersionFieldNumber)
        {
            return ToStateFailure(failure);
        }

        failure = reader.ReadUInt32(out uint version);
        if (failure == EnvelopeFailure.DefaultValueWritten || (failure == EnvelopeFailure.None && version < OldestReadableFormatVersion))
        {
            return E2eChatFailure.OldVersion;
        }

        if (failure != EnvelopeFailure.None)
        {
            return ToStateFailure(failure);
        }

        if (version > FormatVersion)
        {
            return E2eChatFailure.UnknownVersion;
        }

        failure = reader.ReadField(required, lengthDelimited, out field);
        if (failure != EnvelopeFailure.None || field != bodyField)
        {
            return ToStateFailure(failure);
        }

        failure = reader.ReadMessage(out int start, out int end);
        if (failure != EnvelopeFailure.None)
        {
            return ToStateFailure(failure);
        }

        if (!reader.IsAtEnd)
        {
            return E2eChatFailure.Corrupt;
        }

        bodyOffset = start;
        bodyLength = end - start;
        return E2eChatFailure.None;
    }

    /// <summary>
    /// Loads one stored record file: checks the frame (<see cref="Read"/>), parses the body with
    /// <paramref name="parser"/>, builds the record through <paramref name="loader"/>, and accepts it
    /// only when writing it again gives the stored bytes byte for byte (only the canonical encoding
    /// loads). Never throws for corrupt input.
    /// </summary>
    /// <typeparam name="TData">The body's <c>storage.proto</c> message.</typeparam>
    /// <typeparam name="TRecord">The loaded record, which the caller disposes.</typeparam>
    /// <typeparam name="TLoader">The record type's loader (a struct, so its calls are direct).</typeparam>
    /// <param name="input">The stored bytes.</param>
    /// <param name="bodyTag">The body's tag byte (length-delimited).</param>
    /// <param name="parser">The body message's parser.</param>
    /// <param name="loader">Builds and writes the record.</param>
    /// <param name="record">The record, or <see langword="null"/> on failure.</param>
    /// <param name="failure">Why loading failed, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when the record loaded.</returns>
    internal static bool TryLoad<TData, TRecord, TLoader>(
        ReadOnlySpan<byte> input,
        byte bodyTag,
        MessageParser<TData> parser,
        TLoader loader,
        [NotNullWhen(true)] out TRecord? record,
        out E2eChatFailure failure)
        where TData : IMessage<TData>
        where TRecord : class, IDisposable
        where TLoader : struct, IStoredRecordLoader<TData, TRecord>
    {
        record = null;
        failure = Read(input, bodyTag, out int bodyOffset, out int bodyLength);
        if (failure != E2eChatFailure.None)
        {
            return false;
        }

        TData data;
        try
        {
            data = parser.ParseFrom(input.Slice(bodyOffset, bodyLength));
        }
        catch (InvalidProtocolBufferException)
        {
            failure = E2eChatFailure.Corrupt;
            return false;
        }

        TRecord? loaded = loader.FromData(data);
        if (loaded is null)
        {
            failure = E2eChatFailure.Corrupt;
            return false;
        }

        byte[] canonical = loader.Serialize(loaded);
        bool isCanonical = canonical.AsSpan().SequenceEqual(input);
        CryptographicOperations.ZeroMemory(canonical);
        if (!isCanonical)
        {
            loaded.Dispose();
            failure = E2eChatFailure.Corrupt;
            return false;
        }

        record = loaded;
        return true;
    }

    /// <summary>Running out of input is truncation; any other encoding fault is corruption.</summary>
    private static E2eChatFailure ToStateFailure(EnvelopeFailure failure) =>
        failure == EnvelopeFailure.Truncated ? E2eChatFailure.Truncated : E2eChatFailure.Corrupt;
}
