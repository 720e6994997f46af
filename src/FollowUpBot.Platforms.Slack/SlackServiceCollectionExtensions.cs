using FollowUpBot.Core.Delivery;
using FollowUpBot.Platforms.Slack;
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

        services.TryAddKeyedSingleton(SlackClock.Key, TimeProvider.System);
        services.TryAddSingleton<IExitCodeSink, EnvironmentExitCodeSink>();
        services.TryAddSingleton<SlackFatalStop>();
        services.TryAddSingleton<SlackRateLimiter>();
        services.TryAddSingleton<SlackApiClient>();
        services.AddHttpClient(SlackApiClient.HttpClientName, (sp, http) =>
        {
            var options = sp.GetRequiredService<IOptions<SlackOptions>>().Value;
            var baseUrl = options.ApiBaseUrl.ToString();
            http.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
            http.Timeout = options.RequestTimeout;
        });
        return services;
    }
}
