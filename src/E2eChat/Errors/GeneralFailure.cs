namespace E2eChat.Errors;

/// <summary>The failure of an <see cref="E2eChatException"/> built without a specific reason.</summary>
public enum GeneralFailure
{
    /// <summary>No specific reason was given.</summary>
    Unspecified = 0,
}
