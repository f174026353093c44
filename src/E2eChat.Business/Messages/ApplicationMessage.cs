namespace E2eChat;

/// <summary>A message an application shows (PROTOCOL.md section 13): its bytes, category and referral.</summary>
public sealed class ApplicationMessage
{
    /// <summary>The longest body (<c>MaxBodyLength</c>).</summary>
    public const int MaxBodyLength = ProtocolLimits.MaxBodyLength;

    /// <summary>The longest referral.</summary>
    public const int MaxReferralLength = ProtocolLimits.MaxReferralLength;

    private readonly byte[] _body;
    private readonly byte[]? _referral;

    /// <summary>Creates a message.</summary>
    /// <param name="body">1-65280 bytes, as the application encodes them.</param>
    /// <param name="category">The category value (1 service, 2 utility, 3 marketing, 4 authentication) of a business's message to a person, else 0.</param>
    /// <param name="referral">The referral of the contact link that started the conversation (1-64 bytes), only in the first message; else null.</param>
    /// <exception cref="ArgumentException">An argument breaks a rule of section 13.</exception>
    public ApplicationMessage(ReadOnlySpan<byte> body, int category = 0, ReadOnlySpan<byte> referral = default)
    {
        if (body.IsEmpty || body.Length > MaxBodyLength)
        {
            throw new ArgumentException($"A body is 1-{MaxBodyLength} bytes.", nameof(body));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(category);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(category, 4);
        if (referral.Length > MaxReferralLength)
        {
            throw new ArgumentException($"A referral is at most {MaxReferralLength} bytes.", nameof(referral));
        }

        _body = body.ToArray();
        CategoryValue = category;
        _referral = referral.IsEmpty ? null : referral.ToArray();
    }

    /// <summary>The body.</summary>
    public ReadOnlyMemory<byte> Body => _body;

    /// <summary>The category value (0 when none; section 16's <c>Category</c>).</summary>
    public int CategoryValue { get; }

    /// <summary>The referral, or empty.</summary>
    public ReadOnlyMemory<byte> Referral => _referral;

    /// <summary>Whether a referral is carried.</summary>
    public bool HasReferral => _referral is not null;

    /// <summary>Names the lengths only (the body is private).</summary>
    /// <returns>A description without contents.</returns>
    public override string ToString() => $"ApplicationMessage({_body.Length} bytes, category {CategoryValue}{(HasReferral ? ", referral" : string.Empty)})";
}
