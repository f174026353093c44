namespace E2eChat.Fuzz;

/// <summary>A property a fuzz target checks does not hold: a finding (afl++ records it as a crash).</summary>
public sealed class FuzzFindingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FuzzFindingException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is broken.</param>
    public FuzzFindingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is broken.</param>
    /// <param name="innerException">The cause.</param>
    public FuzzFindingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
