namespace E2eChat;

/// <summary>
/// Why an E2eChat operation refused its input or could not complete: the one failure type of the
/// library and its packages (<c>E2eChat</c>, <c>E2eChat.Client</c>, <c>E2eChat.Storage.Sqlite</c>), reported by
/// every <c>Try…</c> operation and carried by <see cref="E2eChatException.Failure"/>, so a caller switches over
/// one enum. <see cref="None"/> (0) means success. Values 1 to 8 are the encoding failures of PROTOCOL.md
/// section 8 in the order its steps check them (the code the strict record reader returns); the envelope and
/// consent failures of the keyless wire layer (<c>E2eChat.Wire.EnvelopeFailure</c>,
/// <c>E2eChat.Wire.ConsentFailure</c>) map to the member of the same name. Append-only: a value never
/// changes meaning (the list is checked in as <c>tests/E2eChat.Tests/PublicSurface/E2eChatFailure.txt</c>).
/// </summary>
public enum E2eChatFailure
{
    /// <summary>No failure: the operation succeeded.</summary>
    None = 0,

    // The encoding failures of PROTOCOL.md section 8 (every strict protobuf reader).

    /// <summary>The input is longer than its bound (PROTOCOL.md section 8 step 1, and the bound of each record).</summary>
    TooLarge = 1,

    /// <summary>The input ends inside a tag, varint or value, or a length runs past the end of its message (a stored record: shorter than its frame).</summary>
    Truncated = 2,

    /// <summary>A varint is not minimally encoded, longer than 10 bytes, above 2^64 - 1, or a tag or <c>uint32</c> above 2^32 - 1.</summary>
    MalformedVarint = 3,

    /// <summary>A field number the message does not declare (field 0 included).</summary>
    UnknownField = 4,

    /// <summary>A field (not repeated) written twice.</summary>
    DuplicateField = 5,

    /// <summary>A field comes after a field with a higher number.</summary>
    FieldsOutOfOrder = 6,

    /// <summary>A known field carries a wire type other than its declared one.</summary>
    WrongWireType = 7,

    /// <summary>A scalar written with its default value (a zero varint, or empty bytes or string).</summary>
    DefaultValueWritten = 8,

    // Keys and bundles (PROTOCOL.md section 3).

    /// <summary>The identity is not exactly 128 bytes.</summary>
    InvalidLength,

    /// <summary>The X25519 part is not canonical or is a point of small order.</summary>
    InvalidAgreementKey,

    /// <summary>
    /// A signature does not verify under the key that must have made it: an identity's binding signature, a
    /// sender-key post under its generation's signing key, a device list, contact link or consent record
    /// under its account key.
    /// </summary>
    BadSignature,

    /// <summary>
    /// Bytes that are not the canonical encoding of the message read (PROTOCOL.md section 8): a pre-key
    /// bundle that does not parse (section 3.4 step 1), a ratchet message whose header is not 80 bytes or
    /// whose ciphertext length minus 16 is not a padding bucket, a <c>SenderKeyMessage</c> or
    /// <c>SenderKeyDistribution</c> with a field missing, repeated, unknown, out of order, of the wrong
    /// length or default-valued (or a zero chain id, or the iteration 4294967295).
    /// </summary>
    Malformed,

    /// <summary>
    /// An identity key is missing, not 128 bytes or not a valid identity (section 3.1): a bundle's, an
    /// initiator's in a first message, or a device's in a device list.
    /// </summary>
    InvalidIdentityKey,

    /// <summary>Step 3: <c>signed_prekey_id</c> or <c>kem_prekey_id</c> is zero.</summary>
    InvalidKeyId,

    /// <summary>Step 4: <c>signed_prekey</c> fails the peer X25519 key check.</summary>
    InvalidSignedPreKey,

    /// <summary>Step 5: <c>signed_prekey_signature</c> does not verify.</summary>
    BadSignedPreKeySignature,

    /// <summary>Step 6: the one-time pre-key fails the X25519 check, or is present while its id is zero.</summary>
    InvalidOneTimePreKey,

