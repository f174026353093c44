namespace E2eChat.Wire;

/// <summary>
/// A signed consent record read by <see cref="WireConsentRecord.TryRead"/>: ranges into the bytes it
/// was read from and the scalar values, so reading allocates nothing. It is structurally valid; its
/// signature is checked by <see cref="WireConsentRecord.SignedBytes"/> and the verifier's Ed25519.
/// </summary>
public readonly struct SignedConsentRecordView
{
    internal SignedConsentRecordView(Range accountKey, Range record, Range signature, Range customer, Range business, ConsentAction action, ConsentScopes scopes, ulong serial, ulong issuedAt, ulong expiresAt)
    {
        AccountKey = accountKey;
        Record = record;
        Signature = signature;
        Customer = customer;
        Business = business;
        Action = action;
        Scopes = scopes;
        Serial = serial;
        IssuedAtMilliseconds = issuedAt;
        ExpiresAtMilliseconds = expiresAt;
    }

    /// <summary>Where the 32-byte account key is.</summary>
    public Range AccountKey { get; }

    /// <summary>Where the encoded <c>ConsentRecord</c> (the signed bytes) is.</summary>
    public Range Record { get; }

    /// <summary>Where the 64-byte signature is.</summary>
    public Range Signature { get; }

    /// <summary>Where the customer's account name (ASCII) is.</summary>
    public Range Customer { get; }

    /// <summary>Where the business's account name (ASCII) is.</summary>
    public Range Business { get; }

    /// <summary>The record's action.</summary>
    public ConsentAction Action { get; }

    /// <summary>The scopes of a grant; <see cref="ConsentScopes.None"/> otherwise.</summary>
    public ConsentScopes Scopes { get; }

    /// <summary>The record's serial.</summary>
    public ulong Serial { get; }

    /// <summary>When the customer signed it, Unix milliseconds.</summary>
    public ulong IssuedAtMilliseconds { get; }

    /// <summary>A grant's expiry, Unix milliseconds; 0 for none.</summary>
    public ulong ExpiresAtMilliseconds { get; }

    /// <summary>The record's values as a <see cref="ConsentRecord"/>.</summary>
    /// <param name="signedRecord">The bytes this view was read from.</param>
    /// <returns>The record.</returns>
    public ConsentRecord ToRecord(ReadOnlySpan<byte> signedRecord) =>
        new(
            System.Text.Encoding.ASCII.GetString(signedRecord[Customer]),
            System.Text.Encoding.ASCII.GetString(signedRecord[Business]),
            Action,
            Scopes,
            Serial,
            IssuedAtMilliseconds,
            ExpiresAtMilliseconds);
}
