using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Metrics;

namespace FollowUpBot.Host;

/// <summary>
/// <c>followupbot run</c> (the default): every configured chat platform on one web host (Kestrel serves the health
/// endpoint and the platforms' HTTP modes). With none configured, the console chat on an interactive terminal.
/// </summary>
public static class RunCommand
{
    public const string DefaultUrls = "http://localhost:8080";

    public const string HowToConfigure =
        "No chat platform is configured. For Discord set FOLLOWUPBOT_Discord__Token (see docs/discord.md); "
        + "for Slack set FOLLOWUPBOT_Slack__BotToken and FOLLOWUPBOT_Slack__AppToken (see docs/slack.md). "
        + "To try the bot locally, run `followupbot console`.";

    public static Command Create(HostTerminal terminal)
    {
        var command = new Command("run", "Start every configured chat platform (Discord when Discord:Token is set, Slack when "
            + "Slack:BotToken and Slack:AppToken are). With none, chat in the console if this is a terminal. The default command.");
        command.SetAction(BotCommandLine.Guarded(terminal, RunAsync(terminal)));
        return command;
    }

    public static Func<ParseResult, CancellationToken, Task<int>> RunAsync(HostTerminal terminal) => async (parsed, cancellationToken) =>
    {
        var config = BotConfigFolder.Resolve(parsed.GetValue(BotCommandLine.Config));
        var platforms = ConfiguredPlatforms.From(config.BuildConfiguration());
        if (platforms.None)
        {
            if (!terminal.IsInteractive) throw new StartupProblem(HowToConfigure);
            var settings = ConsoleCommand.Check(ConsoleSettings.DefaultDatabase, now: null, zoneId: null);
            return await ConsoleCommand.ChatAsync(terminal, config, settings, cancellationToken);
        }
        return await ServeAsync(config, platforms, cancellationToken);
    };

    private static async Task<int> ServeAsync(BotConfigFolder config, ConfiguredPlatforms platforms, CancellationToken cancellationToken)
    {
        var playbook = config.LoadPlaybook();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.AddFollowUpBot(config, playbook);
        builder.AddBotTelemetry(prometheus: true);
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseUrls(Urls(builder.Configuration));
        builder.Services.AddRoutingCore();

        // Chat platforms: each adapter registers its options, its IChatPlatform and its connection.
        if (platforms.Discord) builder.Services.AddDiscordPlatform(builder.Configuration);
        if (platforms.Slack) builder.Services.AddSlackPlatform(builder.Configuration);

        await using var app = builder.Build();
        app.MapBotHealth();
        if (Telemetry.ServesPrometheus(builder.Configuration)) app.MapPrometheusScrapingEndpoint("/metrics");
        // HTTP modes: platforms that push interactions to a public URL instead of a socket.
        if (platforms.Discord && platforms.DiscordHttpMode) app.MapDiscordInteractions();
        if (platforms.Slack && platforms.SlackHttpMode) app.MapSlackEndpoints();
        // The coaches' web view, when Dashboard:PublicUrl says where it is published.
        if (!string.IsNullOrWhiteSpace(app.Configuration["Dashboard:PublicUrl"])) app.UseCoachDashboard();

        try
        {
            await app.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while starting.
        }
        return Environment.ExitCode;
    }

    /// <summary>Host:Urls, else ASPNETCORE_URLS, else <see cref="DefaultUrls"/>.</summary>
    private static string Urls(IConfiguration configuration) =>
        configuration["Host:Urls"] is { Length: > 0 } urls ? urls
        : Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is { Length: > 0 } aspnet ? aspnet
        : DefaultUrls;
}

/// <summary>Which chat platforms have their credentials configured (the values themselves are never kept).</summary>
public sealed record ConfiguredPlatforms(bool Discord, bool Slack, bool DiscordHttpMode = false, bool SlackHttpMode = false)
{
    public bool None => !Discord && !Slack;

    public static ConfiguredPlatforms From(IConfiguration configuration) => new(
        Discord: Has(configuration, "Discord:Token"),
        // Socket Mode needs the app-level token; HTTP mode receives requests instead and does without it.
        Slack: Has(configuration, "Slack:BotToken") && (Has(configuration, "Slack:AppToken") || IsHttp(configuration, "Slack:Mode")),
        DiscordHttpMode: IsHttp(configuration, "Discord:Mode"),
        SlackHttpMode: IsHttp(configuration, "Slack:Mode"));

    private static bool IsHttp(IConfiguration configuration, string key) =>
        string.Equals(configuration[key], "http", StringComparison.OrdinalIgnoreCase);

    private static bool Has(IConfiguration configuration, string key) => !string.IsNullOrWhiteSpace(configuration[key]);
}
