namespace E2eChat;

/// <summary>
/// Every bound the protocol enforces, in one place, each with the reason for its value and the
/// anchors it was chosen against (libsignal, vodozemac). PROTOCOL.md section 9 lists the same values;
/// a test cross-checks the two.
/// </summary>
public static class ProtocolLimits
{
    /// <summary>
    /// The largest number of message keys one incoming message may make us derive and store (the
    /// counter gap, counted in the previous chain and the new chain separately). Anchors: libsignal
    /// 25,000, vodozemac 2,000. 2,000 covers any realistic burst of lost or delayed messages, and caps
    /// the work a single forged-but-authentic header can force at 2,000 HMAC steps (~2 ms). A larger
    /// claimed gap is rejected by comparing counters, before any key is derived.
    /// </summary>
    public const int MaxMessageGap = 2_000;

    /// <summary>
    /// Skipped message keys kept per session, across all receiving chains; the oldest is evicted
    /// first. Anchors: libsignal 2,000 per chain (x5 chains), vodozemac 40 per chain. Equal to
    /// <see cref="MaxMessageGap"/> so that one maximal gap never evicts its own keys.
    /// </summary>
    public const int MaxSkippedMessageKeys = 2_000;

    /// <summary>
    /// Receiving chains whose header keys are remembered (the current one included), for skipped
    /// keys and duplicate detection. Anchor: libsignal keeps 5 receiver chains.
    /// </summary>
    public const int MaxReceiverChains = 5;

    /// <summary>
    /// Archived session states kept per address besides the current one, tried in turn on decrypt.
    /// Anchor: libsignal keeps 40 previous session states.
    /// </summary>
    public const int MaxArchivedStates = 40;

    /// <summary>
    /// The longest plaintext one message may carry: 64 KiB. With padding (at most 80 KiB) and the
    /// headers it stays under the relay's 96 KiB envelope limit (anchor: Signal's server limit).
    /// </summary>
    public const int MaxPlaintextLength = 64 * 1024;

    /// <summary>
    /// The last usable message counter of a sending chain; encrypting past it fails, since counters
    /// are 32-bit on the wire. Never reached in practice: every reply starts a new chain.
    /// </summary>
    public const uint MaxChainCounter = uint.MaxValue - 1;

    /// <summary>
    /// Sender-key messages one receiver may skip ahead in one step (the iteration gap). Same reason
    /// and value as <see cref="MaxMessageGap"/>.
    /// </summary>
    public const int MaxSenderKeyGap = 2_000;

    /// <summary>Skipped sender-key message keys kept per (sender, distribution); oldest evicted first.</summary>
    public const int MaxSenderKeySkippedKeys = 2_000;

    /// <summary>
    /// Sender-key generations (chain ids) a receiver keeps per sender and distribution, so that posts
    /// made just before a rotation still open. Anchor: libsignal keeps 5 sender-key states.
    /// </summary>
    public const int MaxSenderKeyStates = 5;

    /// <summary>The lifetime of a status post: 24 hours, in milliseconds.</summary>
    public const long StatusLifetimeMilliseconds = 24L * 60 * 60 * 1000;

    /// <summary>
    /// How many times one <c>SessionManager</c> operation (or one sender-key store operation) loads,
    /// works and tries to commit before it gives up with <c>E2eChatFailure.StoreConflict</c>
    /// (PROTOCOL.md section 10.1). A lost compare-and-swap means another writer committed, so every
    /// attempt is progress for someone; the bound only stops a store that never accepts a write (a
    /// bug) or a live-lock. With k writers on one address an attempt wins about one round in k, so
    /// 128 attempts leave (7/8)^128, about 4e-8, of exhausting it with 8 writers; each attempt costs
    /// one load and the operation, so the bound also caps the work at well under a second.
    /// </summary>
    public const int MaxCommitAttempts = 128;

    /// <summary>
    /// The most devices one account's list names (PROTOCOL.md section 14.1): several agents, bots and
    /// hosted endpoints of a business. Anchors: WhatsApp allows 4 linked devices and Signal 5 per
    /// person; a support team needs more, and the bound keeps a fan-out (one envelope each) and a
    /// list (at most 17473 bytes) small.
    /// </summary>
    public const int MaxDevicesPerAccount = Wire.WireLimits.MaxDevicesPerAccount;

    /// <summary>
    /// The longest <c>SignedDeviceList</c> read (section 14.1 step 1, before anything else): about
    /// twice the largest valid one (64 devices with maximal fields, 17473 bytes).
    /// </summary>
    public const int MaxSignedDeviceListLength = Wire.WireLimits.MaxSignedDeviceListLength;

    /// <summary>
    /// The longest application message body (PROTOCOL.md section 13): <see cref="MaxPlaintextLength"/>
    /// less 256 bytes for the <c>Content</c> framing, a category, a 64-byte referral and a sync copy's
    /// recipient, so every content that carries a valid body still fits one message.
    /// </summary>
    public const int MaxBodyLength = MaxPlaintextLength - 256;

    /// <summary>
    /// The longest referral (an ad or campaign id) in a contact link and in the first message
    /// (sections 13 and 15): opaque ids such as click ids fit, and a link stays small enough for a QR code.
    /// </summary>
    public const int MaxReferralLength = Wire.WireLimits.MaxReferralLength;

    /// <summary>
    /// The longest <c>SignedContactLink</c> read (PROTOCOL.md section 15.1, before anything else): the
    /// largest valid one is 903 bytes, and its URI must fit a QR code a phone camera reads reliably.
    /// </summary>
    public const int MaxSignedContactLinkLength = Wire.WireLimits.MaxSignedContactLinkLength;
}
