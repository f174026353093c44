using System.Security.Cryptography;
using System.Text;

namespace E2eChat.Client;

/// <content>
/// Groups over sender keys (PROTOCOL.md 7): a group is named by a random 16-byte id (the distribution
/// id every member's sender key for it carries); this device keeps the member accounts it posts to,
/// sends its sender key to every device of every member (and to its own account's other devices), and
/// rotates the key when a member is removed, so the removed account cannot read later posts.
/// Membership is this device's: another member who wants to post to the group creates it on its own
/// device under the same id (<see cref="CreateGroupAsync"/>), and receivers see every member's posts
/// under that id.
/// </content>
public sealed partial class ChatDevice
{
    /// <summary>A new random group id.</summary>
    /// <returns>16 random bytes as a distribution id.</returns>
    public static DistributionId NewGroupId() => new(RandomNumberGenerator.GetBytes(DistributionId.Length));

    /// <summary>
    /// Creates a group this device posts to: makes and stores its sender key, stores the membership
    /// (both before anything is sent), and sends the key to every device of every member account (their
    /// signed device lists, fetched from the relay when unknown) and to our own account's other devices.
    /// </summary>
    /// <param name="groupId">The group's id (<see cref="NewGroupId"/>, or a group another member created).</param>
    /// <param name="members">The member accounts (our own account is left out; duplicates count once).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The outcome of each key distribution (a device that was not reached gets the key before the next post).</returns>
    /// <exception cref="ArgumentException">A member name is not a valid account name.</exception>
    /// <exception cref="E2eChatException">
    /// With <see cref="E2eChatFailure.GroupExists"/> (created before on this device), a <see cref="E2eChatFailure"/>
    /// (a member's device list is unknown to us and to the relay), or a <see cref="E2eChatFailure"/> of the relay calls.
    /// </exception>
    public async Task<IReadOnlyList<SendResult>> CreateGroupAsync(DistributionId groupId, IEnumerable<string> members, CancellationToken cancellationToken = default)
    {
        string[] accounts = CheckMembers(members);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _groupGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_groups.GetGroup(groupId.ToArray()) is not null)
            {
                throw new E2eChatException(E2eChatFailure.GroupExists);
            }

            await RequireDeviceListsAsync(accounts, cancellationToken).ConfigureAwait(false);

