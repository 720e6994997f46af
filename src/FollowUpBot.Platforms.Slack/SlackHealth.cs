using FollowUpBot.Core.Observability;
using FollowUpBot.Platforms.Slack.SocketMode;
using FollowUpBot.Platforms.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Slack;

/// <summary>
/// Slack serves this instance: in Socket Mode at least one connection is open (Slack hands envelopes only to open
/// ones); in HTTP mode the last Web API call got an answer.
/// </summary>
internal sealed class SlackHealth(
    IServiceProvider services, SlackApiClient api, FatalStop fatal, IOptions<SlackOptions> options,
    TransportClock time) : IHealthCheck
{
    public const string Name = "platform:slack";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        if (fatal.IsStopped) return HealthCheckResult.Unhealthy($"stopped: {fatal.Reason}");
        if (options.Value.Mode == SlackMode.Http)
        {
            var (healthy, detail) = await PlatformCallHealth.JudgeAsync(api.Calls, time,
                token => api.PostFormAsync("auth.test", new Dictionary<string, string>(), token), cancellationToken);
            return healthy ? HealthCheckResult.Healthy($"HTTP mode, {detail}") : HealthCheckResult.Unhealthy($"HTTP mode, {detail}");
        }

        var open = services.GetService<SocketModeService>()?.OpenConnections ?? 0;
        var wanted = options.Value.SocketConnections;
        if (open > 0) return HealthCheckResult.Healthy($"{open} of {wanted} Socket Mode connections open");
        var last = api.Calls.Last is { } call ? $"; last API call: {(call.Answered ? "" : "no answer, ")}{call.Detail}" : "";
        return HealthCheckResult.Unhealthy($"no Socket Mode connection open{last}");
    }
}
