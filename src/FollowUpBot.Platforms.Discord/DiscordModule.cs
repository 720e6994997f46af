using FollowUpBot.Hosting;
using FollowUpBot.Platforms.Discord.Interactions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FollowUpBot.Platforms.Discord;

/// <summary>
/// Discord for the host: on when Discord:Token is set; the gateway in the default mode, or POST /discord/interactions
/// when Discord:Mode is http; health as <see cref="DiscordHealth"/>.
/// </summary>
public sealed class DiscordModule : IPlatformModule
{
    public string Name => InteractionTranslator.PlatformName;

    public string HealthCheckName => DiscordHealth.Name;

    public string HowToConfigure => "Discord set FOLLOWUPBOT_Discord__Token (see docs/discord.md)";

    public IReadOnlyList<OptionsSection> Options { get; } = [new(DiscordOptions.Section, typeof(DiscordOptions))];

    public bool IsConfigured(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["Discord:Token"]);

    public void Add(IServiceCollection services, IConfiguration configuration) => services.AddDiscordPlatform(configuration);

    public void Map(IEndpointRouteBuilder endpoints, IConfiguration configuration)
    {
        // HTTP mode: Discord pushes interactions to a public URL instead of the gateway.
        if (string.Equals(configuration["Discord:Mode"], "http", StringComparison.OrdinalIgnoreCase)) endpoints.MapDiscordInteractions();
    }
}
