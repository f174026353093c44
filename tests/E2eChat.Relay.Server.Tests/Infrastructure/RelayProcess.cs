using System.Diagnostics;
using System.Text.RegularExpressions;

namespace E2eChat.Relay.Server.Tests.Infrastructure;

/// <summary>The relay as a separate process (<c>dotnet E2eChat.Relay.Server.dll</c>), so a test can kill it outright.</summary>
internal sealed partial class RelayProcess : IDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private RelayProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<RelayProcess> StartAsync(string dataDirectory, params string[] settings)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "E2eChat.Relay.Server.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--Relay:Listen=127.0.0.1:0");
        start.ArgumentList.Add($"--Relay:DataDirectory={dataDirectory}");
        start.ArgumentList.Add("--Logging:Console:FormatterName=simple");
        foreach (string setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && ListeningLine().Match(e.Data) is { Success: true } match)
            {
                address.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Exited += (_, _) => address.TrySetException(new InvalidOperationException("The relay process exited before listening."));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return new RelayProcess(process, await address.Task.WaitAsync(s_startTimeout));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Kills the process (SIGKILL: no shutdown, no checkpoint) and waits for it to be gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(30_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
