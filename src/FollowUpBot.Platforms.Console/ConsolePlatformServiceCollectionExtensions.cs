using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Startup;
using FollowUpBot.Platforms.Console;

namespace Microsoft.Extensions.DependencyInjection;

public static class ConsolePlatformServiceCollectionExtensions
{
    /// <summary>
    /// Its start-up step stores the member's --time-zone (<see cref="StartStage.Prepare"/>), which the deliveries made
    /// at start must already see.
    /// The terminal chat platform (named "console", one member: the person at the keyboard) and the chat loop,
    /// <see cref="ConsoleChat"/>, which the host runs once started.
    /// </summary>
    public static IServiceCollection AddConsolePlatform(this IServiceCollection services, ConsoleTerminal terminal)
    {
        services.AddSingleton(terminal);
        services.AddSingleton<ButtonNumbers>();
        services.AddSingleton<ConsoleRenderer>();
        services.AddSingleton(new ConsoleOutbox(terminal.OutboxPath));
        services.AddSingleton<ConsoleMailbox>();
        services.AddSingleton<ConsoleClock>();
        services.AddSingleton<ConsoleChatPlatform>();
        services.AddSingleton<IChatPlatform>(sp => sp.GetRequiredService<ConsoleChatPlatform>());
        services.AddSingleton<ConsoleChat>();
        services.AddStartStep<ConsoleMemberZone>();
        return services;
    }
}
