namespace E2eChat.Wire;

/// <summary>
/// A valid <c>SenderKeyMessage</c> as <see cref="WireSenderKeyMessage"/> reads it: its numbers, and
/// where its byte fields are in the buffer read.
/// </summary>
internal readonly struct SenderKeyMessageView
{
    /// <summary>Creates a view.</summary>
    /// <param name="distributionId">Where the 16-byte distribution id is.</param>
    /// <param name="chainId">The chain id (nonzero).</param>
    /// <param name="iteration">The iteration.</param>
    /// <param name="expiresAtMilliseconds">The signed expiry, 0 for none.</param>
    /// <param name="ciphertext">Where the ciphertext is.</param>
    /// <param name="signature">Where the 64-byte signature is.</param>
    internal SenderKeyMessageView(Range distributionId, uint chainId, uint iteration, ulong expiresAtMilliseconds, Range ciphertext, Range signature)
    {
        DistributionId = distributionId;
        ChainId = chainId;
        Iteration = iteration;
        ExpiresAtMilliseconds = expiresAtMilliseconds;
        Ciphertext = ciphertext;
        Signature = signature;
    }

    /// <summary>Where the 16-byte distribution id is.</summary>
    internal Range DistributionId { get; }

    /// <summary>The nonzero chain id of the sender-key generation.</summary>
    internal uint ChainId { get; }

    /// <summary>The message counter in the chain (0 when not written).</summary>
    internal uint Iteration { get; }

    /// <summary>The signed expiry in milliseconds since the Unix epoch; 0 for none.</summary>
    internal ulong ExpiresAtMilliseconds { get; }

    /// <summary>Where the ciphertext (a padding bucket plus the 16-byte tag) is.</summary>
    internal Range Ciphertext { get; }

    /// <summary>Where the 64-byte Ed25519 signature is.</summary>
    internal Range Signature { get; }
}
