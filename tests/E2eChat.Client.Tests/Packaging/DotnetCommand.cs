using System.Diagnostics;
using System.Text;

namespace E2eChat.Client.Tests.Packaging;

/// <summary>Runs the dotnet CLI as a child process and fails loudly (with its output) on a non-zero exit or a timeout.</summary>
internal static class DotnetCommand
{
    /// <summary>Variables a parent <c>dotnet test</c> sets that would point a nested build at the wrong MSBuild.</summary>
    private static readonly string[] s_inheritedMsBuildVariables =
        ["MSBuildSDKsPath", "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly", "VSTEST_HOST_DEBUG"];

    private static string Executable =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="directory"/>; returns its output.</summary>
    public static async Task<string> RunAsync(string step, string directory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string name in s_inheritedMsBuildVariables)
        {
            start.Environment.Remove(name);
        }

        // No MSBuild nodes or compiler servers outlive the step.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new InvalidOperationException($"{step}: no exit within {timeout} (`dotnet {string.Join(' ', arguments)}` in {directory}):\n{Text(output)}");
        }

        // The asynchronous readers have seen the end of both streams once WaitForExit returns.
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{step}: exit code {process.ExitCode} (`dotnet {string.Join(' ', arguments)}` in {directory}):\n{Text(output)}");
        }

        return Text(output);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
