using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;
using E2eChat.Client.Tests.Infrastructure;

namespace E2eChat.Client.Tests.Packaging;

/// <summary>
/// The packages as shipped: packs every shipped project into a temporary folder, checks each package's
/// metadata and symbols, then builds a console app against the PACKED packages (a local package source,
/// no project references) and runs a customer-business exchange through it over the real relay.
/// </summary>
public sealed class PackedPackagesTests
{
    /// <summary>Every package the repository ships, in dependency order.</summary>
    private static readonly string[] s_shipped = ["E2eChat.Wire", "E2eChat", "E2eChat.Business", "E2eChat.Relay", "E2eChat.Storage.Sqlite", "E2eChat.Client"];

    /// <summary>A bound on each CLI step, so a hang fails the test instead of the run (a step takes seconds here; the machine may be loaded).</summary>
    private static readonly TimeSpan s_stepTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Pack_ShippedPackages_CarryMetadataAndRunExchangeOverRelay()
    {
        string repository = FindRepositoryRoot();
        string configuration = typeof(PackedPackagesTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        string version = $"0.1.0-packtest-{Guid.NewGuid():N}";
        string root = TestDirectory.Create();
        try
        {
            string feed = Path.Combine(root, "feed");
            await PackAsync(repository, configuration, version, root, feed);
            foreach (string id in s_shipped)
            {
                CheckPackage(feed, id, version);
            }

            string app = await BuildAppAsync(repository, version, root, feed);

            await using TestRelay relay = await TestRelay.StartAsync();
            string output = await DotnetCommand.RunAsync(
                "run the packed app", app, s_stepTimeout, Path.Combine(app, "bin", "Release", "net10.0", "PackedApp.dll"), relay.Address.ToString(), Path.Combine(root, "devices"));
            Assert.Contains("business read: Where is my order?", output, StringComparison.Ordinal);
            Assert.Contains("customer read: It ships today.", output, StringComparison.Ordinal);
            Assert.Contains("PACKED-APP-OK", output, StringComparison.Ordinal);
        }
        finally
        {
            TestDirectory.Delete(root);
            ForgetCachedPackages(version);
        }
    }

    /// <summary>Packs the shipped projects from the build the test run already made (no rebuild, so no race with other builds), in one MSBuild process.</summary>
    private static async Task PackAsync(string repository, string configuration, string version, string root, string feed)
    {
        var traversal = new XElement(
            "Project",
            new XElement("ItemGroup", s_shipped.Select(id => new XElement("ShippedProject", new XAttribute("Include", Path.Combine(repository, "src", id, id + ".csproj"))))),
            new XElement(
                "Target",
                new XAttribute("Name", "PackShipped"),
                new XElement(
                    "MSBuild",
                    new XAttribute("Projects", "@(ShippedProject)"),
                    new XAttribute("Targets", "Pack"),
                    new XAttribute("Properties", $"Configuration={configuration};NoBuild=true;PackageVersion={version};PackageOutputPath={feed}"))));
        string project = Path.Combine(root, "pack.proj");
        new XDocument(traversal).Save(project);
        try
        {
            await DotnetCommand.RunAsync("dotnet pack of the shipped projects", root, s_stepTimeout, "msbuild", project, "-t:PackShipped", "-nologo", "-v:m");
        }
        catch (InvalidOperationException e) when (e.Message.Contains("NETSDK1085", StringComparison.Ordinal) || e.Message.Contains("not found", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Build the solution in {configuration} first (`dotnet test E2eChat.sln -c {configuration}` does): the pack reuses its outputs.\n{e.Message}", e);
        }
    }

    /// <summary>Checks one package's nuspec (the metadata every shipped package must carry), its files and its symbol package.</summary>
    private static void CheckPackage(string feed, string id, string version)
    {
        string package = Path.Combine(feed, $"{id}.{version}.nupkg");
        Assert.True(File.Exists(package), $"{package} was not produced");
        using ZipArchive archive = ZipFile.OpenRead(package);
        ZipArchiveEntry nuspecEntry = Assert.Single(archive.Entries, e => e.FullName == $"{id}.nuspec");
        XElement metadata;
        using (Stream stream = nuspecEntry.Open())
        {
            XElement nuspec = XDocument.Load(stream).Root!;
            metadata = nuspec.Elements().Single(e => e.Name.LocalName == "metadata");
        }

        string Field(string name) =>
            metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value.Trim() is { Length: > 0 } value ? value : throw new Xunit.Sdk.XunitException($"{id}: <{name}> is missing or empty");
        XElement Element(string name) =>
            metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name) ?? throw new Xunit.Sdk.XunitException($"{id}: <{name}> is missing");

        Assert.Equal(id, Field("id"));
        Assert.Equal(version, Field("version"));
        Assert.True(Field("description").Length >= 80, $"{id}: the description says too little");
        Assert.Equal("E2eChat contributors", Field("authors"));
        Assert.False(string.IsNullOrEmpty(Field("copyright")));
        Assert.True(Field("tags").Split(' ').Contains("e2ee"), $"{id}: tags lack e2ee");
        XElement license = Element("license");
        Assert.Equal("expression", license.Attribute("type")?.Value);
        Assert.Equal("MIT", license.Value);
        XElement repository = Element("repository");
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? string.Empty);
        string readme = Field("readme");
        Assert.Contains(archive.Entries, e => e.FullName == readme);
        Assert.Contains(archive.Entries, e => e.FullName == $"lib/net10.0/{id}.dll");
        Assert.Contains(archive.Entries, e => e.FullName == $"lib/net10.0/{id}.xml");

        string symbols = Path.Combine(feed, $"{id}.{version}.snupkg");
        Assert.True(File.Exists(symbols), $"{symbols} was not produced");
        using ZipArchive symbolArchive = ZipFile.OpenRead(symbols);
        Assert.Contains(symbolArchive.Entries, e => e.FullName == $"lib/net10.0/{id}.pdb");
    }

