using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using E2eChat.Crypto;

namespace E2eChat;

/// <summary>One party's half of a safety number (PROTOCOL.md section 3.5): the 32-byte iterated hash and its 30 digits.</summary>
internal static class Fingerprint
{
    /// <summary>The length of a party's fingerprint in bytes.</summary>
    internal const int Length = 32;

    /// <summary>The digits one party contributes to the safety number.</summary>
    internal const int DigitCount = 30;

    /// <summary>SHA-512 iterations after the first hash.</summary>
    internal const int Iterations = 5200;

    private const int ChunkCount = DigitCount / 5;
    private const int ChunkLength = 5;
    private const ulong ChunkModulus = 100_000;

    /// <summary>
    /// <c>h_0 = SHA-512(label || 0x00 || IK || name)</c>, <c>h_i = SHA-512(h_{i-1} || IK)</c> for
    /// i = 1..5200, fingerprint = <c>h_5200[0..32]</c>.
    /// </summary>
    internal static void Compute(IdentityKey identity, string name, Span<byte> fingerprint)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(name);
        Error.CheckLength(fingerprint, Length, nameof(fingerprint));

        ReadOnlySpan<byte> label = ProtocolLabels.Fingerprint;
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        byte[] first = new byte[label.Length + 1 + IdentityKey.Length + nameBytes.Length];
        label.CopyTo(first);
        first[label.Length] = 0;
        identity.AsSpan().CopyTo(first.AsSpan(label.Length + 1));
        nameBytes.CopyTo(first.AsSpan(label.Length + 1 + IdentityKey.Length));

        Span<byte> buffer = stackalloc byte[SHA512.HashSizeInBytes + IdentityKey.Length];
        Span<byte> hash = buffer[..SHA512.HashSizeInBytes];
        identity.AsSpan().CopyTo(buffer[SHA512.HashSizeInBytes..]);
        SHA512.HashData(first, hash);
        for (int i = 0; i < Iterations; i++)
        {
            SHA512.HashData(buffer, hash);
        }

        hash[..Length].CopyTo(fingerprint);
    }

    /// <summary>The 30 digits: six 40-bit big-endian chunks, each reduced modulo 100000 and written as 5 digits.</summary>
    internal static string ToDigits(ReadOnlySpan<byte> fingerprint)
    {
        var digits = new StringBuilder(DigitCount);
        Span<byte> chunk = stackalloc byte[sizeof(ulong)];
        for (int k = 0; k < ChunkCount; k++)
        {
            chunk.Clear();
            fingerprint.Slice(k * ChunkLength, ChunkLength).CopyTo(chunk[(sizeof(ulong) - ChunkLength)..]);
            ulong value = BinaryPrimitives.ReadUInt64BigEndian(chunk) % ChunkModulus;
            digits.Append(value.ToString("D5", CultureInfo.InvariantCulture));
        }

        return digits.ToString();
    }
}
