using E2eChat.Wire;

namespace E2eChat;

/// <summary>
/// Where a customer's device keeps its consent state per business (PROTOCOL.md section 17.1): the
/// records it made and the window its own messages opened. Several workers may share it, so a save is
/// a compare-and-swap on the state read.
/// </summary>
public interface IConsentStateStore
{
    /// <summary>The state for a business.</summary>
    /// <param name="business">The business account.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state, or <see langword="null"/> when nothing happened with that business.</returns>
    ValueTask<ConsentState?> GetAsync(string business, CancellationToken cancellationToken);

    /// <summary>Replaces the state for a business if it is still <paramref name="expected"/>.</summary>
    /// <param name="business">The business account.</param>
    /// <param name="expected">The state the new one was computed from (<see langword="default"/> for none).</param>
    /// <param name="state">The new state.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when saved; <see langword="false"/> when another writer changed it first.</returns>
    ValueTask<bool> TrySaveAsync(string business, ConsentState expected, ConsentState state, CancellationToken cancellationToken);
}