    /// <summary>Step 7: <c>kem_prekey</c> fails the ML-KEM-768 encapsulation-key checks.</summary>
    InvalidKemPreKey,

    /// <summary>Step 8: <c>kem_prekey_signature</c> does not verify for the stated kind.</summary>
    BadKemPreKeySignature,

    // The handshake (section 4).

    /// <summary>
    /// The peer's identity differs from the one recorded for its address (section 8.1); it stays
    /// refused until the application approves it.
    /// </summary>
    /// <remarks>
    /// Also reported by <c>SessionManager.EncryptAsync</c> and <c>TryDecryptAsync</c> for an existing
    /// session whose peer identity is no longer the one trusted for the address (the application
    /// approved another): such a session neither sends nor receives until a session with the trusted
    /// identity replaces it.
    /// </remarks>
    UntrustedIdentity,

    /// <summary>The <c>base_key</c> fails the peer X25519 key check.</summary>
    InvalidBaseKey,

    /// <summary>
    /// The <c>kem_ciphertext</c> is not 1088 bytes. A message received through
    /// <c>SessionManager</c> has its length checked with the canonical rules first (<c>Malformed</c>).
    /// </summary>
    InvalidKemCiphertext,

    /// <summary>No signed pre-key with the given id is stored.</summary>
    UnknownSignedPreKey,

    /// <summary>No one-time pre-key with the given (nonzero) id is stored: never issued, or already consumed.</summary>
    UnknownOneTimePreKey,

    /// <summary>No KEM pre-key with the given id is stored: never issued, or a one-time one already consumed.</summary>
    UnknownKemPreKey,

    // The ratchet (section 5).

    /// <summary>
    /// No header key of the session opens the header: another session's message, a tampered header,
    /// a message of a receiving chain that is no longer remembered, or a header whose message
    /// counter is above the last usable counter (4294967294).
    /// </summary>
    InvalidHeader,

    /// <summary>
    /// The message's (or post's) key is no longer held: it was already decrypted, or its skipped key was
    /// evicted (or, for a post, deleted as expired).
    /// </summary>
    Duplicate,

    /// <summary>
    /// The message would make the receiver derive more than <see cref="ProtocolLimits.MaxMessageGap"/>
    /// skipped keys (ratchet or sender-key chain).
    /// </summary>
    TooBigGap,

    /// <summary>The new ratchet public key in the header is not a usable X25519 key.</summary>
    InvalidRatchetKey,

    /// <summary>The payload does not authenticate under the message key (changed, or not for this key).</summary>
    InvalidCiphertext,

    /// <summary>The payload authenticated but its padding is invalid (section 6).</summary>
    InvalidPadding,

    /// <summary>
    /// There is no session with the address (or no session state to decrypt with): start one from its
    /// pre-key bundle first.
    /// </summary>
    NoSession,

    /// <summary>
    /// The session has no sending chain yet: a responder must receive a message before it can send.
    /// </summary>
    NotReady,

    /// <summary>The plaintext is longer than <see cref="ProtocolLimits.MaxPlaintextLength"/> bytes.</summary>
    PlaintextTooLong,

    /// <summary>
    /// The sending chain (ratchet or sender key) has used its last counter: start a new session or rotate
    /// the sender key.
    /// </summary>
    ChainExhausted,

    // Sessions and stored state (sections 8.1 and 10).

    /// <summary>
    /// The envelope's recipient is not this manager's <see cref="SessionManager.LocalAddress"/>: the relay
    /// delivered someone else's message. Nothing was read or stored.
    /// </summary>
    WrongRecipient,

    /// <summary>
    /// Other writers committed to the same session record every time this operation tried to, for
    /// <see cref="ProtocolLimits.MaxCommitAttempts"/> attempts (or the session store never accepts a
    /// write). Nothing was committed and no ciphertext or plaintext was released; the operation may
    /// be retried.
    /// </summary>
    StoreConflict,

    /// <summary>
    /// Stored data is complete but not what this library wrote: a record that does not parse, a key of the
    /// wrong length, a broken invariant or limit, a non-canonical encoding; or an SQLite file that is not a
    /// store of this package (not a database, tables missing, or an authentic value that does not parse).
    /// </summary>
    Corrupt,

