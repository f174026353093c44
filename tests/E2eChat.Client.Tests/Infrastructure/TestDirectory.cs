namespace E2eChat.Client.Tests.Infrastructure;

/// <summary>Temporary directories for relay and device state.</summary>
internal static class TestDirectory
{
    public static string Create()
    {
        string path = Path.Combine(Path.GetTempPath(), "e2echat-client-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on some platform: leave it to the temp cleaner.
        }
    }
}
