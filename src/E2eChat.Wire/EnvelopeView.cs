namespace E2eChat.Wire;

/// <summary>
/// What a relay learns from a valid envelope (PROTOCOL.md section 8), for routing, metering and
/// retention. Byte fields are <see cref="Range"/>s into the validated envelope, so producing this
/// value allocates nothing; read them with <see cref="AddressView.GetName"/> and
/// <see cref="GetMessageId"/> against the same buffer.
/// </summary>
public readonly struct EnvelopeView
{
    internal EnvelopeView(
        uint version,
        EnvelopeType type,
        AddressView sender,
        AddressView recipient,
        Range messageId,
        ulong timestampMilliseconds,
        int length,
        int ciphertextLength,
        ulong expiresAtMilliseconds,
        Range content,
        Category category)
    {
        Version = version;
        Type = type;
        Sender = sender;
        Recipient = recipient;
        MessageId = messageId;
        TimestampMilliseconds = timestampMilliseconds;
        Length = length;
        CiphertextLength = ciphertextLength;
        ExpiresAtMilliseconds = expiresAtMilliseconds;
        Content = content;
        Category = category;
    }

    /// <summary>The protocol version (always <see cref="WireEnvelope.SupportedVersion"/>).</summary>
    public uint Version { get; }

    /// <summary>The envelope's type; a <see cref="EnvelopeType.PreKey"/> envelope starts a session.</summary>
    public EnvelopeType Type { get; }

    /// <summary>Who sent the envelope (for metering and blocking).</summary>
    public AddressView Sender { get; }

    /// <summary>Where to deliver the envelope.</summary>
    public AddressView Recipient { get; }

    /// <summary>Where the 16-byte message id (random, for de-duplication) is in the envelope.</summary>
    public Range MessageId { get; }

    /// <summary>The sender's clock when sending, in milliseconds since the Unix epoch (nonzero).</summary>
    public ulong TimestampMilliseconds { get; }

    /// <summary>The whole envelope's length in bytes.</summary>
    public int Length { get; }

    /// <summary>
    /// The length of the message ciphertext (the ratchet message's, also inside a pre-key message, or
    /// the sender-key message's): a padding bucket plus the 16-byte tag. This is all the relay learns
    /// about the plaintext's size.
    /// </summary>
    public int CiphertextLength { get; }

    /// <summary>
    /// When a <see cref="EnvelopeType.SenderKey"/> post expires, in milliseconds since the Unix epoch;
    /// 0 when it does not expire or the envelope is of another type.
    /// </summary>
    public ulong ExpiresAtMilliseconds { get; }

    /// <summary>
    /// Where the content message (the <c>PreKeyMessage</c>, <c>RatchetMessage</c> or
    /// <c>SenderKeyMessage</c> named by <see cref="Type"/>, already validated) is in the envelope.
    /// </summary>
    public Range Content { get; }

    /// <summary>
    /// The business message's category (field 10, PROTOCOL.md sections 8 and 16.1): set exactly on a
    /// business's pre-key or ratchet envelope to a person, <see cref="Category.Unspecified"/> on every
    /// other envelope.
    /// </summary>
    public Category Category { get; }

    /// <summary>The content message's bytes in <paramref name="envelope"/>.</summary>
    /// <param name="envelope">The envelope this value was read from.</param>
    /// <returns>The encoded content message.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="envelope"/> is shorter than the envelope this value came from.
    /// </exception>
    public ReadOnlySpan<byte> GetContent(ReadOnlySpan<byte> envelope) => envelope[Content];

    /// <summary>The message id's 16 bytes in <paramref name="envelope"/>.</summary>
    /// <param name="envelope">The envelope this value was read from.</param>
    /// <returns>The message id.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="envelope"/> is shorter than the envelope this value came from.
    /// </exception>
    public ReadOnlySpan<byte> GetMessageId(ReadOnlySpan<byte> envelope) => envelope[MessageId];
}
