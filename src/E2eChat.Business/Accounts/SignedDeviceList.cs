using E2eChat.Crypto;
using System.Diagnostics.CodeAnalysis;

namespace E2eChat;

/// <summary>
/// A device list signed by its account key (PROTOCOL.md section 14): what a business publishes to
/// the relay and sends to its contacts when its devices change. Keeps its exact bytes: the signature
/// covers them, and two lists of one version are the same only when their bytes are.
/// </summary>
public sealed class SignedDeviceList
{
    private readonly byte[] _bytes;

    private SignedDeviceList(byte[] bytes, AccountKey accountKey, DeviceList list)
    {
        _bytes = bytes;
        AccountKey = accountKey;
        List = list;
    }

    /// <summary>The key that signed the list.</summary>
    public AccountKey AccountKey { get; }

    /// <summary>The list.</summary>
    public DeviceList List { get; }

    /// <summary>The encoded <c>SignedDeviceList</c>, read-only.</summary>
    /// <returns>A view of the bytes.</returns>
    public ReadOnlySpan<byte> AsSpan() => _bytes;

    /// <summary>A copy of the encoded <c>SignedDeviceList</c>.</summary>
    /// <returns>A new array.</returns>
    public byte[] ToBytes() => (byte[])_bytes.Clone();

    /// <summary>Encodes and signs <paramref name="list"/> (label <c>E2eChat/v1/device-list</c>).</summary>
    /// <param name="accountKey">The account's signing key.</param>
    /// <param name="list">The list.</param>
    /// <returns>The signed list.</returns>
    public static SignedDeviceList Sign(AccountKeyPair accountKey, DeviceList list)
    {
        ArgumentNullException.ThrowIfNull(accountKey);
        ArgumentNullException.ThrowIfNull(list);
        byte[] encoded = DeviceListCodec.WriteList(list);
        byte[] signature = accountKey.Sign(ProtocolLabels.DeviceList, encoded);
        byte[] bytes = DeviceListCodec.WriteSigned(accountKey.PublicKey.AsSpan(), encoded, signature);
        return new SignedDeviceList(bytes, accountKey.PublicKey, list);
    }

    /// <summary>
    /// Reads and verifies a signed list (section 14.1): its encoding, the signature over the list
    /// bytes before anything in them is read, the list, and every device identity. Never throws for
    /// hostile input.
    /// </summary>
    /// <param name="bytes">The encoded <c>SignedDeviceList</c>.</param>
    /// <param name="list">The list, when valid.</param>
    /// <param name="failure">The first rule broken, or <see cref="E2eChatFailure.None"/>.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool TryRead(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out SignedDeviceList? list, out E2eChatFailure failure)
    {
        list = null;
        failure = DeviceListCodec.ReadSigned(bytes, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> encoded, out ReadOnlySpan<byte> signature);
        if (failure != E2eChatFailure.None)
        {
            return false;
        }

        var accountKey = AccountKey.FromBytes(key);
        if (!accountKey.Verify(ProtocolLabels.DeviceList, encoded, signature))
        {
            failure = E2eChatFailure.BadSignature;
            return false;
        }

        failure = DeviceListCodec.ReadList(encoded, out DeviceList? read);
        if (failure != E2eChatFailure.None)
        {
            return false;
        }

        foreach (DeviceEntry entry in read!.Devices)
        {
            if (IdentityKey.Verify(entry.Identity.AsSpan()) != E2eChatFailure.None)
            {
                failure = E2eChatFailure.InvalidIdentityKey;
                return false;
            }
        }

        list = new SignedDeviceList(bytes.ToArray(), accountKey, read);
        return true;
    }

    /// <summary>Whether both are the same bytes.</summary>
    internal bool SameBytes(SignedDeviceList other) => _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <summary>Describes the list (public data).</summary>
    /// <returns>The list and the key.</returns>
    public override string ToString() => $"{List} signed by {AccountKey}";
}