    /// <summary>
    /// The record is in a format version older than the oldest this build reads (currently: version
    /// 0, the unversioned drafts). It cannot be migrated; the sessions must be re-established.
    /// </summary>
    OldVersion,

    /// <summary>
    /// Stored data (a record, or an SQLite store's schema) is in a format version newer than this build
    /// knows: it was written by a later version of the library. Upgrade instead of discarding it.
    /// </summary>
    UnknownVersion,

    /// <summary>
    /// Sealed bytes do not open under the storage key: the key is wrong, or the value was changed,
    /// truncated, given an unknown version byte, or copied from another row or table (each SQLite value is
    /// bound to where it is stored).
    /// </summary>
    Unauthentic,

    // Sender keys (section 7).

    /// <summary>
    /// No sender key is held for the message's distribution id from this sender, or the record holds no
    /// generation with its chain id: the sender never distributed it to us (a non-member), it was
    /// rotated after we were removed, or the generation was evicted.
    /// </summary>
    UnknownSenderKey,

    /// <summary>
    /// Past its time: a sender-key post whose nonzero expiry is not after the receiver's clock, or an
    /// expired contact link.
    /// </summary>
    Expired,

    /// <summary>The message is for another distribution id than the record it was given to.</summary>
    WrongDistribution,

    // Content (section 13).

    /// <summary>A content type this implementation does not know (a newer sender's).</summary>
    UnknownContent,

    /// <summary>No content field.</summary>
    ContentMissing,

    /// <summary>More than one content field.</summary>
    MultipleContents,

    /// <summary>An application message without a body.</summary>
    MissingBody,

    /// <summary>A body longer than 65280 bytes.</summary>
    BodyTooLarge,

    /// <summary>A category outside 1 (service) to 4 (authentication), in content or in an envelope.</summary>
    InvalidCategory,

    /// <summary>A referral longer than 64 bytes (content or contact link).</summary>
    InvalidReferral,

    /// <summary>A receipt type missing or unknown.</summary>
    InvalidReceiptType,

    /// <summary>A receipt's message id missing or not 16 bytes.</summary>
    InvalidReceiptMessageId,

    /// <summary>A sync copy's recipient name or kind missing or invalid.</summary>
    InvalidSyncRecipient,

    /// <summary>A sync copy without its message.</summary>
    MissingSyncMessage,

    /// <summary>
    /// A business's message to a person has no category (in its content, or on its pre-key or ratchet
    /// envelope: PROTOCOL.md section 8 step 3).
    /// </summary>
    MissingCategory,

    /// <summary>
    /// A category where none belongs (content other than a business's message to a person, or any other
    /// envelope).
    /// </summary>
    UnexpectedCategory,

    /// <summary>The message's category differs from its envelope's.</summary>
    CategoryMismatch,

    // Device lists and fan-out (section 14).

    /// <summary>An account key is missing or not 32 bytes (device list, contact link, consent record).</summary>
    InvalidAccountKey,

    /// <summary>The signed list bytes are missing.</summary>
    MissingList,

    /// <summary>A signature is missing or not 64 bytes.</summary>
    InvalidSignatureLength,

    /// <summary>
    /// An account name is missing or breaks the address name rule (1 to 64 bytes of <c>[a-z0-9._-]</c>).
    /// </summary>
    InvalidAccount,

    /// <summary>The account kind is missing or not person or business.</summary>
    InvalidAccountKind,

    /// <summary>A required <c>version</c> field is missing (an envelope or a device list).</summary>
    MissingVersion,

    /// <summary>A required <c>issued_at_ms</c> is missing (device list, contact link, consent record).</summary>
    MissingIssuedAt,

    /// <summary>The list has no device.</summary>
    NoDevices,

    /// <summary>More than 64 devices.</summary>
    TooManyDevices,

    /// <summary>Two entries for one device id.</summary>
    DuplicateDevice,

    /// <summary>Entries not in ascending device order.</summary>
    DevicesOutOfOrder,

    /// <summary>A device id missing or outside 1-255.</summary>
    InvalidDeviceId,

