namespace E2eChat;

/// <summary>What <see cref="IPreKeyMessageCommitter.CommitPreKeyMessageAsync"/> did. Every value but <see cref="Committed"/> means nothing was written.</summary>
public enum PreKeyMessageCommitResult
{
    /// <summary>Everything was written, in one transaction.</summary>
    Committed = 1,

    /// <summary>The address's session record is no longer at the expected version (another writer won); the caller reloads and retries.</summary>
    SessionChanged = 2,

    /// <summary>The one-time X25519 pre-key is gone (another handshake consumed it).</summary>
    OneTimePreKeyMissing = 3,

    /// <summary>The one-time KEM pre-key is gone (another handshake consumed it).</summary>
    KemPreKeyMissing = 4,

    /// <summary>A different identity is recorded for the address (trust on first use, PROTOCOL.md section 8.1).</summary>
    UntrustedIdentity = 5,
}
