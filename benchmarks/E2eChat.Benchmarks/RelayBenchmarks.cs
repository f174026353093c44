using BenchmarkDotNet.Attributes;
using E2eChat.Ratchet;
using E2eChat.Relay;
using E2eChat.Wire;
using Google.Protobuf;

namespace E2eChat.Benchmarks;

/// <summary>
/// What a relay does with every envelope: <see cref="EnvelopeValidator"/> (PROTOCOL.md section 8),
/// keyless and allocation-free. The envelope is a typical ratchet envelope of about 1 KiB: a
/// 1000-byte plaintext, padded to the 1024-byte bucket, so a 1040-byte ciphertext, an 80-byte
/// header and the routing fields.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from it.</remarks>
[MemoryDiagnoser]
public class RelayBenchmarks : IDisposable
{
    /// <summary>The plaintext length in bytes.</summary>
    public const int PayloadSize = 1000;

    private SessionPair? _pair;
    private byte[] _envelope = [];

    /// <summary>Encrypts one real envelope.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _pair = SessionPair.Create();
        byte[] plaintext = new byte[PayloadSize];
        Random.Shared.NextBytes(plaintext);
        if (!_pair.AliceState.TryEncrypt(plaintext, out EncryptedRatchetMessage encrypted, out E2eChatFailure failure))
        {
            throw new InvalidOperationException($"Encryption failed: {failure}.");
        }

        var ratchet = new Wire.Proto.RatchetMessage { Header = ByteString.CopyFrom(encrypted.Header), Ciphertext = ByteString.CopyFrom(encrypted.Ciphertext) };
        byte[] messageId = new byte[Envelope.MessageIdLength];
        Random.Shared.NextBytes(messageId);
        var envelope = new Envelope(
            SessionPair.AliceAddress,
            AccountKind.Person,
            SessionPair.BobAddress,
            AccountKind.Person,
            messageId,
            1_767_225_600_000,
            new CiphertextMessage(EnvelopeType.Ratchet, ratchet.ToByteArray()));
        _envelope = EnvelopeCodec.Encode(envelope);
        _ = ValidateRatchetEnvelope();
    }

    /// <summary>Validates the envelope.</summary>
    /// <returns>The outcome (always <see cref="EnvelopeFailure.None"/>).</returns>
    [Benchmark]
    public EnvelopeFailure ValidateRatchetEnvelope()
    {
        EnvelopeFailure failure = EnvelopeValidator.Validate(_envelope);
        return failure == EnvelopeFailure.None ? failure : throw new InvalidOperationException($"Envelope refused: {failure}.");
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
}
