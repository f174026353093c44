using System.Collections.Concurrent;
using E2eChat.Wire;

namespace E2eChat;

/// <summary>An in-memory <see cref="IConsentStateStore"/> (tests, demos, and apps that persist elsewhere).</summary>
public sealed class InMemoryConsentStateStore : IConsentStateStore
{
    private readonly ConcurrentDictionary<string, ConsentState> _states = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<ConsentState?> GetAsync(string business, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(business);
        return ValueTask.FromResult(_states.TryGetValue(business, out ConsentState state) ? state : (ConsentState?)null);
    }

    /// <inheritdoc />
    public ValueTask<bool> TrySaveAsync(string business, ConsentState expected, ConsentState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(business);
        bool saved = expected == default
            ? _states.TryAdd(business, state) || _states.TryUpdate(business, state, expected)
            : _states.TryUpdate(business, state, expected);
        return ValueTask.FromResult(saved);
    }
}
