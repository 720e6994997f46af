using System.Net;
using System.Text;
using System.Text.Json;
using FollowUpBot.Host.Tests.SamplePlatform;
using FollowUpBot.Hosting;

namespace FollowUpBot.Host.Tests;

/// <summary>
/// A platform plugs in as one module, without editing the Host: <c>followupbot run</c> with <see cref="SampleModule"/>
/// added to the Host's list starts it when its setting is there, serves its endpoint, reports its health, checks its
/// settings and names it in the help for an unconfigured bot.
/// </summary>
public sealed class SamplePlatformTests
{
    private static readonly IReadOnlyList<IPlatformModule> Platforms = [.. PlatformModules.All, new SampleModule()];

    /// <summary>A bot-config folder: the shipped playbook and these settings as appsettings.json.</summary>
    private static TempFolder ConfigFolder(Func<TempFolder, object> settings)
    {
        var folder = new TempFolder();
        File.Copy(Path.Combine(BotConfigFolder.DefaultPath, "playbook.json"), folder.File("playbook.json"));
        File.WriteAllText(folder.File("appsettings.json"), JsonSerializer.Serialize(settings(folder)));
        return folder;
    }

    [Fact]
    public async Task ASampleModuleAnswersACommandAndReportsItsHealthThroughTheSharedComposition()
    {
        var port = StartupFailureTests.FreePort();
        using var folder = ConfigFolder(f => new
        {
            Sample = new { Token = "t" },
            Host = new { Urls = $"http://127.0.0.1:{port}" },
            Storage = new { ConnectionString = $"Data Source={f.File("bot.db")}" },
        });
        var error = new StringWriter();
        var terminal = new HostTerminal(new StringReader(""), TextWriter.Null, TextWriter.Synchronized(error), IsInteractive: false);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var run = BotCommandLine.InvokeAsync(["run", "--config", folder.Path], terminal, stop.Token, Platforms);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };

        var ready = await ReadyAsync(http, run, error);
        var answer = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/sample/commands")
        {
            Content = new StringContent("/interview done company:\"Acme\" interviewers:\"Ana Ruiz\" format:video", Encoding.UTF8, "text/plain"),
            Headers = { { "X-Sample-User", "u1" } },
        });
        var text = await answer.Content.ReadAsStringAsync();
        await stop.CancelAsync();

        Assert.Equal(0, await run);
        var checks = JsonDocument.Parse(ready).RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("detail").GetString());
        Assert.Equal(["database", "platform:sample", "scheduler"], checks.Keys.Order());
        Assert.Equal("sample connected", checks["platform:sample"]);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("#1 Acme saved", text);
    }

    [Fact]
    public async Task AnUnconfiguredBotNamesTheSampleModulesSettingAmongTheOthers()
    {
        using var folder = ConfigFolder(_ => new { });
        var run = await RunToExitAsync(folder);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("No chat platform is configured.", run.Error);
        Assert.Contains("for Slack set FOLLOWUPBOT_Slack__BotToken", run.Error);
        Assert.Contains("for Sample set FOLLOWUPBOT_Sample__Token (tests only).", run.Error);
    }

    [Fact]
    public async Task AMistypedSampleSettingIsNamedInOneLineAtStart()
    {
        using var folder = ConfigFolder(_ => new { Sample = new { Token = "t", Retries = "many" } });
        var run = await RunToExitAsync(folder);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("Configuration problem: Sample:Retries = 'many' is not a whole number.", run.ErrorLines.Single());
    }

    private static async Task<ProgramRun> RunToExitAsync(TempFolder folder)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var terminal = new HostTerminal(new StringReader(""), output, error, IsInteractive: false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var code = await BotCommandLine.InvokeAsync(["run", "--config", folder.Path], terminal, timeout.Token, Platforms);
        return new ProgramRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Waits until /healthz/ready answers 200 and returns its body.</summary>
    private static async Task<string> ReadyAsync(HttpClient http, Task<int> run, StringWriter error)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (run.IsCompleted) Assert.Fail($"run ended with {await run}: {error}");
            try
            {
                using var response = await http.GetAsync("/healthz/ready");
                if (response.StatusCode == HttpStatusCode.OK) return await response.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"/healthz/ready never answered 200: {error}");
    }
}
