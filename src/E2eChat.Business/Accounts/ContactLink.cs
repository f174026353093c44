using System.Text;

namespace E2eChat;

/// <summary>
/// A click-to-chat invitation (PROTOCOL.md section 15): the business account, its display name and
/// account key, an optional prefilled text, referral and scopes, and its validity. Sign it with
/// <see cref="SignedContactLink.Sign"/>. Immutable.
/// </summary>
public sealed class ContactLink
{
    /// <summary>The longest display name in UTF-8 bytes.</summary>
    public const int MaxDisplayNameLength = Wire.WireLimits.MaxContactLinkDisplayNameLength;

    /// <summary>The longest prefilled text in Unicode scalar values (WhatsApp's limit).</summary>
    public const int MaxPrefilledTextLength = Wire.WireLimits.MaxContactLinkPrefilledTextLength;

    /// <summary>The scope bits a link may ask for: utility (2), marketing (4), authentication (8).</summary>
    public const uint AllowedScopes = 2 | 4 | 8;

    private readonly byte[]? _referral;

    /// <summary>Creates a link; the arguments must satisfy section 15.1.</summary>
    /// <param name="account">The business account name.</param>
    /// <param name="displayName">What the customer sees (1-64 UTF-8 bytes).</param>
    /// <param name="accountKey">The account key the link pins.</param>
    /// <param name="issuedAtMs">When it was made (milliseconds since the Unix epoch), nonzero.</param>
    /// <param name="expiresAtMs">When it stops opening, after <paramref name="issuedAtMs"/>.</param>
    /// <param name="prefilledText">Text the chat opens with (at most 140 characters), or null.</param>
    /// <param name="referral">An opaque campaign or ad id (1-64 bytes), or empty.</param>
    /// <param name="scopes">Scope bits to ask the customer to opt in to (utility 2, marketing 4, authentication 8), or 0.</param>
    /// <exception cref="ArgumentException">An argument breaks a rule of section 15.1.</exception>
    public ContactLink(string account, string displayName, AccountKey accountKey, ulong issuedAtMs, ulong expiresAtMs, string? prefilledText = null, ReadOnlySpan<byte> referral = default, uint scopes = 0)
    {
        ArgumentNullException.ThrowIfNull(displayName);
        ArgumentNullException.ThrowIfNull(accountKey);
        if (!ProtocolAddress.IsValidName(account))
        {
            throw new ArgumentException("Not a valid account name.", nameof(account));
        }

        if (!IsValidText(displayName, MaxDisplayNameLength))
        {
            throw new ArgumentException($"A display name is 1-{MaxDisplayNameLength} UTF-8 bytes.", nameof(displayName));
        }

        if (prefilledText is not null && (prefilledText.Length == 0 || !IsValidText(prefilledText, int.MaxValue) || prefilledText.EnumerateRunes().Count() > MaxPrefilledTextLength))
        {
            throw new ArgumentException($"A prefilled text is 1-{MaxPrefilledTextLength} characters.", nameof(prefilledText));
        }

        if (referral.Length > ProtocolLimits.MaxReferralLength)
        {
            throw new ArgumentException($"A referral is at most {ProtocolLimits.MaxReferralLength} bytes.", nameof(referral));
        }

        if ((scopes & ~AllowedScopes) != 0)
        {
            throw new ArgumentException("Only the utility, marketing and authentication scopes may be asked for.", nameof(scopes));
        }

        ArgumentOutOfRangeException.ThrowIfZero(issuedAtMs);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(expiresAtMs, issuedAtMs);
        Account = account;
        DisplayName = displayName;
        AccountKey = accountKey;
        IssuedAtMs = issuedAtMs;
        ExpiresAtMs = expiresAtMs;
        PrefilledText = prefilledText;
        _referral = referral.IsEmpty ? null : referral.ToArray();
        Scopes = scopes;
    }

    /// <summary>The business account name.</summary>
    public string Account { get; }

    /// <summary>The display name.</summary>
    public string DisplayName { get; }

    /// <summary>The account key the link pins.</summary>
    public AccountKey AccountKey { get; }

    /// <summary>When the link was made.</summary>
    public ulong IssuedAtMs { get; }

    /// <summary>When the link stops opening.</summary>
    public ulong ExpiresAtMs { get; }

    /// <summary>The prefilled text, or null.</summary>
    public string? PrefilledText { get; }

    /// <summary>The referral (travels only in the first message), or empty.</summary>
    public ReadOnlyMemory<byte> Referral => _referral;

    /// <summary>The scope bits asked for.</summary>
    public uint Scopes { get; }

    /// <summary>Describes the link (public data).</summary>
    /// <returns>Account and display name.</returns>
    public override string ToString() => $"ContactLink({Account} \"{DisplayName}\")";

    private static bool IsValidText(string text, int maxBytes)
    {
        try
        {
            int length = RecordText.Strict.GetByteCount(text);
            return length >= 1 && length <= maxBytes;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }
}
