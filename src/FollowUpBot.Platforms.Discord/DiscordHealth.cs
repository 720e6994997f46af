using FollowUpBot.Core.Observability;
using FollowUpBot.Platforms.Discord.Gateway;
using FollowUpBot.Platforms.Discord.Rest;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Discord;

/// <summary>
/// Discord serves this instance: in gateway mode a session is READY and heartbeats are answered; in HTTP mode the
/// last REST call got an answer (Discord pushes interactions, so the REST API is what the bot itself depends on).
/// </summary>
internal sealed class DiscordHealth(
    DiscordGateway gateway, DiscordRestClient rest, DiscordFatalError fatal, DiscordTransportClock clock, IOptions<DiscordOptions> options)
    : IHealthCheck
{
    public const string Name = "platform:discord";

    /// <summary>Discord answers a heartbeat within a second or two; this long without an ACK is a dead session.</summary>
    public static readonly TimeSpan AckOverdueAfter = TimeSpan.FromSeconds(15);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        if (fatal.HasStopped) return HealthCheckResult.Unhealthy($"stopped: {fatal.Reason}");
        var o = options.Value;
        if (o.Mode == DiscordMode.Http)
        {
            var (healthy, detail) = await PlatformCallHealth.JudgeAsync(rest.Calls, clock.Time,
                token => rest.SendAsync(DiscordRoutes.CurrentApplication(), null, token), cancellationToken);
            return healthy ? HealthCheckResult.Healthy($"HTTP mode, {detail}") : HealthCheckResult.Unhealthy($"HTTP mode, {detail}");
        }

        var shard = $"shard {o.ShardId} of {o.ShardCount}";
        if (!gateway.IsReady)
        {
            // While the first connection is still being tried, the REST call it waits on says why.
            var problem = gateway.LastProblem ?? (rest.Calls.Last is { Answered: false } call ? call.Detail : null);
            return HealthCheckResult.Unhealthy($"gateway not connected ({shard})" + (problem is null ? "" : $": {problem}"));
        }
        var now = clock.Time.GetUtcNow();
        if (gateway.HeartbeatUnansweredSince is { } since && now - since > AckOverdueAfter)
            return HealthCheckResult.Unhealthy($"gateway heartbeat unanswered for {(now - since).TotalSeconds:0} s ({shard})");
        var ack = gateway.LastAcknowledgedAt is { } at ? $", last heartbeat ACK {(now - at).TotalSeconds:0} s ago" : "";
        return HealthCheckResult.Healthy($"gateway ready ({shard}){ack}");
    }
}
