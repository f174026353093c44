using System.Text;
using System.Text.Unicode;
using LinkSchema = E2eChat.Wire.FieldNumbers.ContactLink;
using SignedSchema = E2eChat.Wire.FieldNumbers.SignedContactLink;

namespace E2eChat.Relay.Server.Accounts;

/// <summary>
/// The relay's reading of a <c>SignedContactLink</c> (PROTOCOL.md 15.1), keyless and in the clients'
/// order: the size, the signed message's fields, the link's fields by the table of 15.1, then the
/// signature under the link's own account key. A failure is named as the clients name it
/// (an <c>E2eChatFailure</c> name: an encoding failure of section 8 or a 15.1 rule), so the relay and a
/// client refuse the same link for the same reason.
/// </summary>
internal static class ContactLinkInspector
{
    private const uint SignedLengthDelimited = (1u << SignedSchema.LinkFieldNumber) | (1u << SignedSchema.SignatureFieldNumber);
    private const int AccountKeyLength = Ed25519Verifier.PublicKeyLength;

    /// <summary>The scope bits a link may ask for: utility (2), marketing (4), authentication (8); never service (1).</summary>
    private const ulong AllowedScopes = 2 | 4 | 8;

    /// <summary>The signature domain (PROTOCOL.md 15).</summary>
    private static ReadOnlySpan<byte> Label => "E2eChat/v1/contact-link"u8;

    /// <summary>Per field of <c>SignedContactLink</c>: the failure when it is missing (index 0 unused).</summary>
    private static readonly string?[] s_signedMissing = [null, "MissingLink", "InvalidSignatureLength"];

    /// <summary>Per field of <c>ContactLink</c>: the failure when it is missing, or null when optional.</summary>
    private static readonly string?[] s_linkMissing = [null, "InvalidAccount", "InvalidDisplayName", "InvalidAccountKey", null, null, null, "MissingIssuedAt", "MissingExpiry"];

    /// <summary>Reads and verifies <paramref name="signed"/>; never throws for hostile input.</summary>
    /// <param name="signed">The <c>SignedContactLink</c> bytes.</param>
    /// <param name="facts">The link's account, key and expiry, when valid.</param>
    /// <returns><see langword="null"/> when valid, else the name of the first rule broken.</returns>
    internal static string? Inspect(ReadOnlySpan<byte> signed, out ContactLinkFacts? facts)
    {
        facts = null;
        if (signed.Length > WireLimits.MaxSignedContactLinkLength)
        {
            return "TooLarge";
        }

        // Step 2: the signed message (1 link, 2 signature of 64 bytes).
        var reader = new ProtoReader(signed, 0, signed.Length);
        Range link = default, signature = default;
        while (!reader.IsAtEnd)
        {
            string? problem = ReadField(ref reader, s_signedMissing, SignedLengthDelimited, out int field);
            if (problem is not null)
            {
                return problem;
            }

            EnvelopeFailure failure = reader.ReadBytes(out int start, out int length);
            if (failure != EnvelopeFailure.None)
            {
                return failure.ToString();
            }

            if (field == SignedSchema.LinkFieldNumber)
            {
                link = start..(start + length);
            }
            else if (length != RelayServerLimits.SignatureLength)
            {
                return "InvalidSignatureLength";
            }
            else
            {
                signature = start..(start + length);
            }
        }

        string? missing = FirstMissing(s_signedMissing, reader.LastField, s_signedMissing.Length);
        if (missing is not null)
        {
            return missing;
        }

        // Step 2: the link; step 3: the signature under the link's own key.
        string? linkProblem = ReadLink(signed, link, out string account, out Range key, out ulong expiresAt);
        if (linkProblem is not null)
        {
            return linkProblem;
        }

        if (!Ed25519Verifier.Verify(signed[key], Label, signed[link], signed[signature]))
        {
            return "BadSignature";
        }

        facts = new ContactLinkFacts(account, signed[key].ToArray(), expiresAt);
        return null;
    }

