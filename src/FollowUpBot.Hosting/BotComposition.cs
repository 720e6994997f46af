using FollowUpBot.Core.Playbooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace FollowUpBot.Hosting;

/// <summary>What differs between one way of running the bot and another; the rest is the one composition.</summary>
/// <param name="Playbook">The playbook (the Host reads bot-config/playbook.json).</param>
public sealed record BotSetup(Playbook Playbook)
{
    /// <summary>The chat platforms this bot knows: each one whose settings are present is added.</summary>
    public IReadOnlyList<IPlatformModule> Platforms { get; init; } = [];

    /// <summary>The bot's clock (a simulated one for the console's --now, tests and benchmarks); the system clock otherwise.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>
    /// Services added after the composition, so that a single service registered here takes the place of the
    /// composition's own (a recording chat platform, a test's HTTP handler, the console's terminal).
    /// </summary>
    public Action<IServiceCollection>? Services { get; init; }
}

/// <summary>
/// The bot as every process builds it: Core, charts, storage, scheduling and the configured chat platforms, started
/// in the order <see cref="FollowUpBot.Core.Startup.StartSequence"/> states (migrate, prepare, reconcile; then the
/// scheduler delivers and the platforms connect). The Host adds its configuration, logging and web server around it;
/// tests and benchmarks add their settings and fakes.
/// </summary>
public static class BotComposition
{
    public static IHostApplicationBuilder AddFollowUpBot(this IHostApplicationBuilder builder, BotSetup setup)
    {
        builder.Services.AddFollowUpBot(builder.Configuration, setup);
        return builder;
    }

    public static IServiceCollection AddFollowUpBot(this IServiceCollection services, IConfiguration configuration, BotSetup setup)
    {
        if (setup.Clock is { } clock)
        {
            // First, so the layers' TryAdd of the system clock leaves it alone.
            services.AddSingleton(clock);
            if (clock.GetType() != typeof(TimeProvider)) services.AddSingleton(clock.GetType(), clock);
        }
        services.AddSingleton(setup.Playbook);
        services.AddFollowUpBotCore(configuration);
        services.AddFollowUpBotCharts();
        services.AddFollowUpBotStorage(configuration);
        services.AddFollowUpBotScheduling(configuration);

        var platforms = ConfiguredPlatforms.From(configuration, setup.Platforms);
        services.AddSingleton(platforms);
        foreach (var module in platforms.Modules)
        {
            module.Add(services, configuration);
            // The module's health check is part of its contract: a module without one fails at start, naming it.
            var check = module.HealthCheckName;
            services.AddOptions<HealthCheckServiceOptions>()
                .Validate(o => o.Registrations.Any(r => r.Name == check),
                    $"The platform module '{module.Name}' registered no health check named '{check}'.")
                .ValidateOnStart();
        }
        setup.Services?.Invoke(services);
        return services;
    }
}
