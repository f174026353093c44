using System.Security.Cryptography;
using E2eChat.Wire;
using Google.Protobuf;
using Grpc.Core;

namespace E2eChat.Client;

/// <content>
/// Sender keys for groups and status (PROTOCOL.md 7 and 12.4): our sender state per audience in the
/// protocol store, its distribution sent through the pairwise session to every device of the audience
/// that does not hold the current generation yet, posts encrypted once (the advanced state stored
/// before the post leaves) and handed to the relay's <c>Post</c> for those devices.
/// </content>
public sealed partial class ChatDevice
{
    /// <summary>The relay takes at most 4096 audience devices per <c>Post</c> (its <c>MaxAudience</c>); a larger audience gets the same envelope in several calls.</summary>
    private const int MaxAudiencePerPost = 4096;

    private readonly SemaphoreSlim _groupGate = new(1, 1);

    /// <summary>Test hook: sees each post's encoded envelope before it is handed to the relay.</summary>
    internal Action<byte[]>? PostObserver { get; set; }

    /// <summary>Our own sender state's name for an audience.</summary>
    private SenderKeyName OwnSenderKey(DistributionId groupId) => new(Address, groupId);

    /// <summary>
    /// Every device of the audience: each device in each member account's signed list (fetched from the
    /// relay when not known), and our own account's other devices (so they read what this device posts).
    /// </summary>
    private async Task<List<(ProtocolAddress Device, AccountKind Kind)>> GetAudienceAsync(GroupRecord record, CancellationToken cancellationToken)
    {
        var audience = new List<(ProtocolAddress, AccountKind)>();
        foreach (string member in record.Members)
        {
            SignedDeviceList list = await GetOrFetchDeviceListAsync(member, cancellationToken).ConfigureAwait(false)
                ?? throw new E2eChatException(E2eChatFailure.NoDeviceList);
            audience.AddRange(list.List.Devices.Select(d => (new ProtocolAddress(member, d.Device), list.List.Kind)));
        }

        SignedDeviceList? own = await Accounts.GetDeviceListAsync(Address.Name, cancellationToken).ConfigureAwait(false);
        if (own is not null)
        {
            audience.AddRange(own.List.Devices.Where(d => d.Device != Address.DeviceId).Select(d => (new ProtocolAddress(Address.Name, d.Device), Kind)));
        }

        return audience;
    }