    /// <summary>Writes and builds the console app against the packed packages; returns its directory.</summary>
    private static async Task<string> BuildAppAsync(string repository, string version, string root, string feed)
    {
        string app = Path.Combine(root, "app");
        Directory.CreateDirectory(app);
        File.Copy(Path.Combine(repository, "tests", "E2eChat.Client.Tests", "Packaging", "PackedApp", "Program.cs"), Path.Combine(app, "Program.cs"));
        new XDocument(
            new XElement(
                "Project",
                new XAttribute("Sdk", "Microsoft.NET.Sdk"),
                new XElement(
                    "PropertyGroup",
                    new XElement("OutputType", "Exe"),
                    new XElement("TargetFramework", "net10.0"),
                    new XElement("Nullable", "enable"),
                    new XElement("ImplicitUsings", "enable"),
                    new XElement("TreatWarningsAsErrors", "true")),
                new XElement("ItemGroup", new XElement("PackageReference", new XAttribute("Include", "E2eChat.Client"), new XAttribute("Version", version)))))
            .Save(Path.Combine(app, "PackedApp.csproj"));

        // The packed folder as a package source next to the normal feed (inherited from the user's configuration).
        new XDocument(
            new XElement(
                "configuration",
                new XElement("packageSources", new XElement("add", new XAttribute("key", "packed"), new XAttribute("value", feed)))))
            .Save(Path.Combine(app, "NuGet.config"));

        await DotnetCommand.RunAsync("build the console app against the packed packages", app, s_stepTimeout, "build", "-c", "Release", "-nologo", "-v:m");

        // What it was built against: every shipped library (but the relay's) came from the packed folder.
        string assets = await File.ReadAllTextAsync(Path.Combine(app, "obj", "project.assets.json"));
        foreach (string id in s_shipped.Where(id => id != "E2eChat.Relay"))
        {
            Assert.Contains($"\"{id}/{version}\"", assets, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("\"type\": \"project\"", assets, StringComparison.Ordinal);
        return app;
    }

    /// <summary>Removes this run's unique version from the global packages folder (the feed's packages stay cached).</summary>
    private static void ForgetCachedPackages(string version)
    {
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (string id in s_shipped)
        {
            TestDirectory.Delete(Path.Combine(cache, id.ToLowerInvariant(), version));
        }
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "E2eChat.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No E2eChat.sln above {AppContext.BaseDirectory}");
    }
}
