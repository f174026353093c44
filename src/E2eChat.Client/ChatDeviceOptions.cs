using E2eChat.Wire;

namespace E2eChat.Client;

/// <summary>The configuration of one <see cref="ChatDevice"/>.</summary>
public sealed class ChatDeviceOptions
{
    /// <summary>The relay's address, e.g. <c>http://127.0.0.1:5080</c> (HTTP/2).</summary>
    public Uri? RelayAddress { get; set; }

    /// <summary>
    /// The relay's name as it signs challenges (PROTOCOL.md 12.1); sign-in is refused when the relay
    /// names itself otherwise. <see langword="null"/> accepts any name.
    /// </summary>
    public string? RelayId { get; set; } = "e2echat-relay";

    /// <summary>The account name (1 to 64 characters of <c>[a-z0-9._-]</c>).</summary>
    public string Account { get; set; } = string.Empty;

    /// <summary>This device's number in the account (1 to 255).</summary>
    public uint DeviceId { get; set; } = 1;

    /// <summary>Whether the account is a person's or a business's.</summary>
    public AccountKind Kind { get; set; } = AccountKind.Person;

    /// <summary>The directory holding the device's state (created if missing): <c>protocol.db</c> (keys and sessions) and <c>client.db</c> (pre-key ids, received message ids).</summary>
    public string DataDirectory { get; set; } = string.Empty;

    /// <summary>One-time pre-keys of each kind to keep published (at most <see cref="ClientLimits.MaxOneTimePreKeysHeld"/>).</summary>
    public int OneTimePreKeyTarget { get; set; } = ClientLimits.DefaultOneTimePreKeyTarget;

    /// <summary>Refill when the relay holds fewer one-time pre-keys of either kind than this.</summary>
    public int OneTimePreKeyThreshold { get; set; } = ClientLimits.DefaultOneTimePreKeyThreshold;

    /// <summary>How often a new signed pre-key and last-resort KEM pre-key are published.</summary>
    public TimeSpan SignedPreKeyRotation { get; set; } = ClientLimits.DefaultSignedPreKeyRotation;

    /// <summary>Attempts of one send before it is reported as failed.</summary>
    public int MaxSendAttempts { get; set; } = ClientLimits.DefaultMaxSendAttempts;

    /// <summary>The first retry's delay (doubling up to <see cref="ClientLimits.MaxRetryDelay"/>).</summary>
    public TimeSpan RetryDelay { get; set; } = ClientLimits.DefaultRetryDelay;

    /// <summary>
    /// Benchmarks and tests: the same stores as private SQLite databases in memory instead of the files
    /// in <see cref="DataDirectory"/> (nothing survives the device; no disk, no fsync).
    /// </summary>
    internal bool InMemoryStores { get; set; }

    /// <summary>The local address these options describe.</summary>
    internal ProtocolAddress Address => new(Account, DeviceId);

    /// <summary>Checks every value; throws for a caller mistake.</summary>
    internal void Validate()
    {
        if (RelayAddress is null || !RelayAddress.IsAbsoluteUri)
        {
            throw new ArgumentException("Set RelayAddress to the relay's absolute address.", nameof(RelayAddress));
        }

        if (!ProtocolAddress.IsValidName(Account) || DeviceId is 0 or > ProtocolAddress.MaxDeviceId)
        {
            throw new ArgumentException("Account must be 1 to 64 characters of [a-z0-9._-] and DeviceId 1 to 255.", nameof(Account));
        }

        if (Kind is not (AccountKind.Person or AccountKind.Business))
        {
            throw new ArgumentException("Kind is Person or Business.", nameof(Kind));
        }

        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new ArgumentException("Set DataDirectory.", nameof(DataDirectory));
        }

        if (OneTimePreKeyTarget is < 1 or > ClientLimits.MaxOneTimePreKeysHeld || OneTimePreKeyThreshold < 0 || OneTimePreKeyThreshold > OneTimePreKeyTarget)
        {
            throw new ArgumentException($"OneTimePreKeyTarget is 1 to {ClientLimits.MaxOneTimePreKeysHeld} and OneTimePreKeyThreshold 0 to the target.", nameof(OneTimePreKeyTarget));
        }

        if (SignedPreKeyRotation <= TimeSpan.Zero || MaxSendAttempts < 1 || RetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("SignedPreKeyRotation must be positive, MaxSendAttempts at least 1 and RetryDelay not negative.", nameof(SignedPreKeyRotation));
        }
    }
}
