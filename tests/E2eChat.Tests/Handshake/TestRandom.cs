using System.Buffers.Binary;
using E2eChat.Crypto;

namespace E2eChat.Tests.Handshake;

/// <summary>Deterministic randomness for tests: a <see cref="DeterministicRandomSource"/> from a small seed.</summary>
internal static class TestRandom
{
    internal static DeterministicRandomSource FromSeed(ulong seed)
    {
        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        BinaryPrimitives.WriteUInt64BigEndian(bytes, seed);
        return new DeterministicRandomSource(bytes);
    }
}
