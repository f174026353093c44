namespace E2eChat.Client;

/// <summary>What became of one sent envelope.</summary>
public enum SendStatus
{
    /// <summary>Stored by the relay for delivery (a retry that the relay had already accepted counts here too).</summary>
    Accepted = 1,

    /// <summary>Refused by the relay's policy or rules (see <see cref="SendResult.Reason"/>); nothing was stored.</summary>
    Refused,

    /// <summary>A post whose expiry had passed; nothing was stored.</summary>
    Expired,

    /// <summary>Not stored after <see cref="ChatDeviceOptions.MaxSendAttempts"/> attempts (relay unreachable or rate limit not lifted).</summary>
    Failed,
}
