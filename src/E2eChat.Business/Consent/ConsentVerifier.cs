using E2eChat.Wire;

namespace E2eChat;

/// <summary>
/// Verifies a <c>SignedConsentRecord</c> received from elsewhere (PROTOCOL.md section 16.2, all eight
/// steps): reading, the strict signature, whose key it is, the pair and the serial. Used by a business
/// that keeps a customer's records as proof; never throws for hostile input and changes nothing.
/// </summary>
internal static class ConsentVerifier
{
    /// <summary>Verifies <paramref name="signedRecord"/> and applies it to the pair's <paramref name="state"/>.</summary>
    /// <param name="signedRecord">The bytes as received.</param>
    /// <param name="customerAccountKey">The account key the verifier knows for the pair's customer, or <see langword="null"/> (step 5).</param>
    /// <param name="customer">The pair's customer account.</param>
    /// <param name="business">The pair's business account.</param>
    /// <param name="state">The pair's state before the record.</param>
    /// <param name="record">The record when it was read (steps 1-3 passed), else <see langword="null"/>.</param>
    /// <param name="next">The state after the record when accepted; otherwise <paramref name="state"/>.</param>
    /// <returns>
    /// <see cref="E2eChatFailure.None"/>, or the first rule broken (the member of the same name as the wire
    /// layer's <see cref="ConsentFailure"/>).
    /// </returns>
    public static E2eChatFailure Verify(ReadOnlySpan<byte> signedRecord, AccountKey? customerAccountKey, string customer, string business, in ConsentState state, out ConsentRecord? record, out ConsentState next)
    {
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(business);
        next = state;
        record = null;
        if (!WireConsentRecord.TryRead(signedRecord, out SignedConsentRecordView view, out ConsentFailure failure))
        {
            return Error.From(failure);
        }

        record = view.ToRecord(signedRecord);
        AccountKey signer = AccountKey.FromBytes(signedRecord[view.AccountKey]);
        if (!signer.Verify(WireConsentRecord.Label, signedRecord[view.Record], signedRecord[view.Signature]))
        {
            return E2eChatFailure.BadSignature;
        }

        if (customerAccountKey is null)
        {
            return E2eChatFailure.UnknownAccountKey;
        }

        if (!signer.Equals(customerAccountKey))
        {
            return E2eChatFailure.WrongSigner;
        }

        return Error.From(record.ApplyTo(customer, business, state, out next));
    }
}
