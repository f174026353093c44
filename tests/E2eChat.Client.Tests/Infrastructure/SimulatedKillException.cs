namespace E2eChat.Client.Tests.Infrastructure;

/// <summary>Test helper (not a test class): thrown by a commit-step hook to stop the process "here".</summary>
internal sealed class SimulatedKillException : Exception
{
    public SimulatedKillException()
        : base("Simulated process kill.")
    {
    }

    public SimulatedKillException(string message)
        : base(message)
    {
    }

    public SimulatedKillException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
