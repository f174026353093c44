namespace E2eChat.Cli.Vectors;

/// <summary>A vector whose recorded output differs from what the C# implementation computes.</summary>
internal sealed class VectorMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public VectorMismatchException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public VectorMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public VectorMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
