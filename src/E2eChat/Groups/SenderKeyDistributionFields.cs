using E2eChat.Crypto;
using E2eChat.Wire;

namespace E2eChat;

/// <summary>
/// The fields of a <c>SenderKeyDistribution</c> (<c>wire.proto</c>, PROTOCOL.md section 7) as views
/// into the received bytes (the wire layer's <see cref="SenderKeyDistributionView"/> over the
/// message, so the field list is kept once), and its canonical encoding both ways. The chain key is secret: it is only
/// ever written into library-owned memory, and the caller wipes the received bytes.
/// </summary>
internal readonly ref struct SenderKeyDistributionFields
{
    private readonly ReadOnlySpan<byte> _message;
    private readonly SenderKeyDistributionView _view;

    private SenderKeyDistributionFields(ReadOnlySpan<byte> message, SenderKeyDistributionView view)
    {
        _message = message;
        _view = view;
    }

    /// <summary>The 16-byte distribution id.</summary>
    internal ReadOnlySpan<byte> DistributionId => _message[_view.DistributionId];

    /// <summary>The nonzero chain id.</summary>
    internal uint ChainId => _view.ChainId;

    /// <summary>The iteration the chain key is at, at most <see cref="ProtocolLimits.MaxChainCounter"/>.</summary>
    internal uint Iteration => _view.Iteration;

    /// <summary>The 32-byte chain key at <see cref="Iteration"/>.</summary>
    internal ReadOnlySpan<byte> ChainKey => _message[_view.ChainKey];

    /// <summary>The 32-byte Ed25519 public key that signs this generation's posts.</summary>
    internal ReadOnlySpan<byte> SigningKey => _message[_view.SigningKey];

    /// <summary>Parses the canonical encoding; never throws.</summary>
    /// <param name="message">The encoded message.</param>
    /// <param name="fields">The fields, views into <paramref name="message"/>.</param>
    /// <returns><see langword="false"/> when the message is malformed.</returns>
    internal static bool TryParse(ReadOnlySpan<byte> message, out SenderKeyDistributionFields fields)
    {
        fields = default;
        if (!WireSenderKeyDistribution.TryRead(message, out SenderKeyDistributionView view, out _)
            || view.Iteration > ProtocolLimits.MaxChainCounter)
        {
            return false;
        }

        fields = new SenderKeyDistributionFields(message, view);
        return true;
    }

    /// <summary>The encoded length of a distribution message.</summary>
    /// <param name="chainId">The chain id (nonzero).</param>
    /// <param name="iteration">The iteration.</param>
    /// <returns>The length in bytes.</returns>
    internal static int GetEncodedLength(uint chainId, uint iteration) => WireSenderKeyDistribution.GetEncodedLength(chainId, iteration);

    /// <summary>Writes the canonical encoding.</summary>
    /// <param name="distributionId">The 16-byte distribution id.</param>
    /// <param name="chainId">The chain id.</param>
    /// <param name="iteration">The iteration.</param>
    /// <param name="chainKey">The 32-byte chain key at <paramref name="iteration"/>.</param>
    /// <param name="signingKey">The 32-byte signing public key.</param>
    /// <param name="output">Exactly <see cref="GetEncodedLength"/> bytes.</param>
    internal static void Write(ReadOnlySpan<byte> distributionId, uint chainId, uint iteration, ReadOnlySpan<byte> chainKey, ReadOnlySpan<byte> signingKey, Span<byte> output)
    {
        WireSenderKeyDistribution.Write(distributionId, chainId, iteration, chainKey, signingKey, output);
    }
}
