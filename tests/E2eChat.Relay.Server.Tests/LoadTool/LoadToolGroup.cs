namespace E2eChat.Relay.Server.Tests.LoadTool;

/// <summary>
/// The load tool's scenarios drive hundreds of streams and two full clients each: they run alone, never
/// next to other test classes, so that their bounded phases are not starved by unrelated work on a
/// 2-core machine (a 150-stream scenario ran into its bound once while the whole suite ran beside it).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadToolGroup
{
    /// <summary>The collection's name.</summary>
    public const string Name = "LoadTool";
}
