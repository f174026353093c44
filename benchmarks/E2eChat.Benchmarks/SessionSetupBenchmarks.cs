using BenchmarkDotNet.Attributes;
using E2eChat.Crypto;
using E2eChat.Handshake;
using E2eChat.Ratchet;
using Google.Protobuf;

namespace E2eChat.Benchmarks;

/// <summary>
/// Session set-up on both sides (PROTOCOL.md sections 4 and 5.3), with and without a one-time
/// pre-key in Bob's bundle: what <see cref="SessionManager"/> computes, without its store writes.
/// </summary>
/// <remarks>
/// The responder only reads Bob's stores (the one-time keys are deleted by the commit, which is not
/// run), so the same pre-key message can be accepted again and again. Not sealed: BenchmarkDotNet
/// derives from it.
/// </remarks>
[MemoryDiagnoser]
public class SessionSetupBenchmarks : IDisposable
{
    /// <summary>The first message's plaintext length in bytes.</summary>
    public const int PayloadSize = 100;

    private IdentityKeyPair? _alice;
    private IdentityKeyPair? _bob;
    private InMemoryIdentityStore? _bobIdentities;
    private InMemorySignedPreKeyStore? _bobSignedPreKeys;
    private InMemoryOneTimePreKeyStore? _bobOneTimePreKeys;
    private InMemoryKemPreKeyStore? _bobKemPreKeys;
    private PreKeyBundle? _bundle;
    private byte[] _bundleBytes = [];
    private byte[] _preKeyMessage = [];
    private byte[] _decrypted = [];

    /// <summary>Whether Bob's bundle carries a one-time X25519 pre-key (a fourth DH).</summary>
    [Params(true, false)]
    public bool OneTimePreKey { get; set; }

    /// <summary>Creates both identities, Bob's pre-keys and bundle, and one first message from Alice.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _alice = IdentityKeyPair.Generate();
        _bob = IdentityKeyPair.Generate();
        _bobIdentities = new InMemoryIdentityStore(_bob);
        _bobSignedPreKeys = new InMemorySignedPreKeyStore();
        _bobOneTimePreKeys = new InMemoryOneTimePreKeyStore();
        _bobKemPreKeys = new InMemoryKemPreKeyStore();
        var generator = new PreKeyGenerator(_bob, _bobSignedPreKeys, _bobOneTimePreKeys, _bobKemPreKeys);
        generator.GenerateAsync(OneTimePreKey ? 1 : 0).AsTask().GetAwaiter().GetResult();
        _bundle = generator.CreateBundleAsync().AsTask().GetAwaiter().GetResult();
        if (_bundle.HasOneTimePreKey != OneTimePreKey)
        {
            throw new InvalidOperationException("The bundle does not have the expected one-time pre-key.");
        }

        _bundleBytes = _bundle.ToBytes();
        byte[] plaintext = new byte[PayloadSize];
        Random.Shared.NextBytes(plaintext);
        using (InitiatorHandshakeResult result = InitiatorHandshake.Create(_alice, SessionPair.AliceAddress, SessionPair.BobAddress, _bundle, RandomSource.System))
        using (SessionState state = CreateInitiatorState(_alice, result))
        {
            if (!state.TryEncrypt(plaintext, out EncryptedRatchetMessage first, out E2eChatFailure failure))
            {
                throw new InvalidOperationException($"Encryption failed: {failure}.");
            }

            var inner = new Wire.Proto.RatchetMessage { Header = ByteString.CopyFrom(first.Header), Ciphertext = ByteString.CopyFrom(first.Ciphertext) };
            _preKeyMessage = result.PendingPreKey.ToMessage(inner).ToByteArray();
            _decrypted = new byte[first.Ciphertext.Length];
        }

