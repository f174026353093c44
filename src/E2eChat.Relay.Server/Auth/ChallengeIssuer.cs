using System.Buffers.Binary;
using System.Security.Cryptography;

namespace E2eChat.Relay.Server.Auth;

/// <summary>
/// Issues and checks challenges without storing them (PROTOCOL.md 12.2):
/// <c>nonce (16) || u64be(expires_at_ms) || HMAC(challenge key, ...)[0..16]</c>. Only their use is
/// stored (<c>ISecurityStore.TryUseChallengeAsync</c>), so answering one twice fails on every node,
/// while asking for challenges writes nothing.
/// </summary>
internal sealed class ChallengeIssuer
{
    /// <summary>A challenge's length.</summary>
    internal const int ChallengeLength = NonceLength + sizeof(ulong) + MacLength;

    /// <summary>The unique part's length (the nonce and expiry), the key of the used-challenge record.</summary>
    internal const int IdLength = NonceLength + sizeof(ulong);

    private const int NonceLength = 16;
    private const int MacLength = 16;

    private readonly RelaySecrets _secrets;

    /// <summary>Creates an issuer.</summary>
    /// <param name="secrets">The relay's keys.</param>
    public ChallengeIssuer(RelaySecrets secrets)
    {
        _secrets = secrets;
    }

    /// <summary>A fresh challenge.</summary>
    /// <param name="nowMilliseconds">The time.</param>
    /// <param name="expiresAtMilliseconds">When it expires.</param>
    /// <returns>The challenge bytes.</returns>
    internal byte[] Issue(long nowMilliseconds, out long expiresAtMilliseconds)
    {
        expiresAtMilliseconds = nowMilliseconds + (long)RelayServerLimits.ChallengeLifetime.TotalMilliseconds;
        byte[] challenge = new byte[ChallengeLength];
        RandomNumberGenerator.Fill(challenge.AsSpan(0, NonceLength));
        BinaryPrimitives.WriteInt64BigEndian(challenge.AsSpan(NonceLength), expiresAtMilliseconds);
        Span<byte> mac = stackalloc byte[32];
        _secrets.ChallengeMac(challenge.AsSpan(0, IdLength), mac);
        mac[..MacLength].CopyTo(challenge.AsSpan(IdLength));
        return challenge;
    }

    /// <summary>Checks that this relay issued <paramref name="challenge"/> and that it has not expired.</summary>
    /// <param name="challenge">The challenge as returned by the device.</param>
    /// <param name="nowMilliseconds">The time.</param>
    /// <param name="expiresAtMilliseconds">Its expiry, on success.</param>
    /// <returns><see langword="null"/> when valid, otherwise why not.</returns>
    internal RelayFailure? Check(ReadOnlySpan<byte> challenge, long nowMilliseconds, out long expiresAtMilliseconds)
    {
        expiresAtMilliseconds = 0;
        if (challenge.Length != ChallengeLength)
        {
            return RelayFailure.BadChallenge;
        }

        Span<byte> mac = stackalloc byte[32];
        _secrets.ChallengeMac(challenge[..IdLength], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..MacLength], challenge[IdLength..]))
        {
            return RelayFailure.BadChallenge;
        }

        expiresAtMilliseconds = BinaryPrimitives.ReadInt64BigEndian(challenge[NonceLength..]);
        return expiresAtMilliseconds <= nowMilliseconds ? RelayFailure.ChallengeExpired : null;
    }
}
