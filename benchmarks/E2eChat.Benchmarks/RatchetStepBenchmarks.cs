using BenchmarkDotNet.Attributes;
using E2eChat.Ratchet;

namespace E2eChat.Benchmarks;

/// <summary>
/// The two less regular decryptions, on the span-based <see cref="RatchetState"/> path with 100-byte
/// messages: a DH ratchet step on every message (ping-pong), and a message whose key was skipped.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from it.</remarks>
[MemoryDiagnoser]
public class RatchetStepBenchmarks : IDisposable
{
    /// <summary>Delayed messages decrypted per <see cref="SkippedKeyDecrypt"/> invocation (at most <see cref="ProtocolLimits.MaxSkippedMessageKeys"/>).</summary>
    public const int SkippedBatchSize = 1000;

    /// <summary>The plaintext length in bytes.</summary>
    public const int PayloadSize = 100;

    /// <summary>
    /// Round trips before measuring: each one makes both sides remember one more previous receiving
    /// chain, up to <see cref="ProtocolLimits.MaxReceiverChains"/> - 1 = 4, after which every
    /// message of a new chain costs five failed header trials (the current chain and the four
    /// remembered ones) before the next header key opens it.
    /// </summary>
    private const int WarmUpRoundTrips = 8;

    private SessionPair? _pair;
    private RatchetState? _alice;
    private RatchetState? _bob;
    private byte[] _plaintext = [];
    private byte[] _header = [];
    private byte[] _ciphertext = [];
    private byte[] _decrypted = [];
    private byte[][] _delayedHeaders = [];
    private byte[][] _delayedCiphertexts = [];
    private bool _batchReady;

    /// <summary>Sets up a session whose both sides remember the most previous chains.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _pair = SessionPair.Create();
        _alice = _pair.AliceState.Ratchet;
        _bob = _pair.BobState.Ratchet;
        _plaintext = new byte[PayloadSize];
        Random.Shared.NextBytes(_plaintext);
        _header = new byte[RatchetState.EncryptedHeaderLength];
        _ciphertext = new byte[RatchetState.GetCiphertextLength(PayloadSize)];
        _decrypted = new byte[_ciphertext.Length];
        for (int i = 0; i < WarmUpRoundTrips; i++)
        {
            _ = PingPong();
        }

        if (_alice.ReceiverChainCount != ProtocolLimits.MaxReceiverChains || _bob.ReceiverChainCount != ProtocolLimits.MaxReceiverChains)
        {
            throw new InvalidOperationException("The warm-up did not fill the receiver-chain history.");
        }
    }

    /// <summary>
    /// Alice encrypts 2 x <see cref="SkippedBatchSize"/> messages; Bob receives every second one,
    /// keeping a skipped key for each message in between (not timed).
    /// </summary>
    [IterationSetup(Target = nameof(SkippedKeyDecrypt))]
    public void DelayBatch()
    {
        if (_delayedHeaders.Length == 0)
        {
            _delayedHeaders = new byte[SkippedBatchSize][];
            _delayedCiphertexts = new byte[SkippedBatchSize][];
            for (int i = 0; i < SkippedBatchSize; i++)
            {
                _delayedHeaders[i] = new byte[RatchetState.EncryptedHeaderLength];
                _delayedCiphertexts[i] = new byte[_ciphertext.Length];
            }
        }

        for (int i = 0; i < SkippedBatchSize; i++)
        {
            Encrypt(_alice!, _delayedHeaders[i], _delayedCiphertexts[i]);
            Send(_alice!, _bob!, _header, _ciphertext);
        }

        if (_bob!.SkippedMessageKeyCount != SkippedBatchSize)
        {
            throw new InvalidOperationException("Bob does not hold the expected skipped keys.");
        }

        _batchReady = true;
    }

    /// <summary>
    /// One round trip with a DH ratchet step on every message: Alice encrypts, Bob decrypts, Bob
    /// encrypts, Alice decrypts. Each decryption starts a new receiving chain.
    /// </summary>
    /// <returns>The last plaintext length.</returns>
    [Benchmark]
    public int PingPong()
    {
        Send(_alice!, _bob!, _header, _ciphertext);
        return Send(_bob!, _alice!, _header, _ciphertext);
    }

    /// <summary>Bob decrypts a delayed message with its skipped key, oldest first.</summary>
    /// <returns>The last plaintext length.</returns>
    [Benchmark(OperationsPerInvoke = SkippedBatchSize)]
    public int SkippedKeyDecrypt()
    {
        if (!_batchReady)
        {
            throw new InvalidOperationException("The batch was not refilled before this invocation.");
        }

        _batchReady = false;
        int written = 0;
        for (int i = 0; i < SkippedBatchSize; i++)
        {
            written = Decrypt(_bob!, _delayedHeaders[i], _delayedCiphertexts[i]);
        }

        return written;
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

    private int Send(RatchetState from, RatchetState to, byte[] header, byte[] ciphertext)
    {
        Encrypt(from, header, ciphertext);
        return Decrypt(to, header, ciphertext);
    }

    private void Encrypt(RatchetState from, byte[] header, byte[] ciphertext)
    {
        if (!from.TryEncrypt(_plaintext, header, ciphertext, out E2eChatFailure failure))
        {
            throw new InvalidOperationException($"Encryption failed: {failure}.");
        }
    }

    private int Decrypt(RatchetState to, byte[] header, byte[] ciphertext)
    {
        if (!to.TryDecrypt(header, ciphertext, _decrypted, out int written, out E2eChatFailure failure) || written != PayloadSize)
        {
            throw new InvalidOperationException($"Decryption failed: {failure}.");
        }

        return written;
    }
}
