namespace E2eChat.Wire;

/// <summary>
/// A valid <c>SenderKeyDistribution</c> as <see cref="WireSenderKeyDistribution"/> reads it: its
/// numbers, and where its byte fields are in the buffer read. The chain key is secret: the caller
/// copies it into memory it wipes, and wipes the buffer.
/// </summary>
internal readonly struct SenderKeyDistributionView
{
    /// <summary>Creates a view.</summary>
    /// <param name="distributionId">Where the 16-byte distribution id is.</param>
    /// <param name="chainId">The chain id (nonzero).</param>
    /// <param name="iteration">The iteration the chain key is at.</param>
    /// <param name="chainKey">Where the 32-byte chain key is.</param>
    /// <param name="signingKey">Where the 32-byte signing public key is.</param>
    internal SenderKeyDistributionView(Range distributionId, uint chainId, uint iteration, Range chainKey, Range signingKey)
    {
        DistributionId = distributionId;
        ChainId = chainId;
        Iteration = iteration;
        ChainKey = chainKey;
        SigningKey = signingKey;
    }

    /// <summary>Where the 16-byte distribution id is.</summary>
    internal Range DistributionId { get; }

    /// <summary>The nonzero chain id.</summary>
    internal uint ChainId { get; }

    /// <summary>The iteration the chain key is at (0 when not written).</summary>
    internal uint Iteration { get; }

    /// <summary>Where the 32-byte chain key is (secret).</summary>
    internal Range ChainKey { get; }

    /// <summary>Where the 32-byte Ed25519 public key that signs this generation's posts is.</summary>
    internal Range SigningKey { get; }
}
