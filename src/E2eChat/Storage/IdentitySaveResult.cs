namespace E2eChat;

/// <summary>What <see cref="IIdentityStore.SaveIdentityAsync"/> did (trust on first use, PROTOCOL.md section 8.1).</summary>
public enum IdentitySaveResult
{
    /// <summary>No identity was known for the address; this one is now recorded.</summary>
    FirstUse = 1,

    /// <summary>The same identity was already recorded; nothing changed.</summary>
    Unchanged = 2,

    /// <summary>
    /// A different identity is recorded; it was kept and the new one was not saved. The application
    /// accepts the new identity with <see cref="IIdentityStore.ApproveIdentityAsync"/>.
    /// </summary>
    Conflict = 3,
}
