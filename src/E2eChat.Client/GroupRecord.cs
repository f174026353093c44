namespace E2eChat.Client;

/// <summary>
/// What a device keeps about one audience it sends to (stored sealed in <c>groups.db</c>): whether it is
/// the device's status audience, the member accounts, and the devices (<c>name.device</c>) that hold
/// the current generation of its sender key (<paramref name="ChainId"/>), so that a device added to a
/// member's list later gets the key before the next post and a rotation starts the list afresh.
/// </summary>
/// <param name="IsStatus">Whether this is the status audience (posts expire) rather than a group.</param>
/// <param name="Members">The member accounts, ordinal order, without our own account.</param>
/// <param name="Distributed">The devices that were sent the current generation's distribution.</param>
/// <param name="ChainId">The generation those devices hold; 0 when a rotation is pending (a member was removed): it happens before any key is sent again.</param>
internal sealed record GroupRecord(bool IsStatus, string[] Members, string[] Distributed, uint ChainId);
