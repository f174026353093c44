namespace E2eChat;

/// <summary>The outcome of one fan-out: every message encrypted, or the failure (nothing encrypted).</summary>
public sealed class FanOutResult
{
    internal FanOutResult(E2eChatFailure failure, IReadOnlyList<OutgoingMessage> messages)
    {
        Failure = failure;
        Messages = messages;
    }

    /// <summary>Whether every device got its message.</summary>
    public bool IsSuccess => Failure == E2eChatFailure.None;

    /// <summary>Why nothing was encrypted, or <see cref="E2eChatFailure.None"/>.</summary>
    public E2eChatFailure Failure { get; }

    /// <summary>One message per device of the recipient's current list, then one sync copy per other own device.</summary>
    public IReadOnlyList<OutgoingMessage> Messages { get; }

    /// <summary>Describes the outcome.</summary>
    /// <returns>The count or the failure.</returns>
    public override string ToString() => IsSuccess ? $"{Messages.Count} messages" : $"refused: {Failure}";
}