    /// <summary>A label missing, longer than 64 bytes or not valid UTF-8.</summary>
    InvalidLabel,

    /// <summary>A role missing or unknown.</summary>
    InvalidRole,

    /// <summary>A processor name longer than 64 bytes or not valid UTF-8.</summary>
    InvalidProcessor,

    /// <summary>A hosted device without a processor name.</summary>
    MissingProcessor,

    /// <summary>A processor name on a device that is not hosted.</summary>
    UnexpectedProcessor,

    /// <summary>A device list is for another account than the one asked for (or than the contact link's).</summary>
    WrongAccount,

    /// <summary>
    /// Signed by another account key than the pinned one (or, for a contact link, the directory's device
    /// list is not under the link's account key): untrusted until approved; possibly a key directory
    /// substituting keys.
    /// </summary>
    AccountKeyMismatch,

    /// <summary>The list changes the account's kind.</summary>
    AccountKindMismatch,

    /// <summary>The version is older than the stored list's, or equal with other contents.</summary>
    VersionRollback,

    /// <summary>No device list is accepted for the recipient account (or for the sender's own account).</summary>
    NoDeviceList,

    /// <summary>The recipient has hosted endpoints and the application refuses them.</summary>
    HostedEndpointRefused,

    /// <summary>No pre-key bundle could be fetched for a device without a session.</summary>
    NoBundle,

    /// <summary>A fetched bundle's identity is not the one the signed device list names (a directory substituting keys).</summary>
    BundleIdentityMismatch,

    // Contact links (section 15).

    /// <summary>The signed link bytes are missing.</summary>
    MissingLink,

    /// <summary>The display name is missing, longer than 64 bytes or not valid UTF-8.</summary>
    InvalidDisplayName,

    /// <summary>The prefilled text is not valid UTF-8 or longer than 140 characters.</summary>
    InvalidPrefilledText,

    /// <summary>
    /// Scopes with a bit outside the four categories' bits (0x0F), or, in a contact link, naming the
    /// service bit.
    /// </summary>
    InvalidScopes,

    /// <summary>The expiry is missing.</summary>
    MissingExpiry,

    /// <summary>The expiry is not after the issue time (a contact link, or a GRANT's <c>expires_at_ms</c>).</summary>
    InvalidExpiry,

    /// <summary>Not an <c>e2echat:c/</c> or <c>https://host/c/</c> URI with a canonical base64url payload.</summary>
    InvalidUri,

    /// <summary>
    /// A device list was refused: the directory's, when opening a contact link, or one the relay or our own
    /// directory refused in the client (another account key, an older version; see the log).
    /// </summary>
    DeviceListRefused,

    // Envelopes (section 8; the same names as the wire layer's EnvelopeFailure).

    /// <inheritdoc cref="Wire.EnvelopeFailure.UnsupportedVersion"/>
    UnsupportedVersion,

    /// <inheritdoc cref="Wire.EnvelopeFailure.InvalidType"/>
    InvalidType,

    /// <inheritdoc cref="Wire.EnvelopeFailure.ContentMismatch"/>
    ContentMismatch,

    /// <inheritdoc cref="Wire.EnvelopeFailure.InvalidSenderAddress"/>
    InvalidSenderAddress,

    /// <inheritdoc cref="Wire.EnvelopeFailure.InvalidRecipientAddress"/>
    InvalidRecipientAddress,

    /// <inheritdoc cref="Wire.EnvelopeFailure.InvalidMessageId"/>
    InvalidMessageId,

    /// <inheritdoc cref="Wire.EnvelopeFailure.MissingTimestamp"/>
    MissingTimestamp,

    /// <inheritdoc cref="Wire.EnvelopeFailure.InvalidIdentityKeyLength"/>
    InvalidIdentityKeyLength,

    /// <inheritdoc cref="Wire.EnvelopeFailure.InvalidBaseKeyLength"/>
    InvalidBaseKeyLength,

    /// <inheritdoc cref="Wire.EnvelopeFailure.InvalidPreKeyId"/>
    InvalidPreKeyId,

