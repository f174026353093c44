using System.Diagnostics.CodeAnalysis;

namespace E2eChat;

/// <summary>
/// The plaintext of every pairwise message (PROTOCOL.md section 13): exactly one of an application
/// message, a sender-key distribution, a device-list update, a receipt, a sync copy or a consent
/// record. Only the two ends ever see it.
/// </summary>
public sealed class Content
{
    private readonly byte[]? _bytes;

    private Content(ContentKind kind, ApplicationMessage? message = null, byte[]? bytes = null, Receipt? receipt = null, SyncMessage? sync = null)
    {
        Kind = kind;
        Message = message;
        _bytes = bytes;
        Receipt = receipt;
        Sync = sync;
    }

    /// <summary>Which field is present.</summary>
    public ContentKind Kind { get; }

    /// <summary>The application message (<see cref="ContentKind.Message"/>), else null.</summary>
    public ApplicationMessage? Message { get; }

    /// <summary>The receipt (<see cref="ContentKind.Receipt"/>), else null.</summary>
    public Receipt? Receipt { get; }

    /// <summary>The sync copy (<see cref="ContentKind.Sync"/>), else null.</summary>
    public SyncMessage? Sync { get; }

    /// <summary>
    /// The bytes of a <see cref="ContentKind.SenderKeyDistribution"/>, <see cref="ContentKind.DeviceList"/>
    /// (a <c>SignedDeviceList</c>, for <see cref="AccountDirectory.ApplyAsync(string, ReadOnlyMemory{byte}, CancellationToken)"/>) or
    /// <see cref="ContentKind.Consent"/>, read by their own sections; else empty.
    /// </summary>
    public ReadOnlyMemory<byte> Record => _bytes;

    /// <summary>Wraps an application message.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The content.</returns>
    public static Content FromMessage(ApplicationMessage message) => new(ContentKind.Message, message: message ?? throw new ArgumentNullException(nameof(message)));

    /// <summary>Wraps a sync copy.</summary>
    /// <param name="sync">The copy.</param>
    /// <returns>The content.</returns>
    public static Content FromSync(SyncMessage sync) => new(ContentKind.Sync, sync: sync ?? throw new ArgumentNullException(nameof(sync)));

    /// <summary>Wraps a receipt.</summary>
    /// <param name="receipt">The receipt.</param>
    /// <returns>The content.</returns>
    public static Content FromReceipt(Receipt receipt) => new(ContentKind.Receipt, receipt: receipt ?? throw new ArgumentNullException(nameof(receipt)));

    /// <summary>Wraps the sender's account's signed device list (sent to contacts when it changes).</summary>
    /// <param name="list">The list.</param>
    /// <returns>The content.</returns>
    public static Content FromDeviceList(SignedDeviceList list) => new(ContentKind.DeviceList, bytes: (list ?? throw new ArgumentNullException(nameof(list))).ToBytes());

    /// <summary>Wraps encoded record bytes of a sender-key distribution or a consent record.</summary>
    /// <param name="kind"><see cref="ContentKind.SenderKeyDistribution"/> or <see cref="ContentKind.Consent"/>.</param>
    /// <param name="record">The record's bytes (nonempty).</param>
    /// <returns>The content.</returns>
    public static Content FromRecord(ContentKind kind, ReadOnlySpan<byte> record)
    {
        if (kind is not (ContentKind.SenderKeyDistribution or ContentKind.Consent))
        {
            throw new ArgumentOutOfRangeException(nameof(kind));
        }

        if (record.IsEmpty)
        {
            throw new ArgumentException("A record is not empty.", nameof(record));
        }

        return new Content(kind, bytes: record.ToArray());
    }

    /// <summary>A record field as read (its value is checked by its own section when applied; may be empty).</summary>
    internal static Content FromReadRecord(ContentKind kind, ReadOnlySpan<byte> record) => new(kind, bytes: record.ToArray());

    /// <summary>The canonical encoding (the plaintext to encrypt).</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToBytes() => ContentCodec.Write(this);

    /// <summary>Reads a decrypted plaintext (section 13); never throws for hostile input.</summary>
    /// <param name="bytes">The plaintext.</param>
    /// <param name="content">The content, when valid.</param>
    /// <param name="failure">The first rule broken, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool TryRead(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out Content? content, out E2eChatFailure failure)
    {
        failure = ContentCodec.Read(bytes, out content);
        return failure == E2eChatFailure.None;
    }

    /// <summary>
    /// Checks the category rule of section 13 for a received application message: required from a
    /// business to a person (and equal to the envelope's), absent otherwise.
    /// </summary>
    /// <param name="message">The message received.</param>
    /// <param name="fromBusinessToPerson">Whether the envelope went from a business account to a person account.</param>
    /// <param name="envelopeCategory">The envelope's category value (0 when none).</param>
    /// <returns>The failure, or <see cref="E2eChatFailure.None"/>.</returns>
    public static E2eChatFailure CheckCategory(ApplicationMessage message, bool fromBusinessToPerson, int envelopeCategory)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!fromBusinessToPerson)
        {
            return message.CategoryValue == 0 ? E2eChatFailure.None : E2eChatFailure.UnexpectedCategory;
        }

        if (message.CategoryValue == 0)
        {
            return E2eChatFailure.MissingCategory;
        }

        return message.CategoryValue == envelopeCategory ? E2eChatFailure.None : E2eChatFailure.CategoryMismatch;
    }

    /// <summary>Names the kind only (contents are private).</summary>
    /// <returns>A description without contents.</returns>
    public override string ToString() => $"Content({Kind})";
}
