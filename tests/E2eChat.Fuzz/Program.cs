using SharpFuzz;

namespace E2eChat.Fuzz;

/// <summary>
/// The fuzzing host: <c>E2eChat.Fuzz &lt;target&gt;</c> runs one target of <see cref="FuzzTargets"/>
/// under afl++ (SharpFuzz's out-of-process mode, over assemblies instrumented with the <c>sharpfuzz</c>
/// tool; see <c>run.sh</c>); <c>E2eChat.Fuzz &lt;target&gt; &lt;file&gt;...</c> runs it once on each file;
/// <c>E2eChat.Fuzz seeds &lt;corpus dir&gt;</c> writes the seeds of <see cref="SeedWriter"/>.
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    /// <param name="args">The target's name, then optionally files to run it on.</param>
    /// <returns>0, or 2 for an unknown target.</returns>
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 2 && args[0] == "seeds")
        {
            SeedWriter.Write(args[1]);
            return 0;
        }

        if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out Action<byte[]>? target))
        {
            Console.Error.WriteLine($"usage: E2eChat.Fuzz <{string.Join('|', FuzzTargets.All.Keys)}> [file...]");
            return 2;
        }

        if (args.Length > 1)
        {
            foreach (string file in args.Skip(1))
            {
                target(File.ReadAllBytes(file));
            }

            return 0;
        }

        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target(buffer.ToArray());
        });
        return 0;
    }
}
