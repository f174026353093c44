using System.Threading;

namespace E2eChat.Relay.Server.Tests.Infrastructure;

/// <summary>Unique account names, so tests sharing a server never meet.</summary>
internal static class Names
{
    private static int s_next;

    public static string New(string prefix) => $"{prefix}-{Interlocked.Increment(ref s_next)}-{Guid.NewGuid().ToString("N")[..6]}";
}
