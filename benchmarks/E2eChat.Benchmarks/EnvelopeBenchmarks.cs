using BenchmarkDotNet.Attributes;
using E2eChat.Ratchet;
using E2eChat.Relay;
using E2eChat.Wire;

namespace E2eChat.Benchmarks;

/// <summary>
/// Steady-state messages through the whole wire encoding, as <see cref="SessionManager"/> builds
/// and takes them apart: ratchet encrypt into new arrays, wire <c>RatchetMessage</c> and
/// <see cref="CiphertextMessage"/> (the manager's own code), <see cref="Envelope"/>,
/// <see cref="EnvelopeCodec.Encode"/> bytes; and back: <see cref="EnvelopeCodec.TryDecode"/> (which
/// runs the relay's validation), read the <c>RatchetMessage</c> (the manager's own code),
/// <see cref="SessionRecord"/> decrypt into a new array. What the manager
/// adds on top (per-address lock, record save) is in <see cref="SessionManagerEncryptDecrypt"/>.
/// </summary>
/// <remarks>
/// As in <see cref="RatchetBenchmarks"/>, <see cref="Decrypt"/> works through a fresh batch of
/// envelopes per iteration and every benchmark throws if an operation fails. Not sealed:
/// BenchmarkDotNet derives from it.
/// </remarks>
[MemoryDiagnoser]
public class EnvelopeBenchmarks : IDisposable
{
    /// <summary>Envelopes decrypted per <see cref="Decrypt"/> invocation.</summary>
    public const int BatchSize = 1024;

    private const ulong Timestamp = 1_767_225_600_000;

    private readonly byte[] _messageId = new byte[Envelope.MessageIdLength];
    private SessionPair? _pair;
    private byte[] _plaintext = [];
    private byte[][] _batch = [];
    private bool _batchReady;

    /// <summary>The plaintext length in bytes.</summary>
    [Params(100, 1024, 65536)]
    public int PayloadSize { get; set; }

    /// <summary>Sets up a session.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _pair = SessionPair.Create();
        _plaintext = new byte[PayloadSize];
        Random.Shared.NextBytes(_plaintext);
        Random.Shared.NextBytes(_messageId);
    }

    /// <summary>Encrypts the next batch for <see cref="Decrypt"/> (not timed).</summary>
    [IterationSetup(Target = nameof(Decrypt))]
    public void EncryptBatch()
    {
        if (_batch.Length == 0)
        {
            _batch = new byte[BatchSize][];
        }

        for (int i = 0; i < BatchSize; i++)
        {
            _batch[i] = Encrypt();
        }

        _batchReady = true;
    }

    /// <summary>Alice encrypts one message into an encoded envelope.</summary>
    /// <returns>The envelope bytes.</returns>
    [Benchmark]
    public byte[] Encrypt()
    {
        SessionState alice = _pair!.AliceState;
        if (!alice.TryEncrypt(_plaintext, out EncryptedRatchetMessage encrypted, out E2eChatFailure failure))
        {
            throw new InvalidOperationException($"Encryption failed: {failure}.");
        }

        CiphertextMessage message = SessionManager.ToCiphertextMessage(alice, encrypted);
        var envelope = new Envelope(SessionPair.AliceAddress, AccountKind.Person, SessionPair.BobAddress, AccountKind.Person, _messageId, Timestamp, message);
        return EnvelopeCodec.Encode(envelope);
    }

    /// <summary>Bob decodes and decrypts one envelope of a pre-encrypted batch.</summary>
    /// <returns>The last plaintext.</returns>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public byte[] Decrypt()
    {
        if (!_batchReady)
        {
            throw new InvalidOperationException("The batch was not refilled before this invocation.");
        }

        _batchReady = false;
        byte[] plaintext = [];
        for (int i = 0; i < BatchSize; i++)
        {
            plaintext = Decrypt(_batch[i]);
        }

        return plaintext;
    }

    /// <summary>Alice encrypts one message into an envelope; Bob decodes and decrypts it.</summary>
    /// <returns>The plaintext.</returns>
    [Benchmark]
    public byte[] EncryptDecrypt() => Decrypt(Encrypt());

    /// <summary>
    /// The same round trip through the two <see cref="SessionManager"/>s over in-memory stores:
    /// <see cref="SessionManager.EncryptAsync"/>, envelope encode and decode,
    /// <see cref="SessionManager.TryDecryptAsync"/>. Each side also saves its session record
    /// (serializes it into its store), as the manager does after every message.
    /// </summary>
    /// <returns>The plaintext.</returns>
    [Benchmark]
    public byte[] SessionManagerEncryptDecrypt()
    {
        ValueTask<CiphertextMessage> encrypting = _pair!.AliceManager.EncryptAsync(SessionPair.BobAddress, _plaintext);
        CiphertextMessage message = encrypting.IsCompletedSuccessfully ? encrypting.Result : encrypting.AsTask().GetAwaiter().GetResult();
        var envelope = new Envelope(SessionPair.AliceAddress, AccountKind.Person, SessionPair.BobAddress, AccountKind.Person, _messageId, Timestamp, message);
        byte[] encoded = EnvelopeCodec.Encode(envelope);
        if (!EnvelopeCodec.TryDecode(encoded, out Envelope? received, out E2eChatFailure envelopeFailure))
        {
            throw new InvalidOperationException($"Envelope refused: {envelopeFailure}.");
        }

        ValueTask<DecryptResult> decrypting = _pair.BobManager.TryDecryptAsync(received.Sender, received.Message);
        DecryptResult result = decrypting.IsCompletedSuccessfully ? decrypting.Result : decrypting.AsTask().GetAwaiter().GetResult();
        return result.Plaintext is { Length: var length } plaintext && length == PayloadSize
            ? plaintext
            : throw new InvalidOperationException($"Decryption failed: {result}.");
    }

    /// <summary>Releases the session.</summary>
    [GlobalCleanup]
    public void Cleanup() => Dispose();

    /// <summary>Releases the session.</summary>
    public void Dispose()
    {
        _pair?.Dispose();
        _pair = null;
        GC.SuppressFinalize(this);
    }

    private byte[] Decrypt(byte[] encoded)
    {
        if (!EnvelopeCodec.TryDecode(encoded, out Envelope? envelope, out E2eChatFailure envelopeFailure))
        {
            throw new InvalidOperationException($"Envelope refused: {envelopeFailure}.");
        }

        // What SessionManager does with a RatchetMessage (its DecryptRatchetAsync, without the save).
        ReadOnlySpan<byte> body = envelope.Message.Body.Span;
        if (!WireRatchetMessage.TryRead(body, out RatchetMessageView ratchet, out _))
        {
            throw new InvalidOperationException("Not a canonical RatchetMessage.");
        }

        if (!_pair!.Bob.TryDecrypt(body[ratchet.Header], body[ratchet.Ciphertext], out byte[]? plaintext, out E2eChatFailure failure)
            || plaintext.Length != PayloadSize)
        {
            throw new InvalidOperationException($"Decryption failed: {failure}.");
        }

        return plaintext;
    }
}