    /// <inheritdoc cref="Wire.EnvelopeFailure.InvalidKemCiphertextLength"/>
    InvalidKemCiphertextLength,

    /// <inheritdoc cref="Wire.EnvelopeFailure.MissingRatchetMessage"/>
    MissingRatchetMessage,

    /// <inheritdoc cref="Wire.EnvelopeFailure.InvalidHeaderLength"/>
    InvalidHeaderLength,

    /// <inheritdoc cref="Wire.EnvelopeFailure.InvalidCiphertextLength"/>
    InvalidCiphertextLength,

    /// <inheritdoc cref="Wire.EnvelopeFailure.InvalidDistributionId"/>
    InvalidDistributionId,

    /// <inheritdoc cref="Wire.EnvelopeFailure.InvalidChainId"/>
    InvalidChainId,

    /// <inheritdoc cref="Wire.EnvelopeFailure.InvalidKeyLength"/>
    InvalidKeyLength,

    // Consent records (section 16.2; the same names as the wire layer's ConsentFailure).

    /// <inheritdoc cref="Wire.ConsentFailure.MissingRecord"/>
    MissingRecord,

    /// <inheritdoc cref="Wire.ConsentFailure.InvalidCustomer"/>
    InvalidCustomer,

    /// <inheritdoc cref="Wire.ConsentFailure.InvalidBusiness"/>
    InvalidBusiness,

    /// <inheritdoc cref="Wire.ConsentFailure.InvalidAction"/>
    InvalidAction,

    /// <inheritdoc cref="Wire.ConsentFailure.UnexpectedScopes"/>
    UnexpectedScopes,

    /// <inheritdoc cref="Wire.ConsentFailure.MissingScopes"/>
    MissingScopes,

    /// <inheritdoc cref="Wire.ConsentFailure.MissingSerial"/>
    MissingSerial,

    /// <inheritdoc cref="Wire.ConsentFailure.UnexpectedExpiry"/>
    UnexpectedExpiry,

    /// <inheritdoc cref="Wire.ConsentFailure.UnknownAccountKey"/>
    UnknownAccountKey,

    /// <inheritdoc cref="Wire.ConsentFailure.WrongSigner"/>
    WrongSigner,

    /// <inheritdoc cref="Wire.ConsentFailure.WrongPair"/>
    WrongPair,

    /// <inheritdoc cref="Wire.ConsentFailure.StaleSerial"/>
    StaleSerial,

    // The client (ChatDevice).

    /// <summary>
    /// The relay signs challenges under another name than the client's configured relay id: not the relay
    /// meant.
    /// </summary>
    RelayIdMismatch,

    /// <summary>The relay refused to sign the device in (see the log for its reason, e.g. <c>IdentityMismatch</c>).</summary>
    AuthenticationRefused,

    /// <summary>The relay could not be reached within the configured attempts.</summary>
    RelayUnavailable,

    /// <summary>The recipient device has no pre-keys at the relay (it never connected, or is unknown).</summary>
    NoPreKeys,

    /// <summary>The relay served a pre-key bundle that does not verify (PROTOCOL.md 3.4).</summary>
    BundleRefused,

    /// <summary>Another receive stream for this device replaced ours (a second instance of the device is running).</summary>
    StreamReplaced,

    /// <summary>A received copy of an own-account message (a sync message) came from another account's device: reported as a violation.</summary>
    SyncFromAnotherAccount,

    /// <summary>A contact sent a device list of another account than its own: reported as a violation.</summary>
    DeviceListOfAnotherAccount,

    /// <summary>The relay refused a call for a reason the client cannot recover from (see the log).</summary>
    RelayRefused,

    /// <summary>
    /// A consent call needs the account key: give the device its account key first (a person's device).
    /// </summary>
    NoAccountKey,

    /// <summary>No group with this id was created on this device (<c>ChatDevice.CreateGroupAsync</c>).</summary>
    UnknownGroup,

    /// <summary>The account is not a member of the group (removing it, or it is our own account).</summary>
    NotAGroupMember,

    /// <summary>A group with this id was already created on this device.</summary>
    GroupExists,
}
