using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Playbooks;
using FollowUpBot.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Bench;

/// <summary>
/// The bot's composition as shipped (AddFollowUpBot in a generic host) with a chosen clock and either a fake chat
/// platform or the platform modules in <c>platforms</c> (those configured), so the scenarios measure the real wiring
/// rather than a copy of it. FOLLOWUPBOT_BENCH_METRICS=on attaches the metrics exporter the host runs with
/// (OpenTelemetry, Prometheus), so a scenario run with and without it shows what recording the metrics costs.
/// </summary>
internal static class BenchHost
{
    public static bool MetricsOn => string.Equals(Environment.GetEnvironmentVariable("FOLLOWUPBOT_BENCH_METRICS"), "on", StringComparison.OrdinalIgnoreCase);

    public static IHost Build(BenchDatabase database, TimeProvider clock, IChatPlatform? platform,
        IReadOnlyDictionary<string, string?>? settings = null, IReadOnlyList<IPlatformModule>? platforms = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [], ContentRootPath = database.Folder, EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = database.Provider,
            ["Storage:ConnectionString"] = database.ConnectionString,
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.AddFollowUpBot(new BotSetup(Playbook.Parse(File.ReadAllText(Path.Combine(BenchPaths.BotConfig, "playbook.json"))))
        {
            Clock = clock,
            Platforms = platforms ?? [],
            Services = collection =>
            {
                if (platform is not null) collection.AddSingleton(platform);
                services?.Invoke(collection);
            },
        });
        if (MetricsOn) builder.AddBotTelemetry(prometheus: true);
        return builder.Build();
    }

    public static async Task<IHost> StartAsync(BenchDatabase database, TimeProvider clock, IChatPlatform? platform,
        CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? settings = null,
        IReadOnlyList<IPlatformModule>? platforms = null, Action<IServiceCollection>? services = null)
    {
        var host = Build(database, clock, platform, settings, platforms, services);
        await host.StartAsync(cancellationToken);
        return host;
    }
}