            uint chainId = await CreateSenderKeyAsync(groupId, cancellationToken).ConfigureAwait(false)
                ?? throw new E2eChatException(E2eChatFailure.GroupExists);
            var record = new GroupRecord(false, accounts, [], chainId);
            _groups.PutGroup(groupId.ToArray(), record);
            return await DistributeToMembersAsync(groupId, record, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _groupGate.Release();
        }
    }

    /// <summary>
    /// Adds a member account to a group this device created and sends it the current sender key (at the
    /// current iteration: it reads posts from now on, not earlier ones). Adding a member again only
    /// sends the key to those of its devices that do not hold it.
    /// </summary>
    /// <param name="groupId">The group.</param>
    /// <param name="account">The new member account.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The outcome of each key distribution.</returns>
    /// <exception cref="ArgumentException">The name is not a valid account name, or it is our own account.</exception>
    /// <exception cref="E2eChatException">With <see cref="E2eChatFailure.UnknownGroup"/>, or as <see cref="CreateGroupAsync"/>.</exception>
    public async Task<IReadOnlyList<SendResult>> AddGroupMemberAsync(DistributionId groupId, string account, CancellationToken cancellationToken = default)
    {
        string[] added = CheckMembers([account]);
        if (added.Length == 0)
        {
            throw new ArgumentException("Our own account is not a member of its groups.", nameof(account));
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        await _groupGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            GroupRecord record = RequireGroup(groupId);
            if (!record.Members.Contains(account, StringComparer.Ordinal))
            {
                await RequireDeviceListsAsync(added, cancellationToken).ConfigureAwait(false);
                record = record with { Members = [.. record.Members.Append(account).Order(StringComparer.Ordinal)] };
                _groups.PutGroup(groupId.ToArray(), record);
            }

            return await DistributeToMembersAsync(groupId, record, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _groupGate.Release();
        }
    }

    /// <summary>
    /// Removes a member account from a group this device created and rotates: a new generation of the
    /// sender key (new chain and signing key, stored first) is sent to the remaining members' devices
    /// only. The removed account's devices cannot open later posts (<see cref="E2eChatFailure.UnknownSenderKey"/>).
    /// </summary>
    /// <param name="groupId">The group.</param>
    /// <param name="account">The member to remove.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The outcome of each distribution of the new generation.</returns>
    /// <exception cref="E2eChatException">With <see cref="E2eChatFailure.UnknownGroup"/>, <see cref="E2eChatFailure.NotAGroupMember"/>, or as <see cref="CreateGroupAsync"/>.</exception>
    public async Task<IReadOnlyList<SendResult>> RemoveGroupMemberAsync(DistributionId groupId, string account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _groupGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            GroupRecord record = RequireGroup(groupId);
            if (!record.Members.Contains(account, StringComparer.Ordinal))
            {
                throw new E2eChatException(E2eChatFailure.NotAGroupMember);
            }

            return await RemoveAndRotateAsync(groupId, record, [account], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _groupGate.Release();
        }
    }

    /// <summary>The member accounts of a group this device created (without our own account), in ordinal order.</summary>
    /// <param name="groupId">The group.</param>
    /// <returns>The members.</returns>
    /// <exception cref="E2eChatException">With <see cref="E2eChatFailure.UnknownGroup"/>.</exception>
    public IReadOnlyList<string> GetGroupMembers(DistributionId groupId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return RequireGroup(groupId).Members;
    }

    /// <summary>Posts a text to a group this device created; see <see cref="SendGroupMessageAsync(DistributionId, ReadOnlyMemory{byte}, CancellationToken)"/>.</summary>
    /// <param name="groupId">The group.</param>
    /// <param name="text">The text (UTF-8).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One result per audience device.</returns>
    /// <exception cref="E2eChatException">As the other overload.</exception>
    public Task<IReadOnlyList<SendResult>> SendGroupMessageAsync(DistributionId groupId, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SendGroupMessageAsync(groupId, Encoding.UTF8.GetBytes(text), cancellationToken);
    }

    /// <summary>
    /// Posts a message to a group this device created: first sends the sender key to any audience device
    /// that does not hold it (a member's new device), then encrypts the post once (the advanced sender
    /// state is stored before it leaves) and hands it to the relay for every device that holds the key.
    /// A business's post to a person is decided and billed by the relay as <c>MARKETING</c> (PROTOCOL.md 17.4).
    /// </summary>
    /// <param name="groupId">The group.</param>
    /// <param name="body">The body (1 to <see cref="ApplicationMessage.MaxBodyLength"/> bytes).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One result per audience device: the post's (all carry its one message id), or for a device the key could not be sent to, that distribution's.</returns>
    /// <exception cref="E2eChatException">With <see cref="E2eChatFailure.UnknownGroup"/>, or as <see cref="CreateGroupAsync"/>.</exception>
    public async Task<IReadOnlyList<SendResult>> SendGroupMessageAsync(DistributionId groupId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _groupGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await DistributeAndPostAsync(groupId, RequireGroup(groupId), body, 0, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _groupGate.Release();
        }
    }

    /// <summary>
    /// Drops members and marks a rotation pending (stored first, so a crash at any later point still
    /// rotates before any key is sent again), then rotates (the new key stored before anything is sent)
    /// and distributes the new generation to the remaining members' devices.
    /// </summary>
    private async Task<IReadOnlyList<SendResult>> RemoveAndRotateAsync(DistributionId groupId, GroupRecord record, IReadOnlyCollection<string> removed, CancellationToken cancellationToken)
    {
        record = record with { Members = [.. record.Members.Where(m => !removed.Contains(m, StringComparer.Ordinal))], Distributed = [], ChainId = 0 };
        _groups.PutGroup(groupId.ToArray(), record);
        return await DistributeToMembersAsync(groupId, record, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the group's current sender key (rotating first when a rotation is pending) to every member device that does not hold it yet.</summary>
    private async Task<IReadOnlyList<SendResult>> DistributeToMembersAsync(DistributionId groupId, GroupRecord record, CancellationToken cancellationToken)
    {
        var audience = await GetAudienceAsync(record, cancellationToken).ConfigureAwait(false);
        return (await DistributeAsync(groupId, record, audience, cancellationToken).ConfigureAwait(false)).Results;
    }

    /// <summary>The group this device created under <paramref name="groupId"/> (not the status audience).</summary>
    private GroupRecord RequireGroup(DistributionId groupId) =>
        _groups.GetGroup(groupId.ToArray()) is { IsStatus: false } record ? record : throw new E2eChatException(E2eChatFailure.UnknownGroup);

    /// <summary>Makes sure every account's device list is known (fetching it from the relay), before any membership is stored: an unknown account changes nothing.</summary>
    private async Task RequireDeviceListsAsync(IEnumerable<string> accounts, CancellationToken cancellationToken)
    {
        foreach (string account in accounts)
        {
            _ = await GetOrFetchDeviceListAsync(account, cancellationToken).ConfigureAwait(false)
                ?? throw new E2eChatException(E2eChatFailure.NoDeviceList);
        }
    }

    /// <summary>Valid, distinct member accounts without our own, in ordinal order.</summary>
    private string[] CheckMembers(IEnumerable<string> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var accounts = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string member in members)
        {
            if (!ProtocolAddress.IsValidName(member))
            {
                throw new ArgumentException($"'{member}' is not a valid account name.", nameof(members));
            }

            if (member != Address.Name)
            {
                accounts.Add(member);
            }
        }

        return [.. accounts];
    }
}
