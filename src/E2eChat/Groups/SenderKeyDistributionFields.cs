using E2eChat.Crypto;
using E2eChat.Wire;

namespace E2eChat;

/// <summary>
/// The fields of a <c>SenderKeyDistribution</c> (<c>wire.proto</c>, PROTOCOL.md section 7) as views
/// into the received bytes, and its canonical encoding both ways. The chain key is secret: it is only
/// ever written into library-owned memory, and the caller wipes the received bytes.
/// </summary>
internal readonly ref struct SenderKeyDistributionFields
{
    /// <summary>Length of a chain key in bytes.</summary>
    internal const int ChainKeyLength = 32;

    private SenderKeyDistributionFields(ReadOnlySpan<byte> distributionId, uint chainId, uint iteration, ReadOnlySpan<byte> chainKey, ReadOnlySpan<byte> signingKey)
    {
        DistributionId = distributionId;
        ChainId = chainId;
        Iteration = iteration;
        ChainKey = chainKey;
        SigningKey = signingKey;
    }

    /// <summary>The 16-byte distribution id.</summary>
    internal ReadOnlySpan<byte> DistributionId { get; }

    /// <summary>The nonzero chain id.</summary>
    internal uint ChainId { get; }

    /// <summary>The iteration the chain key is at, at most <see cref="ProtocolLimits.MaxChainCounter"/>.</summary>
    internal uint Iteration { get; }

    /// <summary>The 32-byte chain key at <see cref="Iteration"/>.</summary>
    internal ReadOnlySpan<byte> ChainKey { get; }

    /// <summary>The 32-byte Ed25519 public key that signs this generation's posts.</summary>
    internal ReadOnlySpan<byte> SigningKey { get; }

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

        fields = new SenderKeyDistributionFields(message[view.DistributionId], view.ChainId, view.Iteration, message[view.ChainKey], message[view.SigningKey]);
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
