namespace FollowUpBot.Testing;

/// <summary>The repository the tests run from (the folder holding FollowUpBot.sln), for tests that read its files.</summary>
public static class RepositoryFolder
{
    public static string Root { get; } = Find();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>
    /// Where tests save the README's pictures (a digest chart, the web view) when asked:
    /// <c>FOLLOWUPBOT_SCREENSHOTS=docs/images dotnet test --filter Screenshot</c>. Null otherwise, so ordinary runs
    /// never touch the working tree.
    /// </summary>
    public static string? ScreenshotFolder =>
        Environment.GetEnvironmentVariable("FOLLOWUPBOT_SCREENSHOTS") is { Length: > 0 } folder
            ? Directory.CreateDirectory(Path.IsPathRooted(folder) ? folder : Path.Combine(Root, folder)).FullName
            : null;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FollowUpBot.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No FollowUpBot.sln above {AppContext.BaseDirectory}.");
    }
}
