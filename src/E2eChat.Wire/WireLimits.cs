namespace E2eChat.Wire;

/// <summary>
/// Bounds the relay enforces on every envelope (and, internal, on the signed records both the client
/// library and the relay read), each with its reason. PROTOCOL.md sections 6, 8 and 9
/// state the same values (a test cross-checks them, and checks them against the client library).
/// </summary>
public static class WireLimits
{
    /// <summary>
    /// The largest envelope accepted, in bytes. Anchor: Signal's server refuses device messages
    /// over 96 KiB; E2eChat's largest padded plaintext (80 KiB, see PROTOCOL.md) plus headers fits.
    /// </summary>
    public const int MaxEnvelopeLength = 96 * 1024;

    /// <summary>
    /// The longest account name, in bytes (names are ASCII <c>[a-z0-9._-]</c>): long enough for any
    /// handle or business name, short enough to bound what the relay indexes.
    /// </summary>
    public const int MaxNameLength = 64;

    /// <summary>
    /// The largest device id; device ids are 1 to 255 (0 means "none" in proto3), so an account has at
    /// most 255 devices and an id fits one byte.
    /// </summary>
    public const uint MaxDeviceId = 255;

    /// <summary>The length of a message id: 16 random bytes, collision-free for de-duplication.</summary>
    public const int MessageIdLength = 16;

    /// <summary>
    /// The length of a public identity: Ed25519 key (32) || X25519 key (32) || binding signature (64)
    /// (PROTOCOL.md section 3.1).
    /// </summary>
    public const int IdentityKeyLength = 128;

    /// <summary>The length of the initiator's ephemeral X25519 base key (RFC 7748 public key).</summary>
    public const int BaseKeyLength = 32;

    /// <summary>The length of an ML-KEM-768 ciphertext (FIPS 203).</summary>
    public const int KemCiphertextLength = 1088;

    /// <summary>
    /// The length of an encrypted ratchet header: 24-byte XChaCha20 nonce || 40-byte header
    /// ciphertext || 16-byte tag (PROTOCOL.md section 5.4).
    /// </summary>
    public const int EncryptedHeaderLength = 80;

    /// <summary>The length of the Poly1305 tag every message ciphertext ends with.</summary>
    public const int AeadTagLength = 16;

    /// <summary>
    /// The smallest padding bucket (PROTOCOL.md section 6): every plaintext shorter than 64 bytes
    /// looks the same to the relay.
    /// </summary>
    public const int MinPaddedLength = 64;

    /// <summary>
    /// The largest power-of-two padding bucket; larger buckets are multiples of it, so big messages
    /// waste at most 16 KiB instead of doubling.
    /// </summary>
    public const int PaddingStep = 16 * 1024;

    /// <summary>
    /// The largest padding bucket: the 65,536-byte maximum plaintext plus its 0x80 marker, rounded up
    /// to a multiple of <see cref="PaddingStep"/> (80 KiB).
    /// </summary>
    public const int MaxPaddedLength = 80 * 1024;

    /// <summary>The length of a sender-key distribution id: 16 random bytes naming an audience.</summary>
    public const int DistributionIdLength = 16;

    /// <summary>The length of an Ed25519 signature (RFC 8032).</summary>
    public const int SignatureLength = 64;

    /// <summary>
    /// The most devices one account's list names (PROTOCOL.md 14.1): several agents, bots and hosted
    /// endpoints of a business. Anchors: WhatsApp allows 4 linked devices and Signal 5 per person; a
    /// support team needs more, and the bound keeps a fan-out (one envelope each) and a list (at most
    /// 17473 bytes) small. The client library and the relay both read device lists with it.
    /// </summary>
    internal const int MaxDevicesPerAccount = 64;

    /// <summary>
    /// The longest <c>SignedDeviceList</c> read (PROTOCOL.md 14.1 step 1, before anything else): about
    /// twice the largest valid one (64 devices with maximal fields, 17473 bytes).
    /// </summary>
    internal const int MaxSignedDeviceListLength = 32 * 1024;

    /// <summary>
    /// The longest <c>SignedContactLink</c> read (PROTOCOL.md 15.1 step 1, before anything else): the
    /// largest valid one is 903 bytes, and its URI must fit a QR code a phone camera reads reliably.
    /// </summary>
    internal const int MaxSignedContactLinkLength = 1024;

    /// <summary>The longest display name of a contact link in UTF-8 bytes (PROTOCOL.md 15.1).</summary>
    internal const int MaxContactLinkDisplayNameLength = 64;

    /// <summary>The longest prefilled text of a contact link in Unicode scalar values (PROTOCOL.md 15.1; WhatsApp's limit).</summary>
    internal const int MaxContactLinkPrefilledTextLength = 140;

    /// <summary>
    /// The longest referral (an ad or campaign id) in a contact link and in a first message (PROTOCOL.md
    /// 13 and 15.1): opaque ids such as click ids fit, and a link stays small enough for a QR code.
    /// </summary>
    internal const int MaxReferralLength = 64;
}
