using FollowUpBot.Core.Playbooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace FollowUpBot.Host;

/// <summary>The layers every bot process shares: configuration, logging, Core, storage and scheduling.</summary>
public static class BotComposition
{
    public static IHostApplicationBuilder AddFollowUpBot(this IHostApplicationBuilder builder, BotConfigFolder config,
        Playbook playbook, IReadOnlyDictionary<string, string?>? overrides = null,
        Action<IServiceCollection>? beforeScheduling = null)
    {
        config.AddTo(builder.Configuration, overrides);

        // stdout belongs to the chat and to `plan`'s JSON: every log line goes to stderr.
        builder.Logging.ClearProviders();
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

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
