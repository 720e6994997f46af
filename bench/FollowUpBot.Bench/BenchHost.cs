using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Playbooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Bench;

/// <summary>
/// The bot's composition as shipped (Core + storage + Quartz persistent store in a generic host) with a chosen clock
/// and either a fake chat platform or a real adapter added by <c>platforms</c>, so the scenarios measure the real
/// wiring rather than a copy of it.
/// </summary>
internal static class BenchHost
{
    public static IHost Build(BenchDatabase database, TimeProvider clock, IChatPlatform? platform,
        IReadOnlyDictionary<string, string?>? settings = null, Action<IConfiguration, IServiceCollection>? platforms = null)
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
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton(Playbook.Parse(File.ReadAllText(Path.Combine(BenchPaths.BotConfig, "playbook.json"))));
        if (platform is not null) builder.Services.AddSingleton(platform);
        platforms?.Invoke(builder.Configuration, builder.Services);
        builder.Services.AddFollowUpBotCore(builder.Configuration);
        builder.Services.AddFollowUpBotStorage(builder.Configuration);
        builder.Services.AddFollowUpBotScheduling(builder.Configuration);
        return builder.Build();
    }

    public static async Task<IHost> StartAsync(BenchDatabase database, TimeProvider clock, IChatPlatform? platform,
        CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IConfiguration, IServiceCollection>? platforms = null)
    {
        var host = Build(database, clock, platform, settings, platforms);
        await host.StartAsync(cancellationToken);
        return host;
    }
}
