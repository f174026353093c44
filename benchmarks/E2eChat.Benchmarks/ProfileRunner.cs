using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace E2eChat.Benchmarks;

/// <summary>
/// Runs one benchmark method in a plain loop, without BenchmarkDotNet, for an external profiler
/// (<c>perf record</c> with <c>DOTNET_PerfMapEnabled=1</c>, or <c>valgrind --tool=callgrind</c>):
/// <c>profile Class.Method [invocations] [Param=value ...]</c>. It honours the benchmark's
/// attributes: sets the parameters, runs <c>[GlobalSetup]</c> once and the matching
/// <c>[IterationSetup]</c> before every invocation, so batch benchmarks get a fresh batch each time.
/// </summary>
internal static class ProfileRunner
{
    /// <summary>The first command-line argument that selects this runner.</summary>
    internal const string Command = "profile";

    /// <summary>Runs the loop described by <paramref name="args"/> (after <see cref="Command"/>).</summary>
    /// <param name="args">The benchmark, the invocation count and parameter assignments.</param>
    /// <returns>The process exit code.</returns>
    internal static int Run(ReadOnlySpan<string> args)
    {
        if (args.Length == 0 || args[0].Split('.') is not [string typeName, string methodName])
        {
            Console.Error.WriteLine("usage: profile Class.Method [invocations] [Param=value ...]");
            return 2;
        }

        Type type = typeof(ProfileRunner).Assembly.GetType($"{typeof(ProfileRunner).Namespace}.{typeName}")
            ?? throw new ArgumentException($"No benchmark class {typeName}.");
        MethodInfo method = type.GetMethod(methodName) ?? throw new ArgumentException($"No method {methodName} in {typeName}.");
        int invocations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        object instance = Activator.CreateInstance(type)!;
        foreach (string assignment in args[2..])
        {
            string[] parts = assignment.Split('=', 2);
            PropertyInfo property = type.GetProperty(parts[0]) ?? throw new ArgumentException($"No parameter {parts[0]}.");
            property.SetValue(instance, Convert.ChangeType(parts[1], property.PropertyType, CultureInfo.InvariantCulture));
        }

        Find<GlobalSetupAttribute>(type, methodName)?.Invoke(instance, null);
        MethodInfo? iterationSetup = Find<IterationSetupAttribute>(type, methodName);
        var run = (Func<object?>)(() => method.Invoke(instance, null));
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < invocations; i++)
        {
            iterationSetup?.Invoke(instance, null);
            _ = run();
        }

        stopwatch.Stop();
        Find<GlobalCleanupAttribute>(type, methodName)?.Invoke(instance, null);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{typeName}.{methodName}: {invocations} invocations in {stopwatch.Elapsed.TotalMilliseconds:N0} ms (setups included)"));
        return 0;
    }

    private static MethodInfo? Find<T>(Type type, string target)
        where T : TargetedAttribute =>
        type.GetMethods().FirstOrDefault(m => m.GetCustomAttribute<T>() is { } attribute
            && (attribute.Targets is null || attribute.Targets.Length == 0 || attribute.Targets.Contains(target)));
}
