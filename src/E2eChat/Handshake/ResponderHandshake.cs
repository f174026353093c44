using System.Security.Cryptography;
using E2eChat.Crypto;

namespace E2eChat.Handshake;

/// <summary>
/// Bob's side of the handshake (PROTOCOL.md section 4, responder steps 2 to 6): checks a
/// <c>PreKeyMessage</c>'s handshake fields in the spec's order and derives the same secrets as the
/// initiator. It only reads the stores; the writes are returned as a <see cref="PreKeyConsumption"/>
/// for the session layer to commit after the inner ratchet message decrypts (steps 7 and 8). Step 1
/// (a repeat of a handshake already accepted) is the session layer's.
/// </summary>
internal static class ResponderHandshake
{
    /// <summary>Checks the handshake fields of <paramref name="message"/> and derives the session secrets.</summary>
    /// <param name="ourIdentity">Our identity.</param>
    /// <param name="ourAddress">Our own address, the responder's (the envelope's recipient).</param>
    /// <param name="address">The initiator's address (the envelope's sender).</param>
    /// <param name="message">The received message; only its handshake fields are read.</param>
    /// <param name="identityStore">Trusted identities (read only here).</param>
    /// <param name="signedPreKeys">Our signed pre-keys (read only here).</param>
    /// <param name="oneTimePreKeys">Our one-time pre-keys (read only here).</param>
    /// <param name="kemPreKeys">Our KEM pre-keys (read only here).</param>
    /// <param name="transcript">Receives the intermediate values when not <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The first failing check, or <see cref="E2eChatFailure.None"/> and the result (which the caller disposes).</returns>
    internal static async ValueTask<(E2eChatFailure Failure, ResponderHandshakeResult? Result)> AcceptAsync(
        IdentityKeyPair ourIdentity,
        ProtocolAddress ourAddress,
        ProtocolAddress address,
        Wire.Proto.PreKeyMessage message,
        IIdentityStore identityStore,
        ISignedPreKeyStore signedPreKeys,
        IOneTimePreKeyStore oneTimePreKeys,
        IKemPreKeyStore kemPreKeys,
        HandshakeTranscript? transcript = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ourIdentity);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(identityStore);
        ArgumentNullException.ThrowIfNull(signedPreKeys);
        ArgumentNullException.ThrowIfNull(oneTimePreKeys);
        ArgumentNullException.ThrowIfNull(kemPreKeys);
        InitiatorHandshake.CheckAddress(ourAddress, nameof(ourAddress));
        InitiatorHandshake.CheckAddress(address, nameof(address));

        // Step 2.
        if (!IdentityKey.TryParse(message.IdentityKey.Span, out IdentityKey? initiator, out _))
        {
            return (E2eChatFailure.InvalidIdentityKey, null);
        }

        if (!await identityStore.IsTrustedAsync(address, initiator, cancellationToken).ConfigureAwait(false))
        {
            return (E2eChatFailure.UntrustedIdentity, null);
        }

        // Step 3.
        if (X25519.ValidatePublicKey(message.BaseKey.Span) != KeyAgreementFailure.None)
        {
            return (E2eChatFailure.InvalidBaseKey, null);
        }

        // Step 4.
        if (message.KemCiphertext.Length != MlKem768.CiphertextLength)
        {
            return (E2eChatFailure.InvalidKemCiphertext, null);
        }

