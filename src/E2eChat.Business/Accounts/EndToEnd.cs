namespace E2eChat;

/// <summary>To whom messages to an account are end-to-end encrypted (PROTOCOL.md section 14.3).</summary>
public enum EndToEnd
{
    /// <summary>Only devices the account runs itself (agents and its own automation).</summary>
    ToBusiness = 1,

    /// <summary>Also devices another company runs on the account's behalf: see <see cref="BusinessInfo.Processors"/>.</summary>
    ToProcessor = 2,
}
