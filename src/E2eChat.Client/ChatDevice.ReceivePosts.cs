using System.Security.Cryptography;
using E2eChat.Wire;

namespace E2eChat.Client;

/// <content>
/// Receiving sender keys and posts (PROTOCOL.md 7): a distribution that arrived through a pairwise
/// session is stored for its sender; a post is opened with the stored key of its sender, decided on a
/// customer's device like any business message (as <c>MARKETING</c>, 17.4), and reported as a group
/// message or, when it carries an expiry, a status kept until then. An expired post is dropped.
/// </content>
public sealed partial class ChatDevice
{
    /// <summary>Stores a sender key that arrived in a pairwise session (only such distributions are processed: whoever hands one over can post to its audience).</summary>
    private async Task<ChatEvent> ReceiveDistributionAsync(ProtocolAddress sender, ReadOnlyMemory<byte> distribution, CancellationToken cancellationToken)
    {
        E2eChatFailure failure = await new GroupReceiver(_store).TryProcessDistributionAsync(sender, distribution, cancellationToken).ConfigureAwait(false);
        if (failure != E2eChatFailure.None || !TryReadDistributionId(distribution.Span, out DistributionId groupId))
        {
            return new ViolationDetected(sender, failure == E2eChatFailure.None ? E2eChatFailure.Malformed : failure);
        }

        return new SenderKeyReceived(sender, groupId);
    }

    /// <summary>
    /// Opens, records and reports one post (an envelope of type sender key); says whether to acknowledge
    /// it. The receiver key's advance and the inbox entry holding the plaintext commit in one
    /// transaction, as for pairwise messages: a process killed after the commit hands the post over on
    /// restart (its redelivery is a duplicate then).
    /// </summary>
    private async Task<(ChatEvent? Event, bool Acknowledge)> HandlePostAsync(Envelope envelope, ReadOnlyMemory<byte> envelopeBytes, ulong sequence, CancellationToken cancellationToken)
    {
        if (envelope.Sender == Address)
        {
            // Our own sender state is stored under our address: never opened as a received post.
            return (new ViolationDetected(envelope.Sender, E2eChatFailure.UnknownSenderKey), true);
        }

        ulong now = (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds();
        SenderKeyDecryptionResult result;
        long inboxId;
        try
        {
            (result, inboxId) = await DecryptIntoInboxAsync(
                envelopeBytes,
                ct => new GroupReceiver(_store).TryDecryptAsync(envelope.Sender, envelope.Message.Body, now, ct),
                static decrypted => decrypted.Succeeded ? decrypted.Plaintext : null,
                cancellationToken).ConfigureAwait(false);
        }
        catch (E2eChatException e) when (e.Failure == E2eChatFailure.StoreConflict)
        {
            // Nothing committed (the plaintext is wiped): left unacknowledged, it comes again on the next stream.
            return (null, false);
        }

        switch (result.Failure)
        {
            case E2eChatFailure.None:
                break;
            case E2eChatFailure.Duplicate:
                return IgnoreDuplicate(envelope.Sender, sequence);
            case E2eChatFailure.Expired:
                ClientLog.ExpiredPostDropped(_logger, Address, envelope.Sender);
                return (null, true);
            default:
                return ReportViolation(envelope.Sender, result.Failure);
        }

        byte[] plaintext = result.Plaintext!;
        try
        {
            return (await HandOverAsync(inboxId, envelope, plaintext, cancellationToken).ConfigureAwait(false), true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>The event for an opened post: its content must be an application message; a customer's device gates a business's post.</summary>
    private async Task<ChatEvent> ToPostEventAsync(Envelope envelope, byte[] plaintext, CancellationToken cancellationToken)
    {
        if (!Content.TryRead(plaintext, out Content? content, out E2eChatFailure failure) || content.Kind != ContentKind.Message)
        {
            E2eChatFailure violation = failure != E2eChatFailure.None ? failure : E2eChatFailure.UnknownContent;
            ClientLog.Violation(_logger, Address, envelope.Sender, violation);
            return new ViolationDetected(envelope.Sender, violation);
        }

        // A post is addressed to its sender; the inbox gate decides it as received here (business to this person: MARKETING).
        var received = new Envelope(envelope.Sender, envelope.SenderKind, Address, Kind, envelope.MessageId.Span, envelope.TimestampMilliseconds, envelope.Message);
        ChatEvent? gated = await GateAsync(received, content, cancellationToken).ConfigureAwait(false);
        if (gated is not null)
        {
            return gated;
        }

        ReadPostHeader(envelope.Message.Body.Span, out DistributionId groupId, out ulong expiresAt);
        DateTimeOffset sentAt = UnixTimeClamped(envelope.TimestampMilliseconds);
        ReadOnlySpan<byte> body = content.Message!.Body.Span;
        if (expiresAt == 0)
        {
            return new GroupMessageReceived(envelope.Sender, envelope.SenderKind, groupId, envelope.MessageId.Span, sentAt, body);
        }

        var record = new StatusRecord(
            envelope.Sender.Name,
            envelope.Sender.DeviceId,
            (int)envelope.SenderKind,
            Convert.ToHexString(envelope.MessageId.Span),
            sentAt.ToUnixTimeMilliseconds(),
            UnixTimeClamped(expiresAt).ToUnixTimeMilliseconds(),
            body.ToArray());
        _groups.PutStatus(record);
        return new StatusReceived(StatusPost.FromRecord(record));
    }

    /// <summary>Reads the distribution id of a <c>SenderKeyDistribution</c> through the wire layer's codec.</summary>
    private static bool TryReadDistributionId(ReadOnlySpan<byte> distribution, out DistributionId groupId)
    {
        groupId = default;
        if (!WireSenderKeyDistribution.TryRead(distribution, out SenderKeyDistributionView view, out _))
        {
            return false;
        }

        groupId = new DistributionId(distribution[view.DistributionId]);
        return true;
    }

    /// <summary>
    /// Reads the distribution id and the signed expiry (0 when absent) of a <c>SenderKeyMessage</c>
    /// through the wire layer's codec. The message has passed the group receiver, which read it with the
    /// same codec, so the read succeeds; were it to fail, both stay at their defaults.
    /// </summary>
    private static void ReadPostHeader(ReadOnlySpan<byte> message, out DistributionId groupId, out ulong expiresAt)
    {
        groupId = default;
        expiresAt = 0;
        if (WireSenderKeyMessage.TryRead(message, out SenderKeyMessageView view, out _))
        {
            groupId = new DistributionId(message[view.DistributionId]);
            expiresAt = view.ExpiresAtMilliseconds;
        }
    }
}
