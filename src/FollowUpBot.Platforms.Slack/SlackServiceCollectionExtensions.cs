using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Observability;
using FollowUpBot.Platforms.Kit;
using FollowUpBot.Platforms.Kit.Http;
using FollowUpBot.Platforms.Slack;
using FollowUpBot.Platforms.Slack.HttpMode;
using FollowUpBot.Platforms.Slack.Inbound;
using FollowUpBot.Platforms.Slack.Outbound;
using FollowUpBot.Platforms.Slack.SocketMode;
using FollowUpBot.Platforms.Slack.WebApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class SlackServiceCollectionExtensions
{
    /// <summary>
    /// The Slack adapter: options from section "Slack" (validated at start), the Web API client with its rate
    /// limiter, the <see cref="IChatPlatform"/> named "slack" and, in socket mode, the Socket Mode connections.
    /// HTTP mode also needs <c>app.MapSlackEndpoints()</c> on the host's web server.
    /// </summary>
    public static IServiceCollection AddSlackPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SlackOptions>().Bind(configuration.GetSection(SlackOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>());

        services.AddPlatformKit();
        services.TryAddSingleton<SlackRateLimiter>();
        services.TryAddSingleton<SlackApiClient>();
        services.TryAddSingleton<SlackMembers>();
        services.TryAddSingleton<RedeliveryFilter>();
        services.TryAddSingleton<DirectMessageChannels>();
        services.TryAddSingleton<SlackFileUploads>();
        services.TryAddSingleton<SlackChatPlatform>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatPlatform, SlackChatPlatform>(sp => sp.GetRequiredService<SlackChatPlatform>()));
        services.TryAddSingleton<SlackResponder>();
        services.TryAddSingleton<SlackInbound>();
        services.TryAddSingleton<SlackSignatureVerifier>();

        // Socket Mode only when asked for; HTTP mode is served by MapSlackEndpoints on the host's web server.
        var mode = configuration.GetSection(SlackOptions.Section).GetValue<SlackMode?>(nameof(SlackOptions.Mode)) ?? SlackMode.Socket;
        if (mode == SlackMode.Socket)
        {
            services.TryAddSingleton<SocketModeService>();
            services.AddHostedService(sp => sp.GetRequiredService<SocketModeService>());
        }
        else services.AddHostedService<SlackTokenCheck>();
        services.TryAddSingleton<SlackHealth>();
        services.TryAddSingleton<SlackHttpLogger>();
        services.AddHealthChecks().AddCheck<SlackHealth>(SlackHealth.Name, timeout: TimeSpan.FromSeconds(10));
        services.TryAddKeyedSingleton(SlackApiClient.HttpClientName, (sp, _) =>
            new PlatformCalls("slack", sp.GetService<BotMetrics>() ?? new BotMetrics(), sp.GetRequiredService<TransportClock>()));
        services.AddHttpClient(SlackApiClient.HttpClientName, (sp, http) =>
        {
            var options = sp.GetRequiredService<IOptions<SlackOptions>>().Value;
            var baseUrl = options.ApiBaseUrl.ToString();
            http.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
            http.Timeout = Timeout.InfiniteTimeSpan; // per attempt, in the retry pipeline: this one would cover every try
        })
        // Fixed in the pipeline, not by log levels: the default logger would write response_url and upload URLs.
        .RemoveAllLoggers().AddLogger<SlackHttpLogger>()
        // Outermost first: the token, then the retries, then per attempt the pacing and the count.
        .AddHttpMessageHandler(sp => new SlackAuthHandler(sp.GetRequiredService<IOptions<SlackOptions>>(), sp.GetRequiredService<FatalStop>()))
        .AddPlatformRetry(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SlackOptions>>().Value;
            return new PlatformRetryOptions(options.MaxRetries, options.RetryBackoff, options.RequestTimeout)
            {
                // ok:false internal_error, ratelimited and the like come with HTTP 200.
                RetryAnswer = async response => await SlackRequest.ErrorOfAsync(response) is { } error
                    && SlackErrors.Classify(error) == PlatformErrorKind.Retryable,
            };
        })
        .AddHttpMessageHandler(sp => new SlackRateLimitHandler(sp.GetRequiredService<SlackRateLimiter>(),
            sp.GetRequiredKeyedService<PlatformCalls>(SlackApiClient.HttpClientName), sp.GetRequiredService<TransportClock>()))
        .AddHttpMessageHandler(sp => new PlatformCallsHandler(sp.GetRequiredKeyedService<PlatformCalls>(SlackApiClient.HttpClientName), SlackRequest.NameOf));
        return services;
    }
}
