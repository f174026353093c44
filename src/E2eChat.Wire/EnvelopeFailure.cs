namespace E2eChat.Wire;

/// <summary>
/// Why the wire layer refused a message: an envelope (<see cref="WireEnvelope"/>, PROTOCOL.md section 8)
/// or another <c>wire.proto</c> message read under the same canonical rules. Fields are checked
/// in the order they are read, and a required field is reported missing as soon as the reader passes
/// its field number (or reaches the end of its message), so the first violation is reported: a wrong
/// <c>version</c> always comes before anything about the body. For the field being read, the encoding
/// rules (<see cref="TooLarge"/> through <see cref="DefaultValueWritten"/>) come before its value rule.
/// </summary>
public enum EnvelopeFailure
{
    /// <summary>The envelope is valid.</summary>
    None = 0,

    /// <summary>The envelope is longer than <see cref="WireLimits.MaxEnvelopeLength"/>.</summary>
    TooLarge,

    /// <summary>The input ends inside a tag or a varint, or a length prefix runs past the end of its message.</summary>
    Truncated,

    /// <summary>
    /// A tag, length or value varint is not minimally encoded (a redundant trailing 0x00 group), is
    /// longer than 10 bytes or above 2^64 - 1, or is above 2^32 - 1 where a 32-bit value is expected
    /// (tags and <c>uint32</c> fields), or a <c>bool</c> written as anything but 1.
    /// </summary>
    MalformedVarint,

    /// <summary>A known field carries a wire type other than its declared one (varint or length-delimited).</summary>
    WrongWireType,

    /// <summary>A field number not declared in <c>wire.proto</c> for this message (including field 0).</summary>
    UnknownField,

    /// <summary>A field occurs more than once in its message.</summary>
    DuplicateField,

    /// <summary>A field comes after a field with a higher number.</summary>
    FieldsOutOfOrder,

    /// <summary>
    /// A scalar field is written with its default value (a zero varint, or empty bytes or string);
    /// proto3 never writes those. Nested messages may be empty.
    /// </summary>
    DefaultValueWritten,

    /// <summary>The envelope has no <c>version</c> field.</summary>
    MissingVersion,

    /// <summary>The <c>version</c> field is present but is not 1.</summary>
    UnsupportedVersion,

    /// <summary>The <c>type</c> field is missing or is not 1 (prekey), 2 (ratchet) or 3 (sender key).</summary>
    InvalidType,

    /// <summary>
    /// The content fields do not match <c>type</c>: none is present, several are, or the one present
    /// is not the one <c>type</c> names.
    /// </summary>
    ContentMismatch,

    /// <summary>
    /// The <c>sender</c> address is missing, or its name is not 1 to 64 characters of
    /// <c>[a-z0-9._-]</c>, its device is not 1 to 255, or its kind is not 1 or 2 (any of them missing).
    /// </summary>
    InvalidSenderAddress,

    /// <summary>The <c>recipient</c> address is missing or invalid, by the rules of <see cref="InvalidSenderAddress"/>.</summary>
    InvalidRecipientAddress,

    /// <summary>The <c>message_id</c> is missing or not 16 bytes.</summary>
    InvalidMessageId,

    /// <summary>The <c>timestamp_ms</c> is missing (zero).</summary>
    MissingTimestamp,

    /// <summary>A <c>PreKeyMessage.identity_key</c> is missing or not 128 bytes.</summary>
    InvalidIdentityKeyLength,

    /// <summary>A <c>PreKeyMessage.base_key</c> is missing or not 32 bytes.</summary>
    InvalidBaseKeyLength,

    /// <summary>A <c>PreKeyMessage.signed_prekey_id</c> or <c>kem_prekey_id</c> is missing (zero).</summary>
    InvalidPreKeyId,

    /// <summary>A <c>PreKeyMessage.kem_ciphertext</c> is missing or not 1088 bytes.</summary>
    InvalidKemCiphertextLength,

    /// <summary>A <c>PreKeyMessage</c> does not carry its <c>RatchetMessage</c>.</summary>
    MissingRatchetMessage,

    /// <summary>A <c>RatchetMessage.header</c> is missing or not 80 bytes.</summary>
    InvalidHeaderLength,

    /// <summary>
    /// A <c>RatchetMessage.ciphertext</c> or <c>SenderKeyMessage.ciphertext</c> is missing or its length
    /// is not a padding bucket (PROTOCOL.md section 6) plus the 16-byte tag.
    /// </summary>
    InvalidCiphertextLength,

    /// <summary>A <c>SenderKeyMessage.distribution_id</c> is missing or not 16 bytes.</summary>
    InvalidDistributionId,

    /// <summary>A <c>SenderKeyMessage.chain_id</c> is missing (zero).</summary>
    InvalidChainId,

    /// <summary>A <c>SenderKeyMessage.signature</c> is missing or not 64 bytes.</summary>
    InvalidSignatureLength,

    /// <summary>
    /// A <c>SenderKeyDistribution.chain_key</c> or <c>signing_key</c> is missing or not 32 bytes. Not
    /// an envelope rule: a distribution message travels inside a ratchet ciphertext, so only its
    /// recipient reads it.
    /// </summary>
    InvalidKeyLength,

    /// <summary>
    /// A business's pre-key or ratchet envelope to a person has no <c>category</c> (PROTOCOL.md
    /// section 8, step 3): the relay could neither enforce the customer's consent nor bill it.
    /// </summary>
    MissingCategory,

    /// <summary>An envelope other than a business's pre-key or ratchet envelope to a person carries a <c>category</c>.</summary>
    UnexpectedCategory,

    /// <summary>The <c>category</c> is not 1 (service), 2 (utility), 3 (marketing) or 4 (authentication).</summary>
    InvalidCategory,
}
