namespace FollowUpBot.Platforms.Slack.Tests;

/// <summary>The shipped manifest asks for what the adapter uses, so "create app from manifest" is all it takes.</summary>
public sealed class ManifestTests
{
    private static readonly string Manifest = File.ReadAllText(Path.Combine(FindRepositoryRoot(), "bot-config", "slack-app-manifest.yaml"));

    [Theory]
    [InlineData("- command: /interview")]
    [InlineData("- command: /followup")]
    [InlineData("- command: /cohort")]
    [InlineData("should_escape: true")]
    [InlineData("- files:write")]
    [InlineData("- chat:write.public")]
    [InlineData("socket_mode_enabled: true")]
    [InlineData("is_enabled: true")]
    [InlineData("- commands")]
    [InlineData("- chat:write")]
    [InlineData("- im:write")]
    [InlineData("- im:history")]
    [InlineData("- users:read")]
    [InlineData("- tokens_revoked")]
    public void ManifestDeclaresWhatTheAdapterNeeds(string line) =>
        Assert.Contains(Manifest.Split('\n'), l => l.Trim() == line);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "bot-config", "slack-app-manifest.yaml"))) return dir.FullName;
        throw new FileNotFoundException("bot-config/slack-app-manifest.yaml not found above the test output folder.");
    }
}
