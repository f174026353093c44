using ContactLinkSchema = E2eChat.Wire.FieldNumbers.ContactLink;
using DeviceListSchema = E2eChat.Wire.FieldNumbers.DeviceList;

namespace E2eChat.Wire;

/// <summary>
/// The length-delimited fields of the records both the client library and the relay read (PROTOCOL.md
/// 14.6 and 15.1), as masks with bit <c>n</c> for field <c>n</c>: each reader takes these fields only as
/// bytes and the others only as varints, so both sides refuse the same wire types.
/// </summary>
internal static class RecordFieldMasks
{
    /// <summary><c>ContactLink</c>: account, display name, account key, prefilled text and referral (fields 1 to 5); scopes and the two times are varints.</summary>
    internal const uint ContactLinkLengthDelimited =
        (1u << ContactLinkSchema.AccountFieldNumber) | (1u << ContactLinkSchema.DisplayNameFieldNumber) | (1u << ContactLinkSchema.AccountKeyFieldNumber)
        | (1u << ContactLinkSchema.PrefilledTextFieldNumber) | (1u << ContactLinkSchema.ReferralFieldNumber);

    /// <summary><c>DeviceList</c>: account and devices; the kind, the version and the time are varints.</summary>
    internal const uint DeviceListLengthDelimited = (1u << DeviceListSchema.AccountFieldNumber) | (1u << DeviceListSchema.DevicesFieldNumber);
}
