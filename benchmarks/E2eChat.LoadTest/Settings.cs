using System.Globalization;

namespace E2eChat.LoadTest;

internal sealed record Settings(int Pairs, int Messages, int Batch, int Streams, int LatencySeconds, string Synchronous, int BoundSeconds = Settings.DefaultBoundSeconds)
{
    /// <summary>Each phase gives up (and the tool fails) after this long, so a stuck run ends instead of hanging.</summary>
    public const int DefaultBoundSeconds = 300;

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
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return settings;
    }
}
