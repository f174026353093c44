using E2eChat.Cli.Vectors;

namespace E2eChat.Cli;

/// <summary>
/// <c>e2echat vectors generate &lt;dir&gt;</c> writes the published test vectors;
/// <c>e2echat vectors verify &lt;dir&gt;</c> recomputes them with this implementation.
/// </summary>
internal static class Program
{
    private const string Usage = "usage: E2eChat.Cli vectors generate <dir> | vectors verify <dir>";

    /// <summary>Exit codes: 0 success, 1 a vector failed (or none were found), 2 usage.</summary>
    private static async Task<int> Main(string[] args)
    {
        if (args.Length != 3 || args[0] != "vectors")
        {
            await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        switch (args[1])
        {
            case "generate":
                await VectorFiles.GenerateAsync(args[2], Console.Out).ConfigureAwait(false);
                return 0;
            case "verify":
                IReadOnlyList<FileVerification> results = await VectorFiles.VerifyAsync(args[2], Console.Out).ConfigureAwait(false);
                return VectorFiles.Succeeded(results) ? 0 : 1;
            default:
                await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
                return 2;
        }
    }
}
