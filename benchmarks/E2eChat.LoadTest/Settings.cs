using System.Globalization;

namespace E2eChat.LoadTest;

internal sealed record Settings(int Pairs, int Messages, int Batch, int Streams, int LatencySeconds, string Synchronous, int BoundSeconds = Settings.DefaultBoundSeconds, int Rounds = Settings.DefaultRounds)
{
    /// <summary>Each phase gives up (and the tool fails) after this long, so a stuck run ends instead of hanging.</summary>
    public const int DefaultBoundSeconds = 300;

    /// <summary>
    /// Measured rounds of relay then floor, after one warm-up round of each at the full size (so the JIT
    /// has compiled both paths' code optimized before either is timed); the medians are compared. On a
    /// shared machine one short floor run can be off by 3x either way.
    /// </summary>
    public const int DefaultRounds = 3;

    public TimeSpan Bound => TimeSpan.FromSeconds(BoundSeconds);

    public static Settings Parse(string[] args)
    {
        var settings = new Settings(16, 300, 10, 10_000, 5, "Full");
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            int value = args[i] == "--sync" ? 0 : int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            settings = args[i] switch
            {
                "--pairs" => settings with { Pairs = value },
                "--messages" => settings with { Messages = value },
                "--batch" => settings with { Batch = value },
                "--streams" => settings with { Streams = value },
                "--latency-seconds" => settings with { LatencySeconds = value },
                "--sync" => settings with { Synchronous = args[i + 1] },
                "--bound-seconds" => settings with { BoundSeconds = value },
                "--rounds" => settings with { Rounds = Math.Max(1, value) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return settings;
    }
}
