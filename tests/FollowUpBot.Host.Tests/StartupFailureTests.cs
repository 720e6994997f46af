using System.Net;
using System.Net.Sockets;

namespace FollowUpBot.Host.Tests;

/// <summary>
/// Every configuration mistake and start-up failure, in a real process: one line on stderr naming the setting or
/// file and the cause, no stack trace, exit 2 for configuration and 3 for what cannot be used at start.
/// </summary>
public sealed class StartupFailureTests
{
    private static void AssertOneLine(ChildBot bot, params string[] mentions)
    {
        var line = Assert.Single(bot.ErrorLines);
        foreach (var mention in mentions) Assert.Contains(mention, line);
        Assert.DoesNotContain("   at ", bot.Error);
    }

    private static Dictionary<string, string> Env(params (string Key, string Value)[] settings) =>
        settings.ToDictionary(s => "FOLLOWUPBOT_" + s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);

    private static async Task<ChildBot> RunToExitAsync(TempFolder folder, Dictionary<string, string> env, params string[] args)
    {
        var bot = ChildBot.Start(folder.Path, env, args);
        bot.Input.Close();
        Assert.True(await bot.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the bot should exit on its own");
        return bot;
    }

    [Theory]
    [InlineData("Storage:Provider", "Mongo")]
    [InlineData("Delivery:MaxAttempts", "abc")]
    [InlineData("Discord:Mode", "websocket")]
    [InlineData("Slack:Mode", "rtm")]
    [InlineData("Logging:LogLevel:Default", "Loud")]
    [InlineData("Logging:Format", "xml")]
    [InlineData("Host:Urls", "localhost:8080")]
    [InlineData("Scheduling:ReconcileInterval", "soon")]
    public async Task AWrongValueTypeIsOneLineNamingTheSettingAndExit2(string key, string value)
    {
        using var folder = new TempFolder();
        await using var bot = await RunToExitAsync(folder, Env((key, value)), "console", "--db", folder.File("x.db"));

        Assert.Equal(2, bot.ExitCode);
        AssertOneLine(bot, key, value);
    }

    [Fact]
    public async Task AnOutOfRangeValueIsOneLineWithoutALogDump()
    {
        using var folder = new TempFolder();
        await using var bot = await RunToExitAsync(folder, Env(("Delivery:MaxAttempts", "500")), "console", "--db", folder.File("x.db"));

        Assert.Equal(2, bot.ExitCode);
        AssertOneLine(bot, "MaxAttempts");
    }

    [Fact]
    public async Task AMistakeBetweenTwoSettingsIsSaidOnceNamingBoth()
    {
        using var folder = new TempFolder();
        var env = Env(("Discord:Token", "x"), ("Discord:ApplicationId", "1"), ("Discord:ApiBaseUrl", "http://127.0.0.1:9"),
            ("Host:Urls", $"http://127.0.0.1:{FreePort()}"), ("Scheduling:Horizon", "00:10:00"));
        await using var bot = await RunToExitAsync(folder, env, "run");

        Assert.Equal(2, bot.ExitCode);
        AssertOneLine(bot, "Scheduling:HorizonInterval", "Scheduling:Horizon (00:10:00)");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(bot.Error, "must be at most half"));
    }

    [Fact]
    public async Task AMinimumPoolAboveTheMaximumIsOneLineNamingBothAndExit2()
    {
        using var folder = new TempFolder();
        var env = Env(("Discord:Token", "x"), ("Discord:ApplicationId", "1"), ("Discord:ApiBaseUrl", "http://127.0.0.1:9"),
            ("Storage:Provider", "Postgres"),
            ("Storage:ConnectionString", "Host=127.0.0.1;Port=9;Database=bot;Username=bot;Password=secret;Minimum Pool Size=20;Maximum Pool Size=5"),
            ("Host:Urls", $"http://127.0.0.1:{FreePort()}"));
        await using var bot = await RunToExitAsync(folder, env, "run");

        // Refused before any connection is tried (the server on port 9 is not there).
        Assert.Equal(2, bot.ExitCode);
        AssertOneLine(bot, "Minimum Pool Size=20", "Maximum Pool Size=5");
        Assert.DoesNotContain("secret", bot.Error);
    }

    [Fact]
    public async Task ACorruptDatabaseIsOneLineNamingTheFileAndExit3()
    {
        using var folder = new TempFolder();
        var file = folder.File("broken.db");
        // A SQLite header, then garbage where the pages should be.
        File.WriteAllBytes(file, [.. "SQLite format 3\0"u8.ToArray(), .. Enumerable.Range(0, 8192).Select(i => (byte)(i * 7))]);

        await using var bot = await RunToExitAsync(folder, [], "console", "--db", file);

        Assert.Equal(3, bot.ExitCode);
        AssertOneLine(bot, file, "corrupt");
    }

    [Fact]
    public async Task AnUnreachablePostgresIsOneLineNamingTheServerAndExit3()
    {
        using var folder = new TempFolder();
        var env = Env(("Discord:Token", "x"), ("Discord:ApplicationId", "1"), ("Discord:ApiBaseUrl", "http://127.0.0.1:9"),
            ("Storage:Provider", "Postgres"), ("Storage:ConnectionString", "Host=127.0.0.1;Port=9;Database=bot;Username=bot;Password=secret"),
            ("Host:Urls", $"http://127.0.0.1:{FreePort()}"));
        await using var bot = await RunToExitAsync(folder, env, "run");

        Assert.Equal(3, bot.ExitCode);
        AssertOneLine(bot, "127.0.0.1:9", "connection refused");
        Assert.DoesNotContain("secret", bot.Error);
    }

    [Fact]
    public async Task APortInUseIsOneLineNamingHostUrlsAndExit3()
    {
        using var folder = new TempFolder();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var env = Env(("Discord:Token", "x"), ("Discord:ApplicationId", "1"), ("Discord:ApiBaseUrl", "http://127.0.0.1:9"),
            ("Storage:ConnectionString", $"Data Source={folder.File("bot.db")}"), ("Host:Urls", $"http://127.0.0.1:{port}"));
        await using var bot = await RunToExitAsync(folder, env, "run");

        Assert.Equal(3, bot.ExitCode);
        AssertOneLine(bot, "Host:Urls", port.ToString());
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
