using System.Text;

namespace E2eChat.Demo;

/// <summary>
/// What a demo script writes and collects as it runs: its report, one headed step after another; the
/// plaintexts it sent (what the leak check searches the relay's bytes for); the problems it met.
/// </summary>
internal sealed class DemoReport
{
    private readonly TextWriter _output;

    /// <summary>Creates a report written to <paramref name="output"/>.</summary>
    internal DemoReport(TextWriter output) => _output = output;

    /// <summary>The UTF-8 plaintexts sent so far.</summary>
    internal List<byte[]> Plaintexts { get; } = [];

    /// <summary>The unexpected outcomes so far, in order.</summary>
    internal List<string> Problems { get; } = [];

    /// <summary>Remembers a plaintext that is sent.</summary>
    internal void Sent(string text) => Plaintexts.Add(Encoding.UTF8.GetBytes(text));

    /// <summary>Whether <paramref name="body"/> is one of the plaintexts sent.</summary>
    internal bool WasSent(ReadOnlySpan<byte> body)
    {
        foreach (byte[] plaintext in Plaintexts)
        {
            if (body.SequenceEqual(plaintext))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Records <paramref name="problem"/> and writes <paramref name="line"/>, which reports it.</summary>
    internal void Problem(string problem, string line)
    {
        Problems.Add(problem);
        Line(line);
    }

    /// <summary>Writes an empty line and the title of the next step.</summary>
    internal void Heading(string title)
    {
        _output.WriteLine();
        _output.WriteLine(title);
    }

    /// <summary>Writes one line.</summary>
    internal void Line(string text = "") => _output.WriteLine(text);
}
