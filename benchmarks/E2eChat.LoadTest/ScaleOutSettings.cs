using System.Globalization;

namespace E2eChat.LoadTest;

/// <summary>Options of the <c>scale-out</c> mode (see Program.cs).</summary>
internal sealed record ScaleOutSettings(int[] Nodes, bool Sqlite, int Pairs, int Messages, int Batch, string Fault, string? Postgres, int LatencySeconds)
{
    public static ScaleOutSettings Parse(string[] args)
    {
        var settings = new ScaleOutSettings([1, 2, 3], false, 16, 200, 10, "none", Environment.GetEnvironmentVariable("E2ECHAT_POSTGRES"), 5);
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Number() => int.Parse(Value(), CultureInfo.InvariantCulture);
            settings = args[i] switch
            {
                "--nodes" => settings with { Nodes = Value().Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray() },
                "--sqlite" => settings with { Sqlite = true },
                "--pairs" => settings with { Pairs = Number() },
                "--messages" => settings with { Messages = Number() },
                "--batch" => settings with { Batch = Number() },
                "--fault" => settings with { Fault = Value() },
                "--postgres" => settings with { Postgres = Value() },
                "--latency-seconds" => settings with { LatencySeconds = Number() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        if (settings.Fault is not ("none" or "cut" or "stop-node" or "restart-db"))
        {
            throw new ArgumentException("--fault is none, cut, stop-node or restart-db");
        }

        return settings;
    }
}
