namespace E2eChat.Errors;

/// <summary>
/// The one exception the throwing variants of E2eChat operations raise for hostile or corrupt input.
/// <see cref="Reason"/> is the same typed failure the <c>Try…</c> variant reports. The message never
/// contains key material or plaintext.
/// </summary>
public sealed class E2eChatException : Exception
{
    /// <summary>Creates an exception carrying a typed failure.</summary>
    /// <param name="reason">The failure (a value of one of the library's failure enums).</param>
    public E2eChatException(Enum reason)
        : base($"{reason.GetType().Name}.{reason}")
    {
        Reason = reason;
    }

    /// <summary>Creates an exception with a message only (for serializer compatibility).</summary>
    public E2eChatException()
        : this(GeneralFailure.Unspecified)
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message.</param>
    public E2eChatException(string message)
        : base(message)
    {
        Reason = GeneralFailure.Unspecified;
    }

    /// <summary>Creates an exception with a message and inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public E2eChatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = GeneralFailure.Unspecified;
    }

    /// <summary>The typed failure, e.g. a <c>DecryptionFailure</c> or <c>BundleFailure</c> value.</summary>
    public Enum Reason { get; }

    /// <summary>Whether the failure is <paramref name="reason"/>.</summary>
    /// <typeparam name="T">The failure enum.</typeparam>
    /// <param name="reason">The expected value.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public bool Is<T>(T reason)
        where T : struct, Enum => Reason is T actual && EqualityComparer<T>.Default.Equals(actual, reason);
}
