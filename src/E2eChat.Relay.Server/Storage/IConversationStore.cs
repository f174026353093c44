using E2eChat.Wire;

namespace E2eChat.Relay.Server.Storage;

/// <summary>
/// What the relay keeps per (customer, business) pair for the consent policy (PROTOCOL.md section
/// 17.1): the state the newest applied consent record left, the customer's service window, and the
/// newest record's bytes. The window is renewed by <see cref="IMessageStore.StoreAsync"/> (a
/// <see cref="ConversationTouch"/>, in the message's transaction); records are applied by
/// <see cref="SaveConsentAsync"/>, which never changes the window.
/// </summary>
internal interface IConversationStore
{
    /// <summary>The pair's state.</summary>
    /// <param name="customer">The person's account.</param>
    /// <param name="business">The business's account.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state, or <see langword="null"/> when nothing happened between them (the initial, all-zero state).</returns>
    ValueTask<StoredConsent?> GetConsentAsync(string customer, string business, CancellationToken cancellationToken);

    /// <summary>
    /// Applies a record's outcome by compare-and-swap on the serial: writes <paramref name="state"/>'s
    /// serial, last action, block, scopes and grant expiry, and <paramref name="record"/>, only if the
    /// pair's stored serial is still <paramref name="expectedSerial"/> (0 for a pair never written);
    /// the window stays what the store holds.
    /// </summary>
    /// <param name="customer">The person's account.</param>
    /// <param name="business">The business's account.</param>
    /// <param name="expectedSerial">The serial the state was computed from.</param>
    /// <param name="state">The new state (its window is ignored).</param>
    /// <param name="record">The applied signed record's bytes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when written; <see langword="false"/> when another record was applied first.</returns>
    ValueTask<bool> SaveConsentAsync(string customer, string business, ulong expectedSerial, ConsentState state, byte[] record, CancellationToken cancellationToken);
}
