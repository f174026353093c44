using E2eChat.Accounts;
using E2eChat.Crypto;
using E2eChat.Wire;
using E2eChat.Wire.Consent;
using NSec.Cryptography;

namespace E2eChat.Demo;

/// <summary>
/// The customer's side of PROTOCOL.md 16.2 for the demo: signs consent records with the account key and
/// verifies them on the business's side (strict Ed25519 through NSec).
/// </summary>
internal static class ConsentRecords
{
    /// <summary>Signs <paramref name="record"/> under <paramref name="accountKey"/>; returns the <c>SignedConsentRecord</c> bytes.</summary>
    internal static byte[] Sign(AccountKeyPair accountKey, ConsentRecord record)
    {
        byte[] encoded = WireConsentRecord.WriteRecord(record);
        using SecretBuffer seed = accountKey.ExportPrivateKey();
        using Key key = Key.Import(SignatureAlgorithm.Ed25519, seed.Span, KeyBlobFormat.RawPrivateKey);
        byte[] signature = SignatureAlgorithm.Ed25519.Sign(key, WireConsentRecord.SignedBytes(encoded));
        return WireConsentRecord.WriteSigned(accountKey.PublicKey.AsSpan(), encoded, signature);
    }

    /// <summary>Reads a signed record and checks its signature and signer (16.2 steps 1-6); the failure, or <see cref="ConsentFailure.None"/>.</summary>
    internal static ConsentFailure Verify(ReadOnlySpan<byte> signed, AccountKey customerKey, out SignedConsentRecordView view)
    {
        if (!WireConsentRecord.TryRead(signed, out view, out ConsentFailure failure))
        {
            return failure;
        }

        ReadOnlySpan<byte> accountKey = signed[view.AccountKey];
        var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, accountKey, KeyBlobFormat.RawPublicKey);
        if (!SignatureAlgorithm.Ed25519.Verify(publicKey, WireConsentRecord.SignedBytes(signed[view.Record]), signed[view.Signature]))
        {
            return ConsentFailure.BadSignature;
        }

        return accountKey.SequenceEqual(customerKey.AsSpan()) ? ConsentFailure.None : ConsentFailure.WrongSigner;
    }
}
