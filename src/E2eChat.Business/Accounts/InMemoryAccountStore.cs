namespace E2eChat;

/// <summary>An <see cref="IAccountStore"/> in memory, safe for concurrent use.</summary>
public sealed class InMemoryAccountStore : IAccountStore
{
    private readonly Dictionary<string, SignedDeviceList> _lists = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <inheritdoc/>
    public ValueTask<SignedDeviceList?> GetDeviceListAsync(string account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        lock (_lock)
        {
            return ValueTask.FromResult(_lists.GetValueOrDefault(account));
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryReplaceDeviceListAsync(string account, SignedDeviceList? expected, SignedDeviceList replacement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(replacement);
        lock (_lock)
        {
            SignedDeviceList? current = _lists.GetValueOrDefault(account);
            bool unchanged = current is null ? expected is null : expected is not null && current.SameBytes(expected);
            if (unchanged)
            {
                _lists[account] = replacement;
            }

            return ValueTask.FromResult(unchanged);
        }
    }
}
