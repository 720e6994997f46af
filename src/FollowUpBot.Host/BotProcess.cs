using FollowUpBot.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FollowUpBot.Host;

/// <summary>
/// What a <c>followupbot</c> process puts around the shared composition (<see cref="BotComposition.AddFollowUpBot(IHostApplicationBuilder, BotSetup)"/>):
/// configuration from the bot-config folder and the environment, checked; its logging; its stop deadline.
/// </summary>
public static class BotProcess
{
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(4);

    public static IHostApplicationBuilder AddBotProcess(this IHostApplicationBuilder builder, BotConfigFolder config,
        IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyList<IPlatformModule>? platforms = null)
    {
        config.AddTo(builder.Configuration, overrides);

        // Mistyped values are named in one line before anything is built from them.
        ConfigurationCheck.Run(builder.Configuration, platforms ?? PlatformModules.All);
        builder.Logging.AddBotLogging(builder.Configuration);
        // A stop (Ctrl-C, SIGTERM) finishes within 5 s: work still running then is left to the reconciler.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        return builder;
    }
}
