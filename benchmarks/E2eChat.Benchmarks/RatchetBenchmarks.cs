using BenchmarkDotNet.Attributes;
using E2eChat.Ratchet;

namespace E2eChat.Benchmarks;

/// <summary>
/// Steady-state messages on an existing chain through the span-based <see cref="RatchetState"/>
/// path alone (PROTOCOL.md sections 5.4 and 5.5): caller-provided buffers in, nothing else
/// allocated. Alice sends on her current sending chain; Bob's current receiving chain is that chain.
/// </summary>
/// <remarks>
/// <see cref="Decrypt"/> cannot decrypt one message twice (the second time is
/// <see cref="E2eChatFailure.Duplicate"/>), so every iteration decrypts a fresh batch of
/// <see cref="BatchSize"/> messages that <see cref="EncryptBatch"/> made just before (not timed);
/// the reported time is per message. Every benchmark throws if an operation fails, so a broken
/// path fails the run instead of timing an early exit. Not sealed: BenchmarkDotNet derives from it.
/// </remarks>
[MemoryDiagnoser]
public class RatchetBenchmarks : IDisposable
{
    /// <summary>Messages decrypted per <see cref="Decrypt"/> invocation.</summary>
    public const int BatchSize = 1024;

    private SessionPair? _pair;
    private RatchetState? _alice;
    private RatchetState? _bob;
    private byte[] _plaintext = [];
    private byte[] _header = [];
    private byte[] _ciphertext = [];
    private byte[] _decrypted = [];
    private byte[][] _batchHeaders = [];
    private byte[][] _batchCiphertexts = [];
    private bool _batchReady;

    /// <summary>The plaintext length in bytes.</summary>
    [Params(100, 1024, 65536)]
    public int PayloadSize { get; set; }

    /// <summary>Sets up a session and the buffers.</summary>
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
    }

    /// <summary>Encrypts the next batch for <see cref="Decrypt"/> (not timed).</summary>
    [IterationSetup(Target = nameof(Decrypt))]
    public void EncryptBatch()
    {
        if (_batchHeaders.Length == 0)
        {
            _batchHeaders = new byte[BatchSize][];
            _batchCiphertexts = new byte[BatchSize][];
            for (int i = 0; i < BatchSize; i++)
            {
                _batchHeaders[i] = new byte[RatchetState.EncryptedHeaderLength];
                _batchCiphertexts[i] = new byte[_ciphertext.Length];
            }
        }

        for (int i = 0; i < BatchSize; i++)
        {
            Encrypt(_batchHeaders[i], _batchCiphertexts[i]);
        }

        _batchReady = true;
    }

    /// <summary>Alice encrypts one message on her current chain.</summary>
    /// <returns>The first ciphertext byte.</returns>
    [Benchmark]
    public byte Encrypt()
    {
        Encrypt(_header, _ciphertext);
        return _ciphertext[0];
    }

    /// <summary>Bob decrypts one message of a pre-encrypted batch on his current receiving chain.</summary>
    /// <returns>The last plaintext length.</returns>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int Decrypt()
    {
        if (!_batchReady)
        {
            throw new InvalidOperationException("The batch was not refilled before this invocation.");
        }

        _batchReady = false;
        int written = 0;
        for (int i = 0; i < BatchSize; i++)
        {
            written = Decrypt(_batchHeaders[i], _batchCiphertexts[i]);
        }

        return written;
    }

    /// <summary>Alice encrypts one message and Bob decrypts it.</summary>
    /// <returns>The plaintext length.</returns>
    [Benchmark]
    public int EncryptDecrypt()
    {
        Encrypt(_header, _ciphertext);
        return Decrypt(_header, _ciphertext);
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

    private void Encrypt(byte[] header, byte[] ciphertext)
    {
        if (!_alice!.TryEncrypt(_plaintext, header, ciphertext, out E2eChatFailure failure))
        {
            throw new InvalidOperationException($"Encryption failed: {failure}.");
        }
    }

    private int Decrypt(byte[] header, byte[] ciphertext)
    {
        if (!_bob!.TryDecrypt(header, ciphertext, _decrypted, out int written, out E2eChatFailure failure) || written != PayloadSize)
        {
            throw new InvalidOperationException($"Decryption failed: {failure}.");
        }

        return written;
    }
}
