using FollowUpBot.Core.Playbooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FollowUpBot.Host;

/// <summary>The layers every bot process shares: configuration, logging, Core, storage and scheduling.</summary>
public static class BotComposition
{
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(4);

    public static IHostApplicationBuilder AddFollowUpBot(this IHostApplicationBuilder builder, BotConfigFolder config,
        Playbook playbook, IReadOnlyDictionary<string, string?>? overrides = null,
        Action<IServiceCollection>? beforeScheduling = null)
    {
        config.AddTo(builder.Configuration, overrides);

        // Mistyped values are named in one line before anything is built from them.
        ConfigurationCheck.Run(builder.Configuration);
        builder.Logging.AddBotLogging(builder.Configuration);
        // A stop (Ctrl-C, SIGTERM) finishes within 5 s: work still running then is left to the reconciler.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);

        builder.Services.AddSingleton(playbook);
        builder.Services.AddFollowUpBotCore(builder.Configuration);
        builder.Services.AddFollowUpBotCharts();
        builder.Services.AddFollowUpBotStorage(builder.Configuration);
        // Hosted services start in registration order: whatever must be in place before the scheduler starts
        // delivering (and after the database is migrated) goes here.
        beforeScheduling?.Invoke(builder.Services);
        builder.Services.AddFollowUpBotScheduling(builder.Configuration);
        return builder;
    }
}
