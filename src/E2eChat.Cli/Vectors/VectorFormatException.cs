namespace E2eChat.Cli.Vectors;

/// <summary>A vector file or vector that does not follow FORMAT.md (missing field, bad hex, unknown kind).</summary>
internal sealed class VectorFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public VectorFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public VectorFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public VectorFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
