using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FollowUpBot.Hosting;

/// <summary>
/// One chat platform as the host sees it: whether its settings are there, what it registers, what it serves over
/// HTTP, the health check that says whether it works, and one sentence on how to turn it on. The host keeps a list
/// of modules (one line per platform) and never names a platform otherwise.
/// </summary>
public interface IPlatformModule
{
    /// <summary>The platform's name as member keys, metrics and logs carry it: "discord".</summary>
    string Name { get; }

    /// <summary>The name of the health check <see cref="Add"/> registers: "platform:discord".</summary>
    string HealthCheckName => $"platform:{Name}";

    /// <summary>
    /// Which settings turn the platform on and where its setup is described, as a clause that can follow "for",
    /// e.g. "Discord set FOLLOWUPBOT_Discord__Token (see docs/discord.md)".
    /// </summary>
    string HowToConfigure { get; }

    /// <summary>The options sections the platform binds, checked at start so a mistyped value is named in one line.</summary>
    IReadOnlyList<OptionsSection> Options { get; }

    /// <summary>Whether the settings this platform needs are present (the values are never kept).</summary>
    bool IsConfigured(IConfiguration configuration);

    /// <summary>
    /// Registers the platform: its options (validated at start), its <c>IChatPlatform</c>, the hosted service that
    /// connects it, and the health check named <see cref="HealthCheckName"/>. Called only when configured.
    /// </summary>
    void Add(IServiceCollection services, IConfiguration configuration);

    /// <summary>Maps the endpoints the platform receives requests on (its HTTP mode); nothing when it uses a socket.</summary>
    void Map(IEndpointRouteBuilder endpoints, IConfiguration configuration);
}

/// <summary>A configuration section and the options type it binds to.</summary>
public sealed record OptionsSection(string Name, Type Type);
