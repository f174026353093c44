using E2eChat.Crypto;
using E2eChat.Wire;
using LinkSchema = E2eChat.Wire.FieldNumbers.ContactLink;
using SignedSchema = E2eChat.Wire.FieldNumbers.SignedContactLink;

namespace E2eChat;

/// <summary>The canonical reader and writer of <c>ContactLink</c> and <c>SignedContactLink</c> (PROTOCOL.md section 15.1).</summary>
internal static class ContactLinkCodec
{
    private static ReadOnlySpan<byte> SignedRequired => [0, (byte)E2eChatFailure.MissingLink, (byte)E2eChatFailure.InvalidSignatureLength];

    private static ReadOnlySpan<byte> LinkRequired =>
    [
        0,
        (byte)E2eChatFailure.InvalidAccount,
        (byte)E2eChatFailure.InvalidDisplayName,
        (byte)E2eChatFailure.InvalidAccountKey,
        0,
        0,
        0,
        (byte)E2eChatFailure.MissingIssuedAt,
        (byte)E2eChatFailure.MissingExpiry,
    ];

    /// <summary>Encodes a <c>ContactLink</c>.</summary>
    internal static byte[] WriteLink(ContactLink link) => new RecordWriter()
        .String(LinkSchema.AccountFieldNumber, link.Account)
        .String(LinkSchema.DisplayNameFieldNumber, link.DisplayName)
        .Bytes(LinkSchema.AccountKeyFieldNumber, link.AccountKey.AsSpan())
        .String(LinkSchema.PrefilledTextFieldNumber, link.PrefilledText)
        .Bytes(LinkSchema.ReferralFieldNumber, link.Referral.Span)
        .Varint(LinkSchema.ScopesFieldNumber, link.Scopes)
        .Varint(LinkSchema.IssuedAtMsFieldNumber, link.IssuedAtMs)
        .Varint(LinkSchema.ExpiresAtMsFieldNumber, link.ExpiresAtMs)
        .ToArray();

    /// <summary>Encodes a <c>SignedContactLink</c>.</summary>
    internal static byte[] WriteSigned(ReadOnlySpan<byte> link, ReadOnlySpan<byte> signature) => new RecordWriter()
        .Bytes(SignedSchema.LinkFieldNumber, link)
        .Bytes(SignedSchema.SignatureFieldNumber, signature)
        .ToArray();

    /// <summary>Reads a <c>SignedContactLink</c> (section 15.1 steps 1-2).</summary>
    internal static E2eChatFailure ReadSigned(ReadOnlySpan<byte> bytes, out ReadOnlySpan<byte> link, out ReadOnlySpan<byte> signature)
    {
        Span<Range> values = stackalloc Range[SignedRequired.Length];
        E2eChatFailure failure = RecordReader.ReadBytesFields(bytes, ProtocolLimits.MaxSignedContactLinkLength, SignedRequired, [0, 0, Ed25519.SignatureLength], values);
        link = bytes[values[SignedSchema.LinkFieldNumber]];
        signature = bytes[values[SignedSchema.SignatureFieldNumber]];
        return failure;
    }

    /// <summary>Reads a <c>ContactLink</c> (section 15.1 step 2).</summary>
    internal static E2eChatFailure ReadLink(ReadOnlySpan<byte> bytes, out ContactLink? link)
    {
        link = null;
        string account = string.Empty;
        string displayName = string.Empty;
        byte[] accountKey = [];
        string? prefilled = null;
        ReadOnlySpan<byte> referral = default;
        ulong scopes = 0;
        ulong issuedAt = 0;
        ulong expiresAt = 0;
        var reader = new RecordReader(bytes);
        while (!reader.IsAtEnd)
        {
            byte code = reader.ReadField(LinkRequired, RecordFieldMasks.ContactLinkLengthDelimited, 0, out int field);
            if (code != 0)
            {
                return (E2eChatFailure)code;
            }

            E2eChatFailure failure;
            ReadOnlySpan<byte> value = default;
            if (field <= LinkSchema.ReferralFieldNumber)
            {
                failure = reader.ReadBytes(out value);
            }
            else
            {
                failure = reader.ReadUInt64(out ulong number);
                if (field == LinkSchema.ScopesFieldNumber && failure == E2eChatFailure.None && number > uint.MaxValue)
                {
                    failure = E2eChatFailure.MalformedVarint;
                }

                (scopes, issuedAt, expiresAt) = field switch
                {
                    LinkSchema.ScopesFieldNumber => (number, issuedAt, expiresAt),
                    LinkSchema.IssuedAtMsFieldNumber => (scopes, number, expiresAt),
                    _ => (scopes, issuedAt, number),
                };
            }

            if (failure != E2eChatFailure.None)
            {
                return failure;
            }

            switch (field)
            {
                case LinkSchema.AccountFieldNumber when !WireAddress.IsValidName(value):
                    return E2eChatFailure.InvalidAccount;
                case LinkSchema.AccountFieldNumber:
                    account = RecordText.Decode(value);
                    break;
                case LinkSchema.DisplayNameFieldNumber when !RecordText.IsValid(value, ContactLink.MaxDisplayNameLength):
                    return E2eChatFailure.InvalidDisplayName;
                case LinkSchema.DisplayNameFieldNumber:
                    displayName = RecordText.Decode(value);
                    break;
                case LinkSchema.AccountKeyFieldNumber when value.Length != AccountKey.Length:
                    return E2eChatFailure.InvalidAccountKey;
                case LinkSchema.AccountKeyFieldNumber:
                    accountKey = value.ToArray();
                    break;
                case LinkSchema.PrefilledTextFieldNumber when !RecordText.IsValid(value, int.MaxValue) || RecordText.ScalarCount(value) > ContactLink.MaxPrefilledTextLength:
                    return E2eChatFailure.InvalidPrefilledText;
                case LinkSchema.PrefilledTextFieldNumber:
                    prefilled = RecordText.Decode(value);
                    break;
                case LinkSchema.ReferralFieldNumber when value.Length > ProtocolLimits.MaxReferralLength:
                    return E2eChatFailure.InvalidReferral;
                case LinkSchema.ReferralFieldNumber:
                    referral = value;
                    break;
                case LinkSchema.ScopesFieldNumber when (scopes & ~(ulong)ContactLink.AllowedScopes) != 0:
                    return E2eChatFailure.InvalidScopes;
                case LinkSchema.ExpiresAtMsFieldNumber when expiresAt <= issuedAt:
                    return E2eChatFailure.InvalidExpiry;
                default:
                    break;
            }
        }

        E2eChatFailure end = (E2eChatFailure)reader.CheckEnd(LinkRequired);
        if (end == E2eChatFailure.None)
        {
            link = new ContactLink(account, displayName, AccountKey.FromBytes(accountKey), issuedAt, expiresAt, prefilled, referral, (uint)scopes);
        }

        return end;
    }
}
