namespace FollowUpBot.Host.Tests;

public class CommandLineTests
{
    [Theory]
    [InlineData("--now", "next tuesday")]
    [InlineData("--time-zone", "Moon/Tranquility")]
    public async Task ABadConsoleOptionIsOneLineAndExit2(string option, string value)
    {
        using var folder = new TempFolder();
        var run = await Followupbot.RunAsync("console", "--db", folder.File("x.db"), option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(option, Assert.Single(run.ErrorLines));
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task ADatabaseThatIsAFolderIsRefused()
    {
        using var folder = new TempFolder();
        var run = await Followupbot.RunAsync("console", "--db", folder.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("--db", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task ADatabaseThatIsNotSqliteIsRefused()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("notes.txt"), "not a database");
        var run = await Followupbot.RunAsync("console", "--db", folder.File("notes.txt"));

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("--db", Assert.Single(run.ErrorLines));
        Assert.Equal("not a database", File.ReadAllText(folder.File("notes.txt")));
    }

    [Fact]
    public async Task RunWithoutAPlatformAndWithoutATerminalSaysHowToConfigureOne()
    {
        var run = await Followupbot.RunAsync("run");

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("FOLLOWUPBOT_Discord__Token", line);
        Assert.Contains("FOLLOWUPBOT_Slack__BotToken", line);
    }

    [Fact]
    public async Task NoCommandMeansRun()
    {
        var run = await Followupbot.RunAsync();

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("No chat platform is configured", run.Error);
    }

    [Fact]
    public async Task AMissingConfigFolderIsOneLineAndExit2()
    {
        var run = await Followupbot.RunAsync("plan", "--config", "/no/such/folder", "--interview-end", "2026-12-04T16:30",
            "--time-zone", "UTC", "--format", "video", "--interviewer", "Ana");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("--config", Assert.Single(run.ErrorLines));
    }
}
