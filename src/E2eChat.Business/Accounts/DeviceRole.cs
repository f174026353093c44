namespace E2eChat;

/// <summary>Who runs a device of an account (PROTOCOL.md section 14).</summary>
public enum DeviceRole
{
    /// <summary>Not a valid role; never read from a list.</summary>
    Unspecified = 0,

    /// <summary>A device a person of the account operates (a phone, a support agent's desk).</summary>
    Agent = 1,

    /// <summary>A program the account runs itself (a bot).</summary>
    Automation = 2,

    /// <summary>A device another company runs on the account's behalf: it can read the messages.</summary>
    Hosted = 3,
}
