using FollowUpBot.Hosting;
using FollowUpBot.Platforms.Slack.Inbound;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FollowUpBot.Platforms.Slack;

/// <summary>
/// Slack for the host: on when Slack:BotToken is set with Slack:AppToken (Socket Mode), or with Slack:Mode http, which
/// receives Slack's requests instead and does without the app-level token (/slack/commands, /slack/interactions,
/// /slack/events); health as <see cref="SlackHealth"/>.
/// </summary>
public sealed class SlackModule : IPlatformModule
{
    public string Name => SlackMembers.Platform;

    public string HealthCheckName => SlackHealth.Name;

    public string HowToConfigure => "Slack set FOLLOWUPBOT_Slack__BotToken and FOLLOWUPBOT_Slack__AppToken (see docs/slack.md)";

    public IReadOnlyList<OptionsSection> Options { get; } = [new(SlackOptions.Section, typeof(SlackOptions))];

    public bool IsConfigured(IConfiguration configuration) =>
        Has(configuration, "Slack:BotToken") && (Has(configuration, "Slack:AppToken") || IsHttp(configuration));

    public void Add(IServiceCollection services, IConfiguration configuration) => services.AddSlackPlatform(configuration);

    public void Map(IEndpointRouteBuilder endpoints, IConfiguration configuration)
    {
        if (IsHttp(configuration)) endpoints.MapSlackEndpoints();
    }

    private static bool IsHttp(IConfiguration configuration) =>
        string.Equals(configuration["Slack:Mode"], "http", StringComparison.OrdinalIgnoreCase);

    private static bool Has(IConfiguration configuration, string key) => !string.IsNullOrWhiteSpace(configuration[key]);
}