    private static string? ReadLink(ReadOnlySpan<byte> signed, Range link, out string account, out Range key, out ulong expiresAt)
    {
        account = string.Empty;
        key = default;
        expiresAt = 0;
        ulong issuedAt = 0;
        (int linkStart, int linkEnd) = (link.Start.Value, link.End.Value);
        var reader = new ProtoReader(signed, linkStart, linkEnd);
        while (!reader.IsAtEnd)
        {
            string? problem = ReadField(ref reader, s_linkMissing, Wire.RecordFieldMasks.ContactLinkLengthDelimited, out int field);
            if (problem is not null)
            {
                return problem;
            }

            int start = 0, length = 0;
            ulong number = 0;
            EnvelopeFailure failure = field <= LinkSchema.ReferralFieldNumber ? reader.ReadBytes(out start, out length) : reader.ReadUInt64(out number);
            if (failure == EnvelopeFailure.None && field == LinkSchema.ScopesFieldNumber && number > uint.MaxValue)
            {
                failure = EnvelopeFailure.MalformedVarint;
            }

            if (failure != EnvelopeFailure.None)
            {
                return failure.ToString();
            }

            ReadOnlySpan<byte> value = signed.Slice(start, length);
            switch (field)
            {
                case LinkSchema.AccountFieldNumber when !WireAddress.IsValidName(value):
                    return "InvalidAccount";
                case LinkSchema.AccountFieldNumber:
                    account = Encoding.ASCII.GetString(value);
                    break;
                case LinkSchema.DisplayNameFieldNumber when value.Length > WireLimits.MaxContactLinkDisplayNameLength || !Utf8.IsValid(value):
                    return "InvalidDisplayName";
                case LinkSchema.AccountKeyFieldNumber when length != AccountKeyLength:
                    return "InvalidAccountKey";
                case LinkSchema.AccountKeyFieldNumber:
                    key = start..(start + length);
                    break;
                case LinkSchema.PrefilledTextFieldNumber when !Utf8.IsValid(value) || ScalarCount(value) > WireLimits.MaxContactLinkPrefilledTextLength:
                    return "InvalidPrefilledText";
                case LinkSchema.ReferralFieldNumber when length > WireLimits.MaxReferralLength:
                    return "InvalidReferral";
                case LinkSchema.ScopesFieldNumber when (number & ~AllowedScopes) != 0:
                    return "InvalidScopes";
                case LinkSchema.IssuedAtMsFieldNumber:
                    issuedAt = number;
                    break;
                case LinkSchema.ExpiresAtMsFieldNumber when number <= issuedAt:
                    return "InvalidExpiry";
                case LinkSchema.ExpiresAtMsFieldNumber:
                    expiresAt = number;
                    break;
                default:
                    break;
            }
        }

        return FirstMissing(s_linkMissing, reader.LastField, s_linkMissing.Length);
    }

    /// <summary>The next tag by section 8 steps 2.1-2.5, then no required field skipped before it.</summary>
    private static string? ReadField(ref ProtoReader reader, string?[] missing, uint lengthDelimited, out int field)
    {
        int previous = reader.LastField;
        EnvelopeFailure failure = reader.ReadField(missing.Length, lengthDelimited, 0, out field);
        return failure != EnvelopeFailure.None ? failure.ToString() : FirstMissing(missing, previous, field);
    }

    private static string? FirstMissing(string?[] missing, int after, int before)
    {
        for (int n = after + 1; n < before; n++)
        {
            if (missing[n] is { } name)
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>
    /// The number of Unicode scalar values of valid UTF-8: its bytes less the continuation bytes
    /// (<c>10xxxxxx</c>), since every scalar has exactly one byte that is not one.
    /// </summary>
    private static int ScalarCount(ReadOnlySpan<byte> utf8)
    {
        int continuationBytes = 0;
        foreach (byte b in utf8)
        {
            continuationBytes += (b & 0xC0) == 0x80 ? 1 : 0;
        }

        return utf8.Length - continuationBytes;
    }
}
