namespace FollowUpBot.Bench;

/// <summary>Where the bot's configuration folder is, whether run from the repository root or the project folder.</summary>
internal static class BenchPaths
{
    public static string BotConfig =>
        new[] { "bot-config", "../../bot-config", Path.Combine(AppContext.BaseDirectory, "bot-config") }.FirstOrDefault(Directory.Exists)
        ?? throw new DirectoryNotFoundException("Run from the repository root: bot-config/ was not found.");
}
