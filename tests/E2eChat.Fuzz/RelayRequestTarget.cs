using System.Buffers;
using E2eChat.Relay.Server.Api;
using E2eChat.Relay.Server.Keys;
using E2eChat.Relay.Server.Messaging;
using E2eChat.Relay.Server.Storage;
using E2eChat.Wire;
using Google.Protobuf;
using Grpc.Core;

namespace E2eChat.Fuzz;

/// <summary>
/// The relay's requests (<c>protos/relay.proto</c>), read as the relay server reads them: the first
/// byte picks the request type, the rest is merged into it as <c>StrictServiceMethods</c> does (the
/// only exception allowed is <see cref="InvalidProtocolBufferException"/>, which the binder turns into
/// <c>MalformedRequest</c>). A request that parses survives re-encoding (protobuf's own encoding:
/// these are plain proto3, section 12), and what it carries goes through the relay's own checks: an
/// envelope through <see cref="EnvelopeInspector"/>, which must agree with the client's decoder; a
/// device list and a consent record through their targets; an upload through <see cref="PreKeyVerifier"/>,
/// which may refuse only with an <see cref="RpcException"/>.
/// </summary>
internal static class RelayRequestTarget
{
    private const int IdentityLength = 128;

    private static readonly Func<ReadOnlySequence<byte>, IMessage>[] s_readers =
    [
        Read<AuthenticateRequest>,
        Read<PublishPreKeysRequest>,
        Read<FetchBundlesRequest>,
        Read<SendRequest>,
        Read<PostRequest>,
        Read<ReceiveRequest>,
        Read<GetUsageRequest>,
        Read<PublishDeviceListRequest>,
        Read<GetDeviceListRequest>,
        Read<SubmitConsentRequest>,
    ];

    /// <summary>The 128-byte identity the uploads are checked against: its signing half is <see cref="FuzzKeys.Account"/>.</summary>
    private static readonly Lazy<byte[]> s_identity = new(() =>
    {
        byte[] identity = new byte[IdentityLength];
        FuzzKeys.Account.PublicKey.AsSpan().CopyTo(identity);
        return identity;
    });

    /// <summary>How many request types the first byte picks from (the seed writer names them by index).</summary>
    internal static int RequestTypes => s_readers.Length;

    /// <summary>The index of a request type, for the seed writer.</summary>
    /// <typeparam name="T">The request type.</typeparam>
    /// <returns>Its selector byte.</returns>
    internal static byte Selector<T>()
        where T : IMessage<T>, new()
    {
        Type wanted = typeof(T);
        for (int i = 0; i < s_readers.Length; i++)
        {
            if (s_readers[i].Method.GetGenericArguments()[0] == wanted)
            {
                return (byte)i;
            }
        }

        throw new ArgumentException("not a request type the target reads", nameof(T));
    }

    /// <summary>Runs the target.</summary>
    /// <param name="input">The fuzzer's bytes.</param>
    internal static void Run(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Length == 0)
        {
            return;
        }

        IMessage request;
        try
        {
            request = s_readers[input[0] % s_readers.Length](new ReadOnlySequence<byte>(input, 1, input.Length - 1));
        }
        catch (InvalidProtocolBufferException)
        {
            return;
        }

        byte[] encoded = request.ToByteArray();
        IMessage again = request.Descriptor.Parser.ParseFrom(encoded);
        FuzzTargets.Check(again.Equals(request) && again.ToByteArray().AsSpan().SequenceEqual(encoded), $"relay_request: a {request.Descriptor.Name} changed through re-encoding");
        switch (request)
        {
            case SendRequest send:
                foreach (ByteString envelope in send.Envelopes)
                {
                    CheckEnvelope(envelope.Span);
                }

                break;
            case PostRequest post:
                CheckEnvelope(post.Envelope.Span);
                break;
            case PublishDeviceListRequest list:
                DeviceListTarget.CheckSigned(list.SignedList.ToByteArray());
                break;
            case SubmitConsentRequest consent:
                ConsentRecordTarget.CheckSigned(consent.SignedRecord.ToByteArray());
                break;
            case PublishPreKeysRequest upload:
                CheckUpload(upload);
                break;
        }
    }

    private static IMessage Read<T>(ReadOnlySequence<byte> payload)
        where T : IMessage<T>, new()
    {
        var message = new T();
        message.MergeFrom(payload);
        return message;
    }

    /// <summary>The relay's inspection and the client's decoder agree on an envelope, and the facts are what the client reads.</summary>
    private static void CheckEnvelope(ReadOnlySpan<byte> envelope)
    {
        bool relay = EnvelopeInspector.TryInspect(envelope, out RoutingFacts? facts, out string? failure);
        bool client = EnvelopeCodec.TryDecode(envelope, out Envelope? decoded, out E2eChatFailure clientFailure);
        FuzzTargets.Check(relay == client && (relay || failure == clientFailure.ToString()), $"relay_request: the relay says {failure ?? "valid"}, the client {clientFailure}");
        if (relay)
        {
            FuzzTargets.Check(
                facts!.Sender.Name == decoded!.Sender.Name && facts.Sender.Device == decoded.Sender.DeviceId
                && facts.Recipient.Name == decoded.Recipient.Name && facts.Recipient.Device == decoded.Recipient.DeviceId
                && facts.MessageId.AsSpan().SequenceEqual(decoded.MessageId.Span),
                "relay_request: the relay routes an envelope to another address than the client reads");
        }
    }

    /// <summary>An upload is verified into records or refused with an <see cref="RpcException"/>; verified records are what was sent.</summary>
    private static void CheckUpload(PublishPreKeysRequest upload)
    {
        PreKeyUpload records;
        try
        {
            records = PreKeyVerifier.Verify(upload, s_identity.Value);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.ResourceExhausted)
        {
            return;
        }

        FuzzTargets.Check(records.OneTimePreKeys.Count == upload.OneTimePrekeys.Count && records.OneTimeKemPreKeys.Count == upload.OneTimeKemPrekeys.Count, "relay_request: an upload lost keys in verification");
        FuzzTargets.Check((records.SignedPreKey is null) == (upload.SignedPrekey is null), "relay_request: the signed pre-key was lost in verification");
    }
}
