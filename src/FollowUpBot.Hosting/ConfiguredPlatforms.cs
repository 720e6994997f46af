using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FollowUpBot.Hosting;

/// <summary>The platform modules whose settings are present (the values themselves are never kept).</summary>
public sealed class ConfiguredPlatforms(IReadOnlyList<IPlatformModule> modules)
{
    public IReadOnlyList<IPlatformModule> Modules { get; } = modules;

    public bool None => Modules.Count == 0;

    public static ConfiguredPlatforms From(IConfiguration configuration, IEnumerable<IPlatformModule> modules) =>
        new(modules.Where(m => m.IsConfigured(configuration)).ToList());

    /// <summary>What to set when no platform is configured: each module's own sentence, then the console.</summary>
    public static string HowToConfigure(IEnumerable<IPlatformModule> modules)
    {
        var each = Settings(modules);
        return "No chat platform is configured. "
            + (each.Length == 0 ? "" : char.ToUpperInvariant(each[0]) + each[1..] + ". ")
            + "To try the bot locally, run `followupbot console`.";
    }

    /// <summary>"for Discord set ... (see docs/discord.md); for Slack set ...": what turns each platform on.</summary>
    public static string Settings(IEnumerable<IPlatformModule> modules) =>
        string.Join("; ", modules.Select(m => "for " + m.HowToConfigure));
}

public static class PlatformEndpoints
{
    /// <summary>The endpoints of every configured platform (those in HTTP mode receive requests here).</summary>
    public static IEndpointRouteBuilder MapPlatforms(this IEndpointRouteBuilder endpoints)
    {
        var configuration = endpoints.ServiceProvider.GetRequiredService<IConfiguration>();
        foreach (var module in endpoints.ServiceProvider.GetRequiredService<ConfiguredPlatforms>().Modules)
            module.Map(endpoints, configuration);
        return endpoints;
    }
}
