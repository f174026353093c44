using E2eChat.Relay.Server.Auth;
using E2eChat.Wire;

namespace E2eChat.Fuzz;

/// <summary>
/// Section 16: a <c>SignedConsentRecord</c> (grant, revoke, block, unblock), read as the relay reads
/// it for <c>SubmitConsent</c> (the wire reader, the relay's Ed25519, <see cref="ConsentRecord.ApplyTo(in ConsentState, out ConsentState)"/>)
/// and as a business verifies it (<see cref="ConsentVerifier"/>). The input is tried as signed bytes
/// and as a <c>ConsentRecord</c> body signed with <see cref="FuzzKeys.Account"/>. A read record
/// re-encodes to its bytes, and both readers reach the same verdict and the same next state.
/// </summary>
internal static class ConsentRecordTarget
{
    /// <summary>Runs the target.</summary>
    /// <param name="input">The fuzzer's bytes.</param>
    internal static void Run(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckSigned(input);
        byte[] signature = FuzzKeys.Account.Sign(WireConsentRecord.Label, input);
        CheckSigned(WireConsentRecord.WriteSigned(FuzzKeys.Account.PublicKey.AsSpan(), input, signature));
    }

    /// <summary>Both readers on the same signed bytes.</summary>
    /// <param name="signed">The signed record.</param>
    internal static void CheckSigned(byte[] signed)
    {
        bool read = WireConsentRecord.TryRead(signed, out SignedConsentRecordView view, out ConsentFailure failure);
        FuzzTargets.Check(read == (failure == ConsentFailure.None), "consent_record: result and failure disagree");
        E2eChatFailure client = ConsentVerifier.Verify(signed, FuzzKeys.Account.PublicKey, "customer", "business", default, out ConsentRecord? record, out ConsentState next);
        if (!read)
        {
            FuzzTargets.Check(client == Error.From(failure) && record is null && next == default, $"consent_record: the reader says {failure}, the verifier {client}");
            return;
        }

        ConsentRecord fromView = view.ToRecord(signed);
        FuzzTargets.Check(WireConsentRecord.WriteRecord(fromView).AsSpan().SequenceEqual(signed.AsSpan(view.Record)), "consent_record: a record read but does not re-encode to its bytes");
        FuzzTargets.Check(
            WireConsentRecord.WriteSigned(signed.AsSpan(view.AccountKey), signed.AsSpan(view.Record), signed.AsSpan(view.Signature)).AsSpan().SequenceEqual(signed),
            "consent_record: a signed record read but does not re-encode to its bytes");
        FuzzTargets.Check(fromView.Equals(record), "consent_record: the verifier read another record");

        bool relaySignature = Ed25519Verifier.Verify(signed.AsSpan(view.AccountKey), WireConsentRecord.Label, signed.AsSpan(view.Record), signed.AsSpan(view.Signature));
        FuzzTargets.Check(relaySignature == (client != E2eChatFailure.BadSignature), $"consent_record: the relay's signature check says {relaySignature}, the client's {client}");
        if (!relaySignature)
        {
            return;
        }

        // The same pair from the record's own names: the relay's rule and the business's must agree from any state.
        var states = new List<ConsentState> { default };
        if (fromView.Serial > 0)
        {
            states.Add(new ConsentState(fromView.Serial, ConsentAction.Grant, false, ConsentScopes.Service, 0, 0));
        }

        if (fromView.Serial > 1)
        {
            states.Add(new ConsentState(fromView.Serial - 1, ConsentAction.Block, true, ConsentScopes.None, 0, 0));
        }

        foreach (ConsentState state in states)
        {
            ConsentFailure relay = fromView.ApplyTo(state, out ConsentState relayNext);
            E2eChatFailure business = ConsentVerifier.Verify(signed, FuzzKeys.Account.PublicKey, fromView.Customer, fromView.Business, state, out _, out ConsentState businessNext);
            bool ours = signed.AsSpan(view.AccountKey).SequenceEqual(FuzzKeys.Account.PublicKey.AsSpan());
            FuzzTargets.Check(ours ? business == Error.From(relay) && businessNext == relayNext : business == E2eChatFailure.WrongSigner, $"consent_record: the relay applies with {relay}, the business with {business}");
            FuzzTargets.Check(relay == ConsentFailure.None || relayNext == state, "consent_record: a refused record changed the state");
        }
    }
}