        // Step 5. Ids are never 0, so a 0 signed or KEM id is unknown without a lookup.
        SignedPreKey? signedPreKey = null;
        OneTimePreKey? oneTimePreKey = null;
        KemPreKey? kemPreKey = null;
        try
        {
            if (message.SignedPrekeyId != 0)
            {
                signedPreKey = await signedPreKeys.GetSignedPreKeyAsync(message.SignedPrekeyId, cancellationToken).ConfigureAwait(false);
            }

            if (signedPreKey is null)
            {
                return (E2eChatFailure.UnknownSignedPreKey, null);
            }

            if (message.OneTimePrekeyId != 0)
            {
                oneTimePreKey = await oneTimePreKeys.GetOneTimePreKeyAsync(message.OneTimePrekeyId, cancellationToken).ConfigureAwait(false);
                if (oneTimePreKey is null)
                {
                    return (E2eChatFailure.UnknownOneTimePreKey, null);
                }
            }

            if (message.KemPrekeyId != 0)
            {
                kemPreKey = await kemPreKeys.GetKemPreKeyAsync(message.KemPrekeyId, cancellationToken).ConfigureAwait(false);
            }

            if (kemPreKey is null)
            {
                return (E2eChatFailure.UnknownKemPreKey, null);
            }

            // Step 6.
            E2eChatFailure failure = Derive(ourIdentity, ourAddress, address, initiator, message, signedPreKey, oneTimePreKey, kemPreKey, transcript, out HandshakeSecrets? secrets);
            if (failure != E2eChatFailure.None)
            {
                return (failure, null);
            }

            var consumption = new PreKeyConsumption(
                address,
                initiator,
                oneTimePreKey?.Id ?? 0,
                kemPreKey.Kind == KemPreKeyKind.OneTime ? kemPreKey.Id : 0);
            var result = new ResponderHandshakeResult(secrets!, signedPreKey, message.BaseKey.Span, consumption);
            signedPreKey = null; // now owned by the result
            return (E2eChatFailure.None, result);
        }
        finally
        {
            signedPreKey?.Dispose();
            oneTimePreKey?.Dispose();
            kemPreKey?.Dispose();
        }
    }

    /// <summary>DH1..DH4 with our private keys, SS by decapsulation, then the shared KDF; every temporary is wiped.</summary>
    private static E2eChatFailure Derive(
        IdentityKeyPair ourIdentity,
        ProtocolAddress ourAddress,
        ProtocolAddress initiatorAddress,
        IdentityKey initiator,
        Wire.Proto.PreKeyMessage message,
        SignedPreKey signedPreKey,
        OneTimePreKey? oneTimePreKey,
        KemPreKey kemPreKey,
        HandshakeTranscript? transcript,
        out HandshakeSecrets? secrets)
    {
        const int KeyLength = X25519.KeyLength;
        secrets = null;
        ReadOnlySpan<byte> baseKey = message.BaseKey.Span;
        int dhCount = oneTimePreKey is null ? 3 : 4;
        int ikmLength = KeyLength + (dhCount * KeyLength) + MlKem768.SharedSecretLength;
        Span<byte> ikmBuffer = stackalloc byte[InitiatorHandshake.MaxInputKeyMaterialLength];
        Span<byte> ikm = ikmBuffer[..ikmLength];
        try
        {
            ikm[..KeyLength].Fill(0xFF);

            // All-zero outputs cannot occur for keys that passed the peer key check; refused anyway,
            // as a failure of the peer key involved.
            if (X25519.Agree(signedPreKey.PrivateKey, initiator.AgreementKey, ikm.Slice(KeyLength, KeyLength)) != KeyAgreementFailure.None)
            {
                return E2eChatFailure.InvalidIdentityKey;
            }

            bool baseKeyAgreed =
                X25519.Agree(ourIdentity.AgreementPrivateKey, baseKey, ikm.Slice(2 * KeyLength, KeyLength)) == KeyAgreementFailure.None
                && X25519.Agree(signedPreKey.PrivateKey, baseKey, ikm.Slice(3 * KeyLength, KeyLength)) == KeyAgreementFailure.None
                && (oneTimePreKey is null
                    || X25519.Agree(oneTimePreKey.PrivateKey, baseKey, ikm.Slice(4 * KeyLength, KeyLength)) == KeyAgreementFailure.None);
            if (!baseKeyAgreed)
            {
                return E2eChatFailure.InvalidBaseKey;
            }

            // Implicit rejection: a tampered ciphertext gives an unrelated SS, so the inner message fails later.
            if (!MlKem768.TryDecapsulate(kemPreKey.SecretKey, message.KemCiphertext.Span, ikm[^MlKem768.SharedSecretLength..]))
            {
                return E2eChatFailure.InvalidKemCiphertext;
            }

            if (transcript is not null)
            {
                transcript.BaseKey = baseKey.ToArray();
                transcript.KemCiphertext = message.KemCiphertext.ToByteArray();
                InitiatorHandshake.Record(transcript, ikm, dhCount);
            }

            secrets = HandshakeSecrets.Derive(ikm, initiator, ourIdentity.PublicKey, initiatorAddress, ourAddress, transcript);
            return E2eChatFailure.None;
        }
        // Stryker disable all : wipes of temporaries that no caller can read afterwards.
        finally
        {
            CryptographicOperations.ZeroMemory(ikmBuffer);
        }

        // Stryker restore all
    }
}
