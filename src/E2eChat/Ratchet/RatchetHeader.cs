using System.Buffers.Binary;

namespace E2eChat.Ratchet;

/// <summary>
/// The plaintext message header (PROTOCOL.md section 5.4):
/// <c>DHs.pub (32) || u32be(PN) || u32be(Ns)</c>, 40 bytes. It only ever travels encrypted.
/// </summary>
internal readonly ref struct RatchetHeader
{
    /// <summary>Length of an encoded header in bytes.</summary>
    internal const int Length = RatchetPublicKeyLength + 8;

    private const int RatchetPublicKeyLength = 32;

    private readonly ReadOnlySpan<byte> _encoded;

    /// <summary>Reads a decoded 40-byte header.</summary>
    /// <param name="encoded">The 40 bytes.</param>
    internal RatchetHeader(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length != Length)
        {
            throw Error.WrongLength(Length, nameof(encoded));
        }

        _encoded = encoded;
    }

    /// <summary>The sender's current ratchet public key (unchecked raw bytes).</summary>
    internal ReadOnlySpan<byte> RatchetKey => _encoded[..RatchetPublicKeyLength];

    /// <summary>PN: the number of messages in the sender's previous sending chain.</summary>
    internal uint PreviousChainLength => BinaryPrimitives.ReadUInt32BigEndian(_encoded[RatchetPublicKeyLength..]);

    /// <summary>N: this message's counter in its sending chain.</summary>
    internal uint MessageNumber => BinaryPrimitives.ReadUInt32BigEndian(_encoded[(RatchetPublicKeyLength + 4)..]);

    /// <summary>Encodes a header.</summary>
    /// <param name="ratchetKey">The sender's 32-byte ratchet public key.</param>
    /// <param name="previousChainLength">PN.</param>
    /// <param name="messageNumber">N.</param>
    /// <param name="destination">Receives 40 bytes.</param>
    internal static void Write(ReadOnlySpan<byte> ratchetKey, uint previousChainLength, uint messageNumber, Span<byte> destination)
    {
        if (ratchetKey.Length != RatchetPublicKeyLength)
        {
            throw Error.WrongLength(RatchetPublicKeyLength, nameof(ratchetKey));
        }

        if (destination.Length != Length)
        {
            throw Error.WrongLength(Length, nameof(destination));
        }

        ratchetKey.CopyTo(destination);
        BinaryPrimitives.WriteUInt32BigEndian(destination[RatchetPublicKeyLength..], previousChainLength);
        BinaryPrimitives.WriteUInt32BigEndian(destination[(RatchetPublicKeyLength + 4)..], messageNumber);
    }
}