    /// <summary>
    /// Rotates first when the record says a rotation is pending (<see cref="GroupRecord.ChainId"/> 0), then
    /// sends the current generation's distribution to each audience device that does not hold it (its
    /// pairwise session, started from a fetched bundle when there is none) and records the devices the
    /// relay accepted it for. A business's distribution to a person carries <see cref="Category.Marketing"/>:
    /// every post it opens is decided and billed as one (PROTOCOL.md 17.4), so it needs the same consent.
    /// </summary>
    private async Task<(GroupRecord Record, IReadOnlyList<SendResult> Results)> DistributeAsync(DistributionId groupId, GroupRecord record, List<(ProtocolAddress Device, AccountKind Kind)> audience, CancellationToken cancellationToken)
    {
        if (record.ChainId == 0)
        {
            // A removal (or a key of unknown history) is pending: rotate before any device gets a key again.
            uint chainId = await RotateAsync(groupId, cancellationToken).ConfigureAwait(false);
            record = record with { Distributed = [], ChainId = chainId };
            _groups.PutGroup(groupId.ToArray(), record);
            ClientLog.SenderKeyRotated(_logger, Address, groupId);
        }

        var missing = audience.Where(a => !record.Distributed.Contains(a.Device.ToString(), StringComparer.Ordinal)).ToList();
        if (missing.Count == 0)
        {
            return (record, []);
        }

        byte[] content;
        (GroupSender sender, _) = await LoadOwnSenderAsync(OwnSenderKey(groupId), cancellationToken).ConfigureAwait(false);
        using (sender)
        {
            if (sender.ChainId != record.ChainId)
            {
                // The state was rotated after the record was written (a crash in between): no device holds this generation yet.
                record = record with { Distributed = [], ChainId = sender.ChainId };
                missing = audience;
            }

            using SecretBuffer distribution = sender.CreateDistributionMessage();
            content = Content.FromRecord(ContentKind.SenderKeyDistribution, distribution.Span).ToBytes();
        }

        byte[] messageId = RandomNumberGenerator.GetBytes(Envelope.MessageIdLength);
        ulong now = (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds();
        var envelopes = new List<(ProtocolAddress, byte[], byte[])>(missing.Count);
        var results = new List<SendResult>(missing.Count);
        try
        {
            foreach ((ProtocolAddress device, AccountKind kind) in missing)
            {
                CiphertextMessage message;
                try
                {
                    message = await EncryptAsync(device, content, cancellationToken).ConfigureAwait(false);
                }
                catch (E2eChatException e)
                {
                    // One device without keys (or with an identity not trusted) does not stop the others; it gets the key on a later post.
                    results.Add(new SendResult(device, messageId, SendStatus.Failed, e.Failure.ToString(), 0));
                    continue;
                }

                Category category = Kind == AccountKind.Business && kind == AccountKind.Person ? Category.Marketing : Category.Unspecified;
                envelopes.Add((device, messageId, EnvelopeCodec.Encode(new Envelope(Address, Kind, device, kind, messageId, now, message, category))));
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }

        IReadOnlyList<SendResult> sent = await SendEnvelopesAsync(envelopes, cancellationToken).ConfigureAwait(false);
        results.AddRange(sent);
        string[] holders = [.. record.Distributed.Concat(sent.Where(r => r.IsAccepted).Select(r => r.Recipient.ToString())).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        record = record with { Distributed = holders };
        _groups.PutGroup(groupId.ToArray(), record);
        int accepted = sent.Count(r => r.IsAccepted);
        ClientLog.SenderKeyDistributed(_logger, Address, accepted, missing.Count);
        return (record, results);
    }

    /// <summary>
    /// Distributes the key where it is missing, then posts: one result per audience device, the post's
    /// outcome where the device holds the key, else the outcome of the key's distribution to it (for
    /// example refused by the customer's consent).
    /// </summary>
    private async Task<IReadOnlyList<SendResult>> DistributeAndPostAsync(DistributionId groupId, GroupRecord record, ReadOnlyMemory<byte> body, ulong expiresAtMilliseconds, CancellationToken cancellationToken)
    {
        var audience = await GetAudienceAsync(record, cancellationToken).ConfigureAwait(false);
        (record, IReadOnlyList<SendResult> distributed) = await DistributeAsync(groupId, record, audience, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<SendResult> posted = await PostAsync(groupId, record, audience, body, expiresAtMilliseconds, cancellationToken).ConfigureAwait(false);
        return [.. posted, .. distributed.Where(r => !r.IsAccepted)];
    }

    /// <summary>Our stored sender state for <paramref name="name"/> and the version it was loaded at (the stored bytes wiped); <see cref="E2eChatFailure.UnknownGroup"/> when there is none.</summary>
    private async Task<(GroupSender Sender, long Version)> LoadOwnSenderAsync(SenderKeyName name, CancellationToken cancellationToken)
    {
        VersionedRecord stored = await _store.LoadSenderKeyAsync(name, 0, cancellationToken).ConfigureAwait(false);
        if (stored.Record is null)
        {
            throw new E2eChatException(E2eChatFailure.UnknownGroup);
        }

        try
        {
            return (GroupSender.Deserialize(stored.Record), stored.Version);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(stored.Record);
        }
    }

    /// <summary>Starts a new generation of our sender state for the audience (stored by compare-and-swap) and returns its chain id.</summary>
    private async Task<uint> RotateAsync(DistributionId groupId, CancellationToken cancellationToken)
    {
        SenderKeyName name = OwnSenderKey(groupId);
        for (int attempt = 0; attempt < ProtocolLimits.MaxCommitAttempts; attempt++)
        {
            (GroupSender sender, long version) = await LoadOwnSenderAsync(name, cancellationToken).ConfigureAwait(false);
            using (sender)
            {
                sender.Rotate();
                byte[] serialized = sender.Serialize();
                try
                {
                    if (await _store.TryStoreSenderKeyAsync(name, serialized, version, cancellationToken).ConfigureAwait(false) != 0)
                    {
                        return sender.ChainId;
                    }
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(serialized);
                }
            }
        }

        throw new E2eChatException(E2eChatFailure.StoreConflict);
    }

    /// <summary>Creates and stores our sender state for a new audience; <see langword="null"/> when one is stored already.</summary>
    private async Task<uint?> CreateSenderKeyAsync(DistributionId groupId, CancellationToken cancellationToken)
    {
        using GroupSender sender = GroupSender.Create(groupId);
        byte[] serialized = sender.Serialize();
        try
        {
            long version = await _store.TryStoreSenderKeyAsync(OwnSenderKey(groupId), serialized, 0, cancellationToken).ConfigureAwait(false);
            return version == 0 ? null : sender.ChainId;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(serialized);
        }
    }

    /// <summary>
    /// Encrypts one post with our stored sender state (the advanced state is stored before the post
    /// exists outside this method) and posts it to the audience devices that hold the current
    /// generation; rate-limited devices are retried with the same bytes.
    /// </summary>
    private async Task<IReadOnlyList<SendResult>> PostAsync(DistributionId groupId, GroupRecord record, List<(ProtocolAddress Device, AccountKind Kind)> audience, ReadOnlyMemory<byte> body, ulong expiresAtMilliseconds, CancellationToken cancellationToken)
    {
        var holders = audience.Where(a => record.Distributed.Contains(a.Device.ToString(), StringComparer.Ordinal)).ToList();
        if (holders.Count == 0)
        {
            return [];
        }

        byte[] plaintext = Content.FromMessage(new ApplicationMessage(body.Span)).ToBytes();
        CiphertextMessage message;
        try
        {
            message = await GroupSender.EncryptAsync(_store, OwnSenderKey(groupId), plaintext, expiresAtMilliseconds, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }

        byte[] messageId = RandomNumberGenerator.GetBytes(Envelope.MessageIdLength);
        var envelope = new Envelope(Address, Kind, Address, Kind, messageId, (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds(), message);
        byte[] encoded = EnvelopeCodec.Encode(envelope);
        PostObserver?.Invoke(encoded);
        ByteString bytes = ByteString.CopyFrom(encoded);
        var results = new List<SendResult>(holders.Count);
        for (int start = 0; start < holders.Count; start += MaxAudiencePerPost)
        {
            results.AddRange(await PostBatchAsync(bytes, messageId, holders.GetRange(start, Math.Min(MaxAudiencePerPost, holders.Count - start)), cancellationToken).ConfigureAwait(false));
        }

        int posted = results.Count(r => r.IsAccepted);
        ClientLog.Posted(_logger, Address, posted, audience.Count);
        return results;
    }

    /// <summary>One <c>Post</c> call for up to <see cref="MaxAudiencePerPost"/> devices, retrying the rate-limited ones at most <see cref="ChatDeviceOptions.MaxSendAttempts"/> times.</summary>
    private async Task<IReadOnlyList<SendResult>> PostBatchAsync(ByteString envelope, byte[] messageId, List<(ProtocolAddress Device, AccountKind Kind)> devices, CancellationToken cancellationToken)
    {
        var results = new SendResult?[devices.Count];
        int[] pending = [.. Enumerable.Range(0, devices.Count)];
        for (int attempt = 1; pending.Length > 0; attempt++)
        {
            var request = new Api.PostRequest { Envelope = envelope };
            request.Audience.Add(pending.Select(i => ApiAddress(devices[i].Device, devices[i].Kind)));
            Api.PostResponse response;
            try
            {
                response = await CallAsync(options => _messaging.PostAsync(request, options).ResponseAsync, cancellationToken).ConfigureAwait(false);
            }
            catch (E2eChatException e) when (e.Failure == E2eChatFailure.RelayUnavailable)
            {
                foreach (int i in pending)
                {
                    results[i] = new SendResult(devices[i].Device, messageId, SendStatus.Failed, nameof(E2eChatFailure.RelayUnavailable), attempt);
                }

                break;
            }
            catch (RpcException e)
            {
                string reason = FailureName(e);
                ClientLog.SendRefused(_logger, Address, reason);
                foreach (int i in pending)
                {
                    results[i] = new SendResult(devices[i].Device, messageId, SendStatus.Refused, reason, attempt);
                }

                break;
            }

            pending = Settle(pending, response.Results, attempt, results, (i, status, reason) => new SendResult(devices[i].Device, messageId, status, reason, attempt), out TimeSpan wait);
            if (pending.Length > 0)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
        }

        return results!;
    }
}
