using E2eChat.Wire;

namespace E2eChat.Relay.Server.Storage;

/// <summary>A pair's stored consent state and the newest applied signed record (none when only the window was opened).</summary>
/// <param name="State">The state (PROTOCOL.md section 17.1).</param>
/// <param name="Record">The newest applied <c>SignedConsentRecord</c>, or <see langword="null"/>.</param>
internal sealed record StoredConsent(ConsentState State, byte[]? Record)
{
    /// <summary>Reads a row's values (u64 values are stored as their two's-complement 64-bit integers).</summary>
    internal static StoredConsent FromColumns(long serial, long lastAction, long blocked, long scopes, long grantExpiresAt, long windowUntil, byte[]? record) =>
        new(
            new ConsentState(
                unchecked((ulong)serial),
                (ConsentAction)(int)lastAction,
                blocked != 0,
                (ConsentScopes)(uint)scopes,
                unchecked((ulong)grantExpiresAt),
                unchecked((ulong)windowUntil)),
            record);
}