        _ = Responder();
        _ = BundleVerify();
    }

    /// <summary>
    /// Alice verifies Bob's bundle as fetched from the key directory: three Ed25519 signatures
    /// (identity, signed pre-key, KEM pre-key) and the key checks.
    /// </summary>
    /// <returns>The bundle's KEM pre-key id.</returns>
    [Benchmark]
    public uint BundleVerify() =>
        PreKeyBundle.TryParse(_bundleBytes, out PreKeyBundle? bundle, out E2eChatFailure failure)
            ? bundle.KemPreKeyId
            : throw new InvalidOperationException($"Bundle refused: {failure}.");

    /// <summary>
    /// Alice starts a session from Bob's verified bundle: the handshake (base key, three or four
    /// DH, ML-KEM-768 encapsulation, HKDF) and the initiator's ratchet (a ratchet key pair, one DH
    /// and a root-key step).
    /// </summary>
    /// <returns>Whether the new session can encrypt (always).</returns>
    [Benchmark]
    public bool Initiator()
    {
        using InitiatorHandshakeResult result = InitiatorHandshake.Create(_alice!, SessionPair.AliceAddress, SessionPair.BobAddress, _bundle!, RandomSource.System);
        using SessionState state = CreateInitiatorState(_alice!, result);
        return state.Ratchet.CanEncrypt;
    }

    /// <summary>
    /// Bob accepts Alice's first message: parse the <c>PreKeyMessage</c>, the handshake (identity
    /// signature, pre-key look-ups, three or four DH, ML-KEM-768 decapsulation, HKDF), the
    /// responder's ratchet, and the first decryption (a new receiving chain: a DH ratchet step).
    /// </summary>
    /// <returns>The plaintext length.</returns>
    [Benchmark]
    public int Responder()
    {
        Wire.Proto.PreKeyMessage message = Wire.Proto.PreKeyMessage.Parser.ParseFrom(_preKeyMessage);
        ValueTask<(E2eChatFailure Failure, ResponderHandshakeResult? Result)> accepting = ResponderHandshake.AcceptAsync(
            _bob!, SessionPair.BobAddress, SessionPair.AliceAddress, message, _bobIdentities!, _bobSignedPreKeys!, _bobOneTimePreKeys!, _bobKemPreKeys!);
        (E2eChatFailure failure, ResponderHandshakeResult? accepted) = accepting.IsCompletedSuccessfully
            ? accepting.Result
            : accepting.AsTask().GetAwaiter().GetResult();
        if (failure != E2eChatFailure.None || accepted is null)
        {
            throw new InvalidOperationException($"Handshake refused: {failure}.");
        }

        using (accepted)
        {
            // What SessionManager does with an accepted handshake (its DecryptPreKeyAsync).
            HandshakeSecrets secrets = accepted.Secrets;
            RatchetState ratchet = RatchetState.InitializeResponder(
                secrets.RootKey.Span,
                secrets.InitiatorHeaderKey.Span,
                secrets.ResponderNextHeaderKey.Span,
                secrets.AssociatedData.Span,
                accepted.SignedPreKey.PrivateKey,
                accepted.SignedPreKey.PublicKey,
                RandomSource.System);
            using var state = new SessionState(ratchet, _bob!.PublicKey.AsSpan(), accepted.RemoteIdentity.AsSpan(), accepted.BaseKey, pendingPreKey: null);
            if (!state.TryDecrypt(message.Message.Header.Span, message.Message.Ciphertext.Span, _decrypted, out int written, out E2eChatFailure decryptionFailure)
                || written != PayloadSize)
            {
                throw new InvalidOperationException($"First message failed: {decryptionFailure}.");
            }

            return written;
        }
    }

    /// <summary>Releases keys and stores.</summary>
    [GlobalCleanup]
    public void Cleanup() => Dispose();

    /// <summary>Releases keys and stores.</summary>
    public void Dispose()
    {
        _bobSignedPreKeys?.Dispose();
        _bobOneTimePreKeys?.Dispose();
        _bobKemPreKeys?.Dispose();
        _alice?.Dispose();
        _bob?.Dispose();
        GC.SuppressFinalize(this);
    }

    private static SessionState CreateInitiatorState(IdentityKeyPair ours, InitiatorHandshakeResult result) =>
        SessionManager.CreateInitiatorState(ours, result, RandomSource.System);
}
