using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Playbooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Bench;

/// <summary>
/// The bot's composition as shipped (Core + storage + Quartz persistent store in a generic host) with a fake chat
/// platform and a chosen clock, so the scenarios measure the real wiring rather than a copy of it.
/// </summary>
internal static class BenchHost
{
    public static IHost Build(string folder, string connectionString, TimeProvider clock, IChatPlatform platform,
        string provider = "Sqlite")
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [], ContentRootPath = folder, EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider,
            ["Storage:ConnectionString"] = connectionString,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton(Playbook.Parse(File.ReadAllText(Path.Combine(BenchPaths.BotConfig, "playbook.json"))));
        builder.Services.AddSingleton(platform);
        builder.Services.AddFollowUpBotCore(builder.Configuration);
        builder.Services.AddFollowUpBotStorage(builder.Configuration);
        builder.Services.AddFollowUpBotScheduling(builder.Configuration);
        return builder.Build();
    }

    public static async Task<IHost> StartAsync(string folder, string connectionString, TimeProvider clock, IChatPlatform platform,
        CancellationToken cancellationToken)
    {
        var host = Build(folder, connectionString, clock, platform);
        await host.StartAsync(cancellationToken);
        return host;
    }
}
