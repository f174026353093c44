using E2eChat.Crypto;
using E2eChat.Ratchet;

namespace E2eChat;

/// <summary>
/// One generation of a sender's key as a receiver holds it (PROTOCOL.md section 7): its chain id, the
/// next iteration expected, the chain key at that iteration, and the signing public key.
/// </summary>
internal sealed class SenderKeyState : IDisposable
{
    /// <summary>Length of the chain key in bytes.</summary>
    internal const int ChainKeyLength = ChainKdf.KeyLength;

    private readonly SecretBuffer _chainKey;
    private readonly byte[] _signingKey;

    /// <summary>Creates a generation from a distribution or from storage.</summary>
    /// <param name="chainId">The nonzero chain id.</param>
    /// <param name="nextIteration">The iteration the chain key is at.</param>
    /// <param name="chainKey">The 32-byte chain key (copied).</param>
    /// <param name="signingKey">The 32-byte Ed25519 public key (copied).</param>
    internal SenderKeyState(uint chainId, uint nextIteration, ReadOnlySpan<byte> chainKey, ReadOnlySpan<byte> signingKey)
    {
        ArgumentOutOfRangeException.ThrowIfZero(chainId);
        Error.CheckLength(chainKey, ChainKeyLength, nameof(chainKey));

        Error.CheckLength(signingKey, Ed25519.PublicKeyLength, nameof(signingKey));

        ChainId = chainId;
        NextIteration = nextIteration;
        _chainKey = new SecretBuffer(chainKey);
        _signingKey = signingKey.ToArray();
    }

    /// <summary>The generation's chain id.</summary>
    internal uint ChainId { get; }

    /// <summary>The next iteration expected (Nr); the chain key is the one at this iteration.</summary>
    internal uint NextIteration { get; set; }

    /// <summary>The chain key at <see cref="NextIteration"/>, writable for the commit.</summary>
    internal Span<byte> ChainKey => _chainKey.WritableSpan;

    /// <summary>The signing public key.</summary>
    internal ReadOnlySpan<byte> SigningKey => _signingKey;

    /// <summary>Wipes the chain key.</summary>
    public void Dispose() => _chainKey.Dispose();
}
