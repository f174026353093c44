namespace E2eChat.Relay.Server.Errors;

/// <summary>
/// Why the relay refused a call, sent as the <c>e2echat-failure</c> trailer next to the gRPC status
/// (PROTOCOL.md 12.7) so clients can switch on it. Envelope validation failures are sent by their
/// <c>EnvelopeFailure</c> name instead, with <see cref="InvalidEnvelope"/>'s status.
/// </summary>
internal enum RelayFailure
{
    /// <summary>The request is not a protobuf message of the method's request type (InvalidArgument).</summary>
    MalformedRequest,

    /// <summary>No <c>authorization: Bearer</c> token (Unauthenticated).</summary>
    MissingToken,

    /// <summary>The token is not one this relay issued in its format (Unauthenticated).</summary>
    MalformedToken,

    /// <summary>The token's MAC does not verify (Unauthenticated).</summary>
    BadToken,

    /// <summary>The token has expired (Unauthenticated).</summary>
    TokenExpired,

    /// <summary>The challenge is not one this relay issued (Unauthenticated).</summary>
    BadChallenge,

    /// <summary>The challenge has expired (Unauthenticated).</summary>
    ChallengeExpired,

    /// <summary>The challenge was used before (Unauthenticated).</summary>
    ChallengeReplayed,

    /// <summary>The signature over the challenge does not verify (Unauthenticated).</summary>
    BadSignature,

    /// <summary>The public identity is not a valid one (InvalidArgument).</summary>
    InvalidIdentityKey,

    /// <summary>The device is registered with another identity (PermissionDenied).</summary>
    IdentityMismatch,

    /// <summary>The account is registered with the other kind (PermissionDenied).</summary>
    AccountKindMismatch,

    /// <summary>The registration gate refused the device (PermissionDenied).</summary>
    DeviceNotAdmitted,

    /// <summary>The token's device is no longer registered (Unauthenticated).</summary>
    DeviceNotRegistered,

    /// <summary>An address in the request is malformed (InvalidArgument).</summary>
    InvalidAddress,

    /// <summary>The request names another device than the authenticated one (PermissionDenied).</summary>
    NotYourDevice,

    /// <summary>An envelope's sender is not the authenticated device (PermissionDenied).</summary>
    SenderMismatch,

    /// <summary>An envelope fails validation; the trailer carries the <c>EnvelopeFailure</c> name (InvalidArgument).</summary>
    InvalidEnvelope,

    /// <summary>A batch has no envelope or an audience no device (InvalidArgument).</summary>
    EmptyBatch,

    /// <summary>A batch or audience is larger than the relay's bound (InvalidArgument).</summary>
    BatchTooLarge,

    /// <summary>A recipient device was never registered (NotFound).</summary>
    UnknownRecipient,

    /// <summary>A recipient's kind in the envelope differs from its registered kind (InvalidArgument).</summary>
    RecipientKindMismatch,

    /// <summary>A post is not a sender-key envelope addressed to its sender (InvalidArgument).</summary>
    InvalidPost,

    /// <summary>An audience names a device twice (InvalidArgument).</summary>
    DuplicateAudience,

    /// <summary>A pre-key is malformed or its signature does not verify (InvalidArgument; detail names which).</summary>
    InvalidPreKey,

    /// <summary>An upload has more one-time pre-keys than allowed, or the device would hold too many (ResourceExhausted).</summary>
    TooManyPreKeys,

    /// <summary>The account has no registered device (NotFound).</summary>
    UnknownAccount,

    /// <summary>The device has not published a signed pre-key and a last-resort KEM pre-key (FailedPrecondition).</summary>
    NoPreKeys,

    /// <summary>The first request of a receive stream is not a start (InvalidArgument).</summary>
    StreamNotStarted,

    /// <summary>A newer receive stream for the same device replaced this one (Aborted).</summary>
    StreamReplaced,

    /// <summary>Only a business account reads usage, only its own (PermissionDenied).</summary>
    NotYourAccount,

    /// <summary>A usage range is reversed or too long (InvalidArgument).</summary>
    InvalidRange,

    /// <summary>A signed device list is malformed, too large, or its signature does not verify (InvalidArgument; detail names which).</summary>
    InvalidDeviceList,

    /// <summary>A device list is signed by another account key than the one the account's first list pinned (FailedPrecondition).</summary>
    AccountKeyMismatch,

    /// <summary>A device list's version is not above the stored one (FailedPrecondition).</summary>
    VersionRollback,

    /// <summary>The account has published no device list (NotFound).</summary>
    NoDeviceList,

    /// <summary>A signed contact link is malformed, too large, or its signature does not verify (InvalidArgument; detail names the rule of PROTOCOL.md 15.1).</summary>
    InvalidContactLink,

    /// <summary>A contact link's expiry has passed at the relay's clock (FailedPrecondition).</summary>
    ContactLinkExpired,
}
