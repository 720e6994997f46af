using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace FollowUpBot.Host.Tests;

/// <summary>`followupbot run` as a process: health that tells the truth, metrics, and a clean stop on a signal.</summary>
public sealed class RunningBotTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    private static Dictionary<string, string> UnreachablePlatforms(TempFolder folder, int port) => new()
    {
        ["FOLLOWUPBOT_Discord__Token"] = "x",
        ["FOLLOWUPBOT_Discord__ApplicationId"] = "1",
        ["FOLLOWUPBOT_Discord__ApiBaseUrl"] = "http://127.0.0.1:9",
        ["FOLLOWUPBOT_Slack__BotToken"] = "xoxb-1",
        ["FOLLOWUPBOT_Slack__AppToken"] = "xapp-1",
        ["FOLLOWUPBOT_Slack__ApiBaseUrl"] = "http://127.0.0.1:9/api/",
        ["FOLLOWUPBOT_Storage__ConnectionString"] = $"Data Source={folder.File("bot.db")}",
        ["FOLLOWUPBOT_Host__Urls"] = $"http://127.0.0.1:{port}",
    };

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(string url)
    {
        try
        {
            using var response = await Http.GetAsync(url);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException)
        {
            return (0, "");
        }
    }

    [Fact]
    public async Task ReadinessIs503NamingEachUnreachablePlatformWithin30Seconds()
    {
        using var folder = new TempFolder();
        var port = StartupFailureTests.FreePort();
        await using var bot = ChildBot.Start(folder.Path, UnreachablePlatforms(folder, port), "run");
        var url = $"http://127.0.0.1:{port}";

        var watch = Stopwatch.StartNew();
        (HttpStatusCode Status, string Body) ready = (0, "");
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            ready = await GetAsync(url + "/healthz/ready");
            if (ready.Status == HttpStatusCode.ServiceUnavailable && ready.Body.Split("connection refused").Length > 2) break;
            // Real time on purpose: the bot is another process, its HTTP answer is the only signal, and "within 30
            // seconds" of real time is the behaviour under test.
            await Task.Delay(250);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        var checks = JsonDocument.Parse(ready.Body).RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => (Healthy: c.GetProperty("healthy").GetBoolean(), Detail: c.GetProperty("detail").GetString()));
        Assert.True(checks["database"].Healthy);
        Assert.False(checks["platform:discord"].Healthy);
        Assert.Contains("connection refused at http://127.0.0.1:9", checks["platform:discord"].Detail);
        Assert.False(checks["platform:slack"].Healthy);
        Assert.Contains("connection refused at http://127.0.0.1:9", checks["platform:slack"].Detail);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetAsync(url + "/healthz")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(url + "/healthz/live")).Status);

        // The failed calls are counted, in Prometheus' text format.
        var metrics = await GetAsync(url + "/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.Status);
        Assert.Contains("followupbot_platform_requests_total{", metrics.Body);
        Assert.Contains("outcome=\"no_response\"", metrics.Body);
        Assert.Contains("platform=\"discord\"", metrics.Body);
        Assert.Contains("followupbot_trigger_writer_backlog", metrics.Body);
        // What the operator reads says what was tried, never "refused" for a call nothing answered.
        Assert.DoesNotContain("Discord refused", bot.Error);
        Assert.Contains("connection refused at http://127.0.0.1:9", bot.Error);
    }

    [Theory]
    [InlineData(15)] // SIGTERM
    [InlineData(2)] // SIGINT, as Ctrl-C sends
    public async Task RunStopsCleanlyWithin5SecondsOnASignal(int signal)
    {
        using var folder = new TempFolder();
        var port = StartupFailureTests.FreePort();
        await using var bot = ChildBot.Start(folder.Path, UnreachablePlatforms(folder, port), "run");
        await bot.WaitUntilAsync(_ => GetAsync($"http://127.0.0.1:{port}/healthz/live").Result.Status == HttpStatusCode.OK,
            "the health endpoint", TimeSpan.FromSeconds(30));

        var watch = Stopwatch.StartNew();
        bot.Signal(signal);

        Assert.True(await bot.WaitForExitAsync(TimeSpan.FromSeconds(5)), $"still running {watch.Elapsed.TotalSeconds:0.0} s after signal {signal}");
        Assert.Equal(0, bot.ExitCode);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(2)]
    public async Task TheConsoleStopsCleanlyWithin5SecondsOnASignal(int signal)
    {
        using var folder = new TempFolder();
        await using var bot = ChildBot.Start(folder.Path, null, "console", "--db", folder.File("x.db"), "--now", "2026-12-04T16:30", "--time-zone", "UTC");
        bot.Input.WriteLine("/followup help");
        bot.Input.Flush();
        await bot.WaitUntilAsync(b => b.Out.Length > 0, "the help text", TimeSpan.FromSeconds(30));

        bot.Signal(signal);

        Assert.True(await bot.WaitForExitAsync(TimeSpan.FromSeconds(5)), $"still running after signal {signal}");
        Assert.Equal(0, bot.ExitCode);
    }

    [Fact]
    public async Task JsonLogsAreOneObjectPerLineOnStderr()
    {
        using var folder = new TempFolder();
        var env = new Dictionary<string, string> { ["FOLLOWUPBOT_Logging__Format"] = "json", ["FOLLOWUPBOT_Logging__LogLevel__Default"] = "Information" };
        await using var bot = ChildBot.Start(folder.Path, env, "console", "--db", folder.File("x.db"), "--now", "2026-12-04T16:30", "--time-zone", "UTC");
        bot.Input.WriteLine("/quit");
        bot.Input.Flush();
        Assert.True(await bot.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(0, bot.ExitCode);
        Assert.NotEmpty(bot.ErrorLines);
        foreach (var line in bot.ErrorLines)
        {
            using var entry = JsonDocument.Parse(line);
            Assert.True(entry.RootElement.TryGetProperty("Category", out _), line);
            Assert.True(entry.RootElement.TryGetProperty("LogLevel", out _), line);
        }
        Assert.DoesNotContain(bot.Out.Split('\n'), l => l.StartsWith('{'));
    }
}
