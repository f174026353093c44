
namespace E2eChat.Relay.Server.Keys;

/// <summary>
/// Checks uploaded pre-keys against the device's registered identity (PROTOCOL.md 3.2 and 3.3) so
/// the directory only ever hands out keys that verify: a refusal names the key and the rule broken.
/// </summary>
internal static class PreKeyVerifier
{
    private const byte LastResortKind = 0x01;
    private const byte OneTimeKind = 0x02;

    /// <summary>Checks an upload and converts it to store records.</summary>
    /// <param name="request">The upload.</param>
    /// <param name="identity">The device's 128-byte identity.</param>
    /// <returns>The verified records.</returns>
    /// <exception cref="RpcException">InvalidArgument (<see cref="RelayFailure.InvalidPreKey"/>) or ResourceExhausted (<see cref="RelayFailure.TooManyPreKeys"/>).</exception>
    internal static PreKeyUpload Verify(Api.PublishPreKeysRequest request, ReadOnlySpan<byte> identity)
    {
        if (request.OneTimePrekeys.Count > RelayServerLimits.MaxOneTimePreKeysPerUpload || request.OneTimeKemPrekeys.Count > RelayServerLimits.MaxOneTimePreKeysPerUpload)
        {
            throw RelayErrors.Create(StatusCode.ResourceExhausted, RelayFailure.TooManyPreKeys, $"at most {RelayServerLimits.MaxOneTimePreKeysPerUpload} one-time pre-keys of each kind per upload");
        }

        ReadOnlySpan<byte> signingKey = PublicKeyChecks.SigningKey(identity);
        SignedPreKeyRecord? signed = null;
        if (request.SignedPrekey is { } s)
        {
            if (s.Id == 0 || !PublicKeyChecks.IsValidX25519(s.PublicKey.Span))
            {
                throw Invalid("signed pre-key: zero id or invalid X25519 key");
            }

            Span<byte> body = stackalloc byte[4 + RelayServerLimits.X25519KeyLength];
            PublicKeyChecks.WriteId(body, s.Id);
            s.PublicKey.Span.CopyTo(body[4..]);
            if (!Ed25519Verifier.Verify(signingKey, SignatureLabels.SignedPreKey, body, s.Signature.Span))
            {
                throw Invalid("signed pre-key: the signature does not verify");
            }

            signed = new SignedPreKeyRecord(s.Id, s.PublicKey.ToByteArray(), s.Signature.ToByteArray());
        }

        KemPreKeyRecord? lastResort = request.LastResortKemPrekey is { } k ? VerifyKem(k, LastResortKind, signingKey, "last-resort KEM pre-key") : null;
        var oneTime = new List<OneTimePreKeyRecord>(request.OneTimePrekeys.Count);
        for (int i = 0; i < request.OneTimePrekeys.Count; i++)
        {
            Api.OneTimePreKey key = request.OneTimePrekeys[i];
            if (key.Id == 0 || !PublicKeyChecks.IsValidX25519(key.PublicKey.Span))
            {
                throw Invalid($"one-time pre-key {i}: zero id or invalid X25519 key");
            }

            oneTime.Add(new OneTimePreKeyRecord(key.Id, key.PublicKey.ToByteArray()));
        }

        var oneTimeKem = new List<KemPreKeyRecord>(request.OneTimeKemPrekeys.Count);
        for (int i = 0; i < request.OneTimeKemPrekeys.Count; i++)
        {
            oneTimeKem.Add(VerifyKem(request.OneTimeKemPrekeys[i], OneTimeKind, signingKey, $"one-time KEM pre-key {i}"));
        }

        return new PreKeyUpload(signed, lastResort, oneTime, oneTimeKem);
    }

    private static KemPreKeyRecord VerifyKem(Api.KemPreKey key, byte kind, ReadOnlySpan<byte> signingKey, string what)
    {
        ReadOnlySpan<byte> publicKey = key.PublicKey.Span;
        if (key.Id == 0 || !PublicKeyChecks.IsValidKemPublicKey(publicKey))
        {
            throw Invalid($"{what}: zero id or invalid ML-KEM-768 key");
        }

        byte[] body = new byte[4 + 1 + RelayServerLimits.KemPublicKeyLength];
        PublicKeyChecks.WriteId(body, key.Id);
        body[4] = kind;
        publicKey.CopyTo(body.AsSpan(5));
        if (!Ed25519Verifier.Verify(signingKey, SignatureLabels.KemPreKey, body, key.Signature.Span))
        {
            throw Invalid($"{what}: the signature does not verify");
        }

        return new KemPreKeyRecord(key.Id, publicKey.ToArray(), key.Signature.ToByteArray());
    }

    private static RpcException Invalid(string detail) => RelayErrors.Create(StatusCode.InvalidArgument, RelayFailure.InvalidPreKey, detail);
}
