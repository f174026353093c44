using BenchmarkDotNet.Attributes;
using E2eChat.Crypto;
using E2eChat.Ratchet;

namespace E2eChat.Benchmarks;

/// <summary>
/// Posting one 100-byte update to 1,000 viewers: once under a sender key (one encryption and one
/// Ed25519 signature, whatever the audience) against pairwise fan-out (one Double Ratchet encryption
/// per viewer, each on its own established session).
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet generates a class derived from it.</remarks>
[MemoryDiagnoser]
public class GroupPostBenchmarks : IDisposable
{
    /// <summary>The audience size.</summary>
    public const int Viewers = 1000;

    private readonly byte[] _plaintext = new byte[100];
    private readonly byte[] _header = new byte[RatchetState.EncryptedHeaderLength];
    private readonly byte[] _ciphertext = new byte[RatchetState.GetCiphertextLength(100)];
    private readonly RatchetState[] _sessions = new RatchetState[Viewers];
    private byte[] _post = [];
    private GroupSender? _sender;

    /// <summary>Creates the sender key and 1,000 initiator sessions (random secrets, real ratchet keys).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _sender = GroupSender.Create();
        _post = new byte[_sender.GetMessageLength(_plaintext.Length, 0) + 16]; // the iteration varint grows as posts are made
        Span<byte> secret = stackalloc byte[RatchetState.KeyLength * 3];
        Span<byte> associatedData = stackalloc byte[RatchetState.AssociatedDataLength];
        Span<byte> peerPrivate = stackalloc byte[X25519.KeyLength];
        Span<byte> peerPublic = stackalloc byte[X25519.KeyLength];
        for (int i = 0; i < Viewers; i++)
        {
            RandomSource.System.Fill(secret);
            RandomSource.System.Fill(associatedData);
            X25519.GenerateKeyPair(peerPrivate, peerPublic);
            _sessions[i] = RatchetState.InitializeInitiator(secret[..32], secret[32..64], secret[64..], associatedData, peerPublic, RandomSource.System);
        }
    }

    /// <summary>One sender-key post, readable by every viewer holding the sender key.</summary>
    /// <returns>The message length.</returns>
    [Benchmark(Baseline = true)]
    public int SenderKeyPostTo1000()
    {
        if (!_sender!.TryEncrypt(_plaintext, 0, _post, out int written, out E2eChatFailure failure))
        {
            throw new InvalidOperationException(failure.ToString());
        }

        return written;
    }

    /// <summary>The same post encrypted pairwise for each of the 1,000 viewers.</summary>
    /// <returns>The number of messages.</returns>
    [Benchmark]
    public int PairwiseFanOutTo1000()
    {
        foreach (RatchetState session in _sessions)
        {
            if (!session.TryEncrypt(_plaintext, _header, _ciphertext, out E2eChatFailure failure))
            {
                throw new InvalidOperationException(failure.ToString());
            }
        }

        return _sessions.Length;
    }

    /// <summary>Disposes the states.</summary>
    public void Dispose()
    {
        _sender?.Dispose();
        foreach (RatchetState session in _sessions)
        {
            session?.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}
