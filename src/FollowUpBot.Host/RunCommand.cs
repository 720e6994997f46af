using System.CommandLine;
using FollowUpBot.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
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

    public static Command Create(HostTerminal terminal, IReadOnlyList<IPlatformModule> platforms)
    {
        var command = new Command("run", $"Start every configured chat platform ({ConfiguredPlatforms.Settings(platforms)}). "
            + "With none, chat in the console if this is a terminal. The default command.");
        command.SetAction(BotCommandLine.Guarded(terminal, RunAsync(terminal, platforms)));
        return command;
    }

    public static Func<ParseResult, CancellationToken, Task<int>> RunAsync(HostTerminal terminal, IReadOnlyList<IPlatformModule> platforms) =>
        async (parsed, cancellationToken) =>
        {
            var config = BotConfigFolder.Resolve(parsed.GetValue(BotCommandLine.Config));
            if (ConfiguredPlatforms.From(config.BuildConfiguration(), platforms).None)
            {
                if (!terminal.IsInteractive) throw new StartupProblem(ConfiguredPlatforms.HowToConfigure(platforms));
                var settings = ConsoleCommand.Check(ConsoleSettings.DefaultDatabase, now: null, zoneId: null);
                return await ConsoleCommand.ChatAsync(terminal, config, settings, platforms, cancellationToken);
            }
            return await ServeAsync(config, platforms, cancellationToken);
        };

    private static async Task<int> ServeAsync(BotConfigFolder config, IReadOnlyList<IPlatformModule> platforms, CancellationToken cancellationToken)
    {
        var playbook = config.LoadPlaybook();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.AddBotProcess(config, platforms: platforms);
        // Each configured platform registers its options, its IChatPlatform, its connection and its health check.
        builder.AddFollowUpBot(new BotSetup(playbook) { Platforms = platforms });
        builder.AddBotTelemetry(prometheus: true);
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseUrls(Urls(builder.Configuration));
        builder.Services.AddRoutingCore();

        await using var app = builder.Build();
        app.MapBotHealth();
        if (Telemetry.ServesPrometheus(builder.Configuration)) app.MapPrometheusScrapingEndpoint("/metrics");
        // HTTP modes: platforms that push interactions to a public URL instead of a socket.
        app.MapPlatforms();
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
