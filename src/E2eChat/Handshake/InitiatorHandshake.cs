using System.Security.Cryptography;
using E2eChat.Crypto;

namespace E2eChat.Handshake;

/// <summary>
/// Alice's side of the handshake (PROTOCOL.md section 4): from a verified bundle, without a round
/// trip, derive the session secrets and the pending pre-key fields. Randomness is drawn in this
/// order: the 32-byte ephemeral scalar <c>ek</c>, then the 32-byte ML-KEM encapsulation seed <c>m</c>.
/// </summary>
internal static class InitiatorHandshake
{
    /// <summary>The longest input keying material: <c>0xFF*32 || DH1 || DH2 || DH3 || DH4 || SS</c>.</summary>
    internal const int MaxInputKeyMaterialLength = 6 * X25519.KeyLength;

    /// <summary>
    /// Step 1 then <see cref="Create"/>: refuses a bundle whose identity differs from the one recorded
    /// for <paramref name="address"/> (<see cref="E2eChatFailure.UntrustedIdentity"/>). Writes no store.
    /// </summary>
    /// <param name="ourIdentity">Our identity.</param>
    /// <param name="ourAddress">Our own address (bound into the session, section 4 step 5).</param>
    /// <param name="address">The responder's address.</param>
    /// <param name="bundle">The responder's verified bundle.</param>
    /// <param name="identityStore">Where the trusted identities are recorded (read only here).</param>
    /// <param name="random">The randomness source.</param>
    /// <param name="transcript">Receives the intermediate values when not <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The failure, or <see cref="E2eChatFailure.None"/> and the result (which the caller disposes).</returns>
    internal static async ValueTask<(E2eChatFailure Failure, InitiatorHandshakeResult? Result)> StartAsync(
        IdentityKeyPair ourIdentity,
        ProtocolAddress ourAddress,
        ProtocolAddress address,
        PreKeyBundle bundle,
        IIdentityStore identityStore,
        RandomSource random,
        HandshakeTranscript? transcript = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ourIdentity);
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(identityStore);
        ArgumentNullException.ThrowIfNull(random);
        if (!await identityStore.IsTrustedAsync(address, bundle.IdentityKey, cancellationToken).ConfigureAwait(false))
        {
            return (E2eChatFailure.UntrustedIdentity, null);
        }

