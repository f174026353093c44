namespace E2eChat.Relay.Server.Storage;

/// <summary>Server secrets and single-use challenges, shared by every node over one database.</summary>
internal interface ISecurityStore
{
    /// <summary>The secret stored under <paramref name="name"/>, storing <paramref name="candidate"/> first if there is none (atomically).</summary>
    /// <param name="name">The secret's name.</param>
    /// <param name="candidate">A fresh secret to keep if none exists.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored secret (a new array the caller wipes).</returns>
    ValueTask<byte[]> GetOrCreateSecretAsync(string name, byte[] candidate, CancellationToken cancellationToken);

    /// <summary>Marks a challenge used, atomically; kept until it expires.</summary>
    /// <param name="challengeId">The challenge's unique part.</param>
    /// <param name="expiresAtMilliseconds">When the challenge expires (the record may go then).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> the first time; <see langword="false"/> when it was used before.</returns>
    ValueTask<bool> TryUseChallengeAsync(byte[] challengeId, long expiresAtMilliseconds, CancellationToken cancellationToken);
}
