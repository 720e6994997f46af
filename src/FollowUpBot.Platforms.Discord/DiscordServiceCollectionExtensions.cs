using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Observability;
using FollowUpBot.Platforms.Kit;
using FollowUpBot.Platforms.Kit.Http;
using FollowUpBot.Platforms.Discord;
using FollowUpBot.Platforms.Discord.Gateway;
using FollowUpBot.Platforms.Discord.Interactions;
using FollowUpBot.Platforms.Discord.Rest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class DiscordServiceCollectionExtensions
{
    /// <summary>
    /// The Discord adapter: options from the "Discord" section (validated at start), the REST client with its
    /// rate limits, the IChatPlatform "discord", and a hosted service that registers the commands and, in
    /// gateway mode, keeps the gateway connected. In HTTP mode also call <see cref="MapDiscordInteractions"/>.
    /// </summary>
    public static IServiceCollection AddDiscordPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(DiscordBotService))) return services; // added already

        services.AddOptions<DiscordOptions>().Bind(configuration.GetSection(DiscordOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddKeyedSingleton(DiscordRestClient.HttpClientName, (sp, _) =>
            new PlatformCalls("discord", sp.GetService<BotMetrics>() ?? new BotMetrics(), sp.GetRequiredService<TransportClock>()));
        services.TryAddSingleton<DiscordRateLimits>();
        // Request URIs of callbacks and webhooks hold interaction tokens: keep HttpClient's own logging out.
        // Outermost first: the token, then the retries (each attempt cut off after 30 s), then per attempt the rate
        // limits and the count.
        services.AddHttpClient(DiscordRestClient.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers()
            .AddHttpMessageHandler(sp => new DiscordAuthHandler(sp.GetRequiredService<IOptions<DiscordOptions>>(), sp.GetRequiredService<FatalStop>()))
            .AddPlatformRetry(sp => new PlatformRetryOptions(
                Math.Max(0, sp.GetRequiredService<IOptions<DiscordOptions>>().Value.MaxRestAttempts - 1),
                DiscordRestClient.RetryBackoff, TimeSpan.FromSeconds(30)))
            .AddHttpMessageHandler(sp => new DiscordRateLimitHandler(sp.GetRequiredService<DiscordRateLimits>(),
                sp.GetRequiredService<IOptions<DiscordOptions>>(), sp.GetRequiredKeyedService<PlatformCalls>(DiscordRestClient.HttpClientName),
                sp.GetRequiredService<ILogger<DiscordRateLimitHandler>>()))
            .AddHttpMessageHandler(sp => new PlatformCallsHandler(sp.GetRequiredKeyedService<PlatformCalls>(DiscordRestClient.HttpClientName),
                DiscordRequest.NameOf, DiscordRequest.DescribeAsync));

        services.AddPlatformKit();
        services.TryAddSingleton<DiscordApplication>();
        services.TryAddSingleton<DiscordRestClient>();
        services.TryAddSingleton<DiscordChatPlatform>();
        services.TryAddSingleton<FormSessions>();
        services.TryAddSingleton<CoachRule>();
        services.TryAddSingleton<InteractionHandler>();
        services.TryAddSingleton<DiscordShards>();
        services.TryAddSingleton<DiscordSignatureVerifier>();
        services.TryAddSingleton<DiscordBotService>();
        services.AddSingleton<IChatPlatform>(sp => sp.GetRequiredService<DiscordChatPlatform>());
        services.AddHostedService(sp => sp.GetRequiredService<DiscordBotService>());
        services.TryAddSingleton<DiscordHealth>();
        services.AddHealthChecks().AddCheck<DiscordHealth>(DiscordHealth.Name, timeout: TimeSpan.FromSeconds(10));
        return services;
    }

    /// <summary>POST /discord/interactions for Discord's "Interactions Endpoint URL" (HTTP mode).</summary>
    public static IEndpointConventionBuilder MapDiscordInteractions(this IEndpointRouteBuilder endpoints, string pattern = "/discord/interactions") =>
        endpoints.MapPost(pattern, (Func<HttpContext, Task<IResult>>)DiscordInteractionEndpoint.HandleAsync);
}
