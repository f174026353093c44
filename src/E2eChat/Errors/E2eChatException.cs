namespace E2eChat;

/// <summary>
/// The one exception the throwing variants of E2eChat operations raise for hostile or corrupt input
/// or a failed operation. <see cref="Failure"/> is the same <see cref="E2eChatFailure"/> the
/// <c>Try…</c> variant reports, so a caller switches over it. The message names the failure only: it
/// never contains key material or plaintext.
/// </summary>
public sealed class E2eChatException : Exception
{
    /// <summary>Creates an exception carrying a typed failure.</summary>
    /// <param name="failure">The failure.</param>
    public E2eChatException(E2eChatFailure failure)
        : base($"{nameof(E2eChatFailure)}.{failure}")
    {
        Failure = failure;
    }

    /// <summary>Creates an exception without a specific failure (<see cref="E2eChatFailure.None"/>; for serializers).</summary>
    public E2eChatException()
        : this(E2eChatFailure.None)
    {
    }

    /// <summary>Creates an exception with a message and no specific failure (<see cref="E2eChatFailure.None"/>).</summary>
    /// <param name="message">The message.</param>
    public E2eChatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and inner exception, and no specific failure (<see cref="E2eChatFailure.None"/>).</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public E2eChatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The typed failure (never <see cref="E2eChatFailure.None"/> when the library throws it).</summary>
    public E2eChatFailure Failure { get; }
}
