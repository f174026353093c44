using E2eChat.Crypto;
using E2eChat.Relay.Server.Accounts;

namespace E2eChat.Fuzz;

/// <summary>
/// Section 14: a <c>SignedDeviceList</c>, read by the client (<see cref="SignedDeviceList.TryRead"/>,
/// the codec underneath) and by the relay (<see cref="DeviceListInspector"/>). The input is tried
/// twice: as signed bytes, and as a <c>DeviceList</c> body that the target signs with
/// <see cref="FuzzKeys.Account"/> so that the rules after the signature are reached.
/// </summary>
internal static class DeviceListTarget
{
    /// <summary>
    /// Failures the client may give for a list the relay accepts: the relay reads fields 1-4 and counts
    /// the entries, the rest of an entry is the clients' to check (PROTOCOL.md 14.1, 14.6).
    /// </summary>
    private static readonly HashSet<E2eChatFailure> s_entryFailures =
    [
        E2eChatFailure.Truncated,
        E2eChatFailure.MalformedVarint,
        E2eChatFailure.UnknownField,
        E2eChatFailure.DuplicateField,
        E2eChatFailure.FieldsOutOfOrder,
        E2eChatFailure.WrongWireType,
        E2eChatFailure.DefaultValueWritten,
        E2eChatFailure.DuplicateDevice,
        E2eChatFailure.DevicesOutOfOrder,
        E2eChatFailure.InvalidDeviceId,
        E2eChatFailure.InvalidIdentityKey,
        E2eChatFailure.InvalidLabel,
        E2eChatFailure.InvalidRole,
        E2eChatFailure.InvalidProcessor,
        E2eChatFailure.MissingProcessor,
        E2eChatFailure.UnexpectedProcessor,
    ];

    /// <summary>Runs the target.</summary>
    /// <param name="input">The fuzzer's bytes.</param>
    internal static void Run(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckSigned(input);
        byte[] signature = FuzzKeys.Account.Sign(ProtocolLabels.DeviceList, input);
        CheckSigned(DeviceListCodec.WriteSigned(FuzzKeys.Account.PublicKey.AsSpan(), input, signature));
    }

    /// <summary>Client and relay on the same signed bytes; an accepted part re-encodes to its bytes.</summary>
    /// <param name="signed">The signed list.</param>
    internal static void CheckSigned(byte[] signed)
    {
        bool client = SignedDeviceList.TryRead(signed, out SignedDeviceList? list, out E2eChatFailure failure);
        FuzzTargets.Check(client == (failure == E2eChatFailure.None) && client == (list is not null), "device_list: result and failure disagree");
        E2eChatFailure structure = DeviceListCodec.ReadSigned(signed, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> body, out ReadOnlySpan<byte> signature);
        if (structure == E2eChatFailure.None)
        {
            FuzzTargets.Check(DeviceListCodec.WriteSigned(key, body, signature).AsSpan().SequenceEqual(signed), "device_list: a signed list read but does not re-encode to its bytes");
            if (DeviceListCodec.ReadList(body, out DeviceList? read) == E2eChatFailure.None)
            {
                FuzzTargets.Check(DeviceListCodec.WriteList(read!).AsSpan().SequenceEqual(body), "device_list: a list read but does not re-encode to its bytes");
            }
        }
        else
        {
            FuzzTargets.Check(failure == structure, $"device_list: the codec says {structure}, the reader {failure}");
        }

        string? relay = DeviceListInspector.Inspect(signed, out DeviceListFacts? facts);
        FuzzTargets.Check((relay is null) == (facts is not null), "device_list: the relay's result and facts disagree");
        if (client)
        {
            FuzzTargets.Check(relay is null, $"device_list: the client accepts what the relay refuses ({relay})");
            FuzzTargets.Check(
                facts!.Account == list!.List.Account && (int)facts.Kind == (int)list.List.Kind && facts.Version == list.List.Version && facts.AccountKey.AsSpan().SequenceEqual(list.AccountKey.AsSpan()),
                "device_list: the relay and the client read different facts");
        }
        else if (relay is null)
        {
            FuzzTargets.Check(s_entryFailures.Contains(failure), $"device_list: the relay accepts what the client refuses with {failure}, which is not an entry's rule");
        }
    }
}
