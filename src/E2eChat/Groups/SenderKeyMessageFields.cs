using System.Buffers.Binary;
using E2eChat.Crypto;
using E2eChat.Ratchet;
using E2eChat.Wire;

namespace E2eChat;

/// <summary>
/// The fields of a <c>SenderKeyMessage</c> (<c>wire.proto</c>, PROTOCOL.md section 7) as views into
/// the received bytes (the wire layer's <see cref="SenderKeyMessageView"/> over the message, so the
/// field list is kept once), and the canonical encoding both ways. The signature covers the 32-byte binary
/// header and the ciphertext, not the protobuf bytes, so only the canonical encoding is accepted:
/// every accepted message is the one encoding of its field values, and changing any byte of it either
/// breaks the encoding or changes a signed value or the signature.
/// </summary>
internal readonly ref struct SenderKeyMessageFields
{
    /// <summary>Length of the signed header: distribution id, chain id, iteration, expiry.</summary>
    internal const int HeaderLength = E2eChat.DistributionId.Length + 4 + 4 + 8;

    private readonly ReadOnlySpan<byte> _message;
    private readonly SenderKeyMessageView _view;

    private SenderKeyMessageFields(ReadOnlySpan<byte> message, SenderKeyMessageView view)
    {
        _message = message;
        _view = view;
    }

    /// <summary>The 16-byte distribution id.</summary>
    internal ReadOnlySpan<byte> DistributionId => _message[_view.DistributionId];

    /// <summary>The nonzero chain id of the generation.</summary>
    internal uint ChainId => _view.ChainId;

    /// <summary>The iteration, at most <see cref="ProtocolLimits.MaxChainCounter"/>.</summary>
    internal uint Iteration => _view.Iteration;

    /// <summary>The signed expiry in milliseconds since the Unix epoch; 0 for none.</summary>
    internal ulong ExpiresAtMilliseconds => _view.ExpiresAtMilliseconds;

    /// <summary>The ciphertext: a padding bucket plus 16 bytes.</summary>
    internal ReadOnlySpan<byte> Ciphertext => _message[_view.Ciphertext];

    /// <summary>The 64-byte signature.</summary>
    internal ReadOnlySpan<byte> Signature => _message[_view.Signature];

    /// <summary>The length of the signed body: header and ciphertext.</summary>
    internal int SignedLength => HeaderLength + Ciphertext.Length;

    /// <summary>Parses the canonical encoding; never throws.</summary>
    /// <param name="message">The encoded message as received.</param>
    /// <param name="fields">The fields, views into <paramref name="message"/>.</param>
    /// <returns><see langword="false"/> when the message is malformed (<see cref="E2eChatFailure.Malformed"/>).</returns>
    internal static bool TryParse(ReadOnlySpan<byte> message, out SenderKeyMessageFields fields)
    {
        fields = default;
        if (!WireSenderKeyMessage.TryRead(message, out SenderKeyMessageView view, out _)
            || view.Iteration > ProtocolLimits.MaxChainCounter)
        {
            return false;
        }

        fields = new SenderKeyMessageFields(message, view);
        return true;
    }

    /// <summary>The encoded length of a message with these field values.</summary>
    /// <param name="chainId">The chain id (nonzero).</param>
    /// <param name="iteration">The iteration.</param>
    /// <param name="expiresAtMilliseconds">The expiry, 0 for none.</param>
    /// <param name="ciphertextLength">The ciphertext length.</param>
    /// <returns>The length in bytes.</returns>
    internal static int GetEncodedLength(uint chainId, uint iteration, ulong expiresAtMilliseconds, int ciphertextLength) =>
        WireSenderKeyMessage.GetEncodedLength(chainId, iteration, expiresAtMilliseconds, ciphertextLength);

    /// <summary>Writes the 32-byte header <c>distribution_id || u32be(chain_id) || u32be(iteration) || u64be(expires_at_ms)</c>.</summary>
    /// <param name="distributionId">The 16-byte distribution id.</param>
    /// <param name="chainId">The chain id.</param>
    /// <param name="iteration">The iteration.</param>
    /// <param name="expiresAtMilliseconds">The expiry.</param>
    /// <param name="header">Receives <see cref="HeaderLength"/> bytes.</param>
    internal static void WriteHeader(ReadOnlySpan<byte> distributionId, uint chainId, uint iteration, ulong expiresAtMilliseconds, Span<byte> header)
    {
        distributionId.CopyTo(header);
        BinaryPrimitives.WriteUInt32BigEndian(header[16..], chainId);
        BinaryPrimitives.WriteUInt32BigEndian(header[20..], iteration);
        BinaryPrimitives.WriteUInt64BigEndian(header[24..], expiresAtMilliseconds);
    }

    /// <summary>
    /// Writes the encoding up to the ciphertext's content and returns where the ciphertext and the
    /// signature go, for the caller to fill in.
    /// </summary>
    /// <param name="distributionId">The 16-byte distribution id.</param>
    /// <param name="chainId">The chain id.</param>
    /// <param name="iteration">The iteration.</param>
    /// <param name="expiresAtMilliseconds">The expiry.</param>
    /// <param name="output">Exactly <see cref="GetEncodedLength"/> bytes.</param>
    /// <param name="ciphertextLength">The ciphertext length.</param>
    /// <param name="ciphertext">Where the ciphertext goes.</param>
    /// <returns>Where the signature goes.</returns>
    internal static Span<byte> Write(ReadOnlySpan<byte> distributionId, uint chainId, uint iteration, ulong expiresAtMilliseconds, Span<byte> output, int ciphertextLength, out Span<byte> ciphertext)
    {
        return WireSenderKeyMessage.Write(distributionId, chainId, iteration, expiresAtMilliseconds, output, ciphertextLength, out ciphertext);
    }

    /// <summary>Writes the signed body (header and ciphertext) of the parsed message.</summary>
    /// <param name="signed">Receives <see cref="SignedLength"/> bytes.</param>
    internal void WriteSignedBody(Span<byte> signed)
    {
        WriteHeader(DistributionId, ChainId, Iteration, ExpiresAtMilliseconds, signed);
        Ciphertext.CopyTo(signed[HeaderLength..]);
    }
}