        return (E2eChatFailure.None, Create(ourIdentity, ourAddress, address, bundle, random, transcript));
    }

    /// <summary>
    /// Steps 2 to 5 (no trust check): generates the base key, computes DH1..DH4, encapsulates to the
    /// KEM pre-key and derives the secrets. The ephemeral scalar, DH outputs, <c>m</c>, <c>SS</c>,
    /// <c>IKM</c> and <c>OKM</c> are wiped before returning.
    /// </summary>
    /// <param name="ourIdentity">Our identity.</param>
    /// <param name="ourAddress">Our own address, the initiator's.</param>
    /// <param name="remoteAddress">The responder's address.</param>
    /// <param name="bundle">The responder's verified bundle.</param>
    /// <param name="random">The randomness source.</param>
    /// <param name="transcript">Receives the intermediate values when not <see langword="null"/>.</param>
    /// <returns>The result, which the caller disposes.</returns>
    internal static InitiatorHandshakeResult Create(IdentityKeyPair ourIdentity, ProtocolAddress ourAddress, ProtocolAddress remoteAddress, PreKeyBundle bundle, RandomSource random, HandshakeTranscript? transcript = null)
    {
        ArgumentNullException.ThrowIfNull(ourIdentity);
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(random);
        CheckAddress(ourAddress, nameof(ourAddress));
        CheckAddress(remoteAddress, nameof(remoteAddress));

        const int KeyLength = X25519.KeyLength;
        int dhCount = bundle.HasOneTimePreKey ? 4 : 3;
        int ikmLength = KeyLength + (dhCount * KeyLength) + MlKem768.SharedSecretLength;
        Span<byte> ephemeralPrivateKey = stackalloc byte[KeyLength];
        Span<byte> encapsulationSeed = stackalloc byte[MlKem768.EncapsulationSeedLength];
        Span<byte> ikmBuffer = stackalloc byte[MaxInputKeyMaterialLength];
        Span<byte> ikm = ikmBuffer[..ikmLength];
        byte[] baseKey = new byte[KeyLength];
        byte[] kemCiphertext = new byte[MlKem768.CiphertextLength];
        try
        {
            // Step 2: the base key.
            X25519.GenerateKeyPair(random, ephemeralPrivateKey, baseKey);

            // Step 3: IKM = 0xFF*32 || DH1 || DH2 || DH3 [|| DH4] || SS.
            ikm[..KeyLength].Fill(0xFF);
            ReadOnlySpan<byte> signedPreKey = bundle.SignedPreKeyPublicKey;
            Agree(ourIdentity.AgreementPrivateKey, signedPreKey, ikm.Slice(KeyLength, KeyLength));
            Agree(ephemeralPrivateKey, bundle.IdentityKey.AgreementKey, ikm.Slice(2 * KeyLength, KeyLength));
            Agree(ephemeralPrivateKey, signedPreKey, ikm.Slice(3 * KeyLength, KeyLength));
            if (bundle.HasOneTimePreKey)
            {
                Agree(ephemeralPrivateKey, bundle.OneTimePreKeyPublicKey, ikm.Slice(4 * KeyLength, KeyLength));
            }

            // Step 4: (CT, SS) = ML-KEM-768.Encaps(KEM_PK_B) with m drawn from the randomness source.
            Span<byte> sharedSecret = ikm[^MlKem768.SharedSecretLength..];
            random.Fill(encapsulationSeed);
            if (!MlKem768.TryEncapsulateDeterministic(bundle.KemPreKeyPublicKey, encapsulationSeed, kemCiphertext, sharedSecret))
            {
                // Unreachable: a PreKeyBundle instance has passed the encapsulation-key checks.
                throw new CryptographicException("The verified bundle's KEM pre-key was refused.");
            }

            if (transcript is not null)
            {
                transcript.EphemeralPrivateKey = ephemeralPrivateKey.ToArray();
                transcript.BaseKey = (byte[])baseKey.Clone();
                transcript.KemEncapsulationSeed = encapsulationSeed.ToArray();
                transcript.KemCiphertext = (byte[])kemCiphertext.Clone();
                Record(transcript, ikm, dhCount);
            }

            // Step 5.
            HandshakeSecrets secrets = HandshakeSecrets.Derive(ikm, ourIdentity.PublicKey, bundle.IdentityKey, ourAddress, remoteAddress, transcript);
            var pending = new PendingPreKeyFields(
                ourIdentity.PublicKey.AsSpan(),
                baseKey,
                bundle.SignedPreKeyId,
                bundle.OneTimePreKeyId,
                bundle.KemPreKeyId,
                kemCiphertext);
            return new InitiatorHandshakeResult(secrets, bundle.IdentityKey, signedPreKey, pending);
        }
        // Stryker disable all : wipes of temporaries that no caller can read afterwards.
        finally
        {
            // Step 6.
            CryptographicOperations.ZeroMemory(ephemeralPrivateKey);
            CryptographicOperations.ZeroMemory(encapsulationSeed);
            CryptographicOperations.ZeroMemory(ikmBuffer);
        }

        // Stryker restore all
    }

    /// <summary>Copies DH1..DH4 and SS out of the IKM into a transcript.</summary>
    internal static void Record(HandshakeTranscript transcript, ReadOnlySpan<byte> ikm, int dhCount)
    {
        const int KeyLength = X25519.KeyLength;
        transcript.Dh1 = ikm.Slice(KeyLength, KeyLength).ToArray();
        transcript.Dh2 = ikm.Slice(2 * KeyLength, KeyLength).ToArray();
        transcript.Dh3 = ikm.Slice(3 * KeyLength, KeyLength).ToArray();
        transcript.Dh4 = dhCount == 4 ? ikm.Slice(4 * KeyLength, KeyLength).ToArray() : null;
        transcript.KemSharedSecret = ikm[^MlKem768.SharedSecretLength..].ToArray();
    }

    /// <summary>Refuses a <see langword="default"/> (or otherwise invalid) address: a caller mistake.</summary>
    internal static void CheckAddress(ProtocolAddress address, string name)
    {
        if (!address.IsValid)
        {
            throw new ArgumentException("The address is not valid.", name);
        }
    }

    private static void Agree(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey, Span<byte> output)
    {
        if (X25519.Agree(privateKey, publicKey, output) != KeyAgreementFailure.None)
        {
            // Unreachable: every bundle key passed the peer key check, after which X25519 cannot
            // produce the all-zero output.
            throw new CryptographicException("A verified bundle key was refused by X25519.");
        }
    }
}
