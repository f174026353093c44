using System.Security.Cryptography;
using E2eChat.Crypto;
using E2eChat.Ratchet;
using E2eChat.Storage.Proto;
using Google.Protobuf;

namespace E2eChat.Tests.Ratchet;

/// <summary>
/// Test helper (not a test class): an initiator and a responder ratchet built from the handshake's
/// outputs, here random secrets (RK0, HKA, NHKB), a random 288-byte AD and a real X25519 signed
/// pre-key pair, all from a seeded deterministic stream.
/// </summary>
internal sealed class RatchetTestPair : IDisposable
{
    private readonly DeterministicRandomSource _random;

    internal RatchetTestPair(int seed = 1)
    {
        byte[] seedBytes = new byte[32];
        BitConverter.TryWriteBytes(seedBytes, seed);
        _random = new DeterministicRandomSource(seedBytes);
        RootKey = Bytes(32);
        InitiatorHeaderKey = Bytes(32);
        ResponderNextHeaderKey = Bytes(32);
        AssociatedData = Bytes(RatchetState.AssociatedDataLength);
        SignedPreKeyPrivate = new byte[32];
        SignedPreKeyPublic = new byte[32];
        X25519.GenerateKeyPair(_random, SignedPreKeyPrivate, SignedPreKeyPublic);
        Alice = RatchetState.InitializeInitiator(RootKey, InitiatorHeaderKey, ResponderNextHeaderKey, AssociatedData, SignedPreKeyPublic, _random);
        Bob = RatchetState.InitializeResponder(RootKey, InitiatorHeaderKey, ResponderNextHeaderKey, AssociatedData, SignedPreKeyPrivate, SignedPreKeyPublic, _random);
    }

    internal byte[] RootKey { get; }

    internal byte[] InitiatorHeaderKey { get; }

    internal byte[] ResponderNextHeaderKey { get; }

    internal byte[] AssociatedData { get; }

    internal byte[] SignedPreKeyPrivate { get; }

    internal byte[] SignedPreKeyPublic { get; }

    internal RandomSource Random => _random;

    internal RatchetState Alice { get; set; }

    internal RatchetState Bob { get; set; }

    internal byte[] Bytes(int length)
    {
        byte[] bytes = new byte[length];
        _random.Fill(bytes);
        return bytes;
    }

    internal static byte[] Serialize(RatchetState state)
    {
        using var secrets = new ProtobufSecrets();
        return state.ToData(secrets).ToByteArray();
    }

    internal static RatchetState Restore(byte[] serialized, RandomSource random)
    {
        RatchetStateData data = RatchetStateData.Parser.ParseFrom(serialized);
        Assert.True(RatchetState.TryFromData(data, random, out RatchetState? state));
        return state;
    }

    /// <summary>Replaces a state by serialize-then-load, checking that the round trip is bit-exact.</summary>
    internal RatchetState Persist(RatchetState state)
    {
        byte[] before = Serialize(state);
        RatchetState restored = Restore(before, _random);
        Assert.Equal(before, Serialize(restored));
        IRatchetKeyObserver? observer = state.KeyObserver;
        state.Dispose();
        restored.KeyObserver = observer;
        return restored;
    }

    internal static EncryptedRatchetMessage Encrypt(RatchetState sender, byte[] plaintext)
    {
        Assert.True(sender.TryEncrypt(plaintext, out EncryptedRatchetMessage message, out E2eChatFailure failure), failure.ToString());
        return message;
    }

    internal static EncryptedRatchetMessage Encrypt(RatchetState sender, string plaintext) =>
        Encrypt(sender, System.Text.Encoding.UTF8.GetBytes(plaintext));

    internal static byte[] Decrypt(RatchetState receiver, EncryptedRatchetMessage message)
    {
        Assert.True(receiver.TryDecrypt(message.Header, message.Ciphertext, out byte[]? plaintext, out E2eChatFailure failure), failure.ToString());
        return plaintext;
    }

    /// <summary>Asserts that decryption fails with <paramref name="expected"/> and leaves the state byte for byte unchanged.</summary>
    internal static void AssertRejected(RatchetState receiver, ReadOnlySpan<byte> header, ReadOnlySpan<byte> ciphertext, E2eChatFailure expected)
    {
        byte[] before = Serialize(receiver);
        Assert.False(receiver.TryDecrypt(header, ciphertext, out byte[]? plaintext, out E2eChatFailure failure));
        Assert.Null(plaintext);
        Assert.Equal(expected, failure);
        Assert.Equal(before, Serialize(receiver));
    }

    internal static void AssertRejected(RatchetState receiver, EncryptedRatchetMessage message, E2eChatFailure expected) =>
        AssertRejected(receiver, message.Header, message.Ciphertext, expected);

    internal static byte[] Text(string value) => System.Text.Encoding.UTF8.GetBytes(value);

    public void Dispose()
    {
        Alice.Dispose();
        Bob.Dispose();
        _random.Dispose();
        CryptographicOperations.ZeroMemory(RootKey);
        CryptographicOperations.ZeroMemory(SignedPreKeyPrivate);
    }
}
