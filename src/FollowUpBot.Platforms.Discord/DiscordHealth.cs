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
    DiscordShards shards, DiscordRestClient rest, FatalStop fatal, TransportClock clock, IOptions<DiscordOptions> options)
    : IHealthCheck
{
    public const string Name = "platform:discord";

    /// <summary>Discord answers a heartbeat within a second or two; this long without an ACK is a dead session.</summary>
    public static readonly TimeSpan AckOverdueAfter = TimeSpan.FromSeconds(15);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        if (fatal.IsStopped) return HealthCheckResult.Unhealthy($"stopped: {fatal.Reason}");
        var o = options.Value;
        if (o.Mode == DiscordMode.Http)
        {
            var (healthy, detail) = await PlatformCallHealth.JudgeAsync(rest.Calls, clock.Time,
                token => rest.SendAsync(DiscordRoutes.CurrentApplication(), null, token), cancellationToken);
            return healthy ? HealthCheckResult.Healthy($"HTTP mode, {detail}") : HealthCheckResult.Unhealthy($"HTTP mode, {detail}");
        }

        var now = clock.Time.GetUtcNow();
        var gateways = shards.Gateways;
        if (!shards.UsesLeases)
        {
            var only = gateways.FirstOrDefault();
            return Judge(only, $"shard {shards.PinnedShard} of {o.ShardCount}", now) ?? HealthCheckResult.Healthy($"gateway ready (shard {shards.PinnedShard} of {o.ShardCount}){Ack(only!, now)}");
        }

        var view = shards.LeaseView;
        var leaseProblem = view.Problem is null ? "" : $"; lease store: {view.Problem}";
        if (gateways.Count > 0)
        {
            foreach (var gateway in gateways)
                if (Judge(gateway, $"shard {gateway.ShardId} of {o.ShardCount}, leased", now) is { } unhealthy) return unhealthy;
            var held = string.Join(", ", gateways.Select(g => g.ShardId));
            return HealthCheckResult.Healthy($"gateway ready (shard{(gateways.Count > 1 ? "s" : "")} {held} of {o.ShardCount}, leased by {shards.HolderId}){Ack(gateways[0], now)}{leaseProblem}");
        }

        // Holding no shard is right when the other instances hold them all: this one stands by to take over.
        if (view.ReadAt is not { } readAt || now - readAt > o.ShardLeaseDuration)
            return HealthCheckResult.Unhealthy($"holding no Discord shard, and the shard leases could not be read{(view.Problem is null ? " yet" : $": {view.Problem}")}");
        var live = view.Leases.Where(l => l.ExpiresAt > now && l.Holder != shards.HolderId).ToList();
        var free = Enumerable.Range(0, o.ShardCount).Where(s => live.All(l => l.Resource != DiscordShards.Resource(s, o.ShardCount))).ToList();
        if (free.Count > 0)
            return HealthCheckResult.Unhealthy($"holding no Discord shard while shard{(free.Count > 1 ? "s" : "")} {string.Join(", ", free)} of {o.ShardCount} {(free.Count > 1 ? "are" : "is")} free; claiming{leaseProblem}");
        return HealthCheckResult.Healthy($"standing by: all {o.ShardCount} Discord shard(s) are held by other instances ({string.Join(", ", live.Select(l => l.Holder).Distinct().Order(StringComparer.Ordinal))}); " +
                                         $"this instance ({shards.HolderId}) takes one over if its holder stops renewing");
    }

    /// <summary>Unhealthy when the connection has no READY session or its heartbeat goes unanswered; null when it is fine.</summary>
    private HealthCheckResult? Judge(DiscordGateway? gateway, string shard, DateTimeOffset now)
    {
        if (gateway is null || !gateway.IsReady)
        {
            // While the first connection is still being tried, the REST call it waits on says why.
            var problem = gateway?.LastProblem ?? (rest.Calls.Last is { Answered: false } call ? call.Detail : null);
            return HealthCheckResult.Unhealthy($"gateway not connected ({shard})" + (problem is null ? "" : $": {problem}"));
        }
        if (gateway.HeartbeatUnansweredSince is { } since && now - since > AckOverdueAfter)
            return HealthCheckResult.Unhealthy($"gateway heartbeat unanswered for {(now - since).TotalSeconds:0} s ({shard})");
        return null;
    }

    private static string Ack(DiscordGateway gateway, DateTimeOffset now) =>
        gateway.LastAcknowledgedAt is { } at ? $", last heartbeat ACK {(now - at).TotalSeconds:0} s ago" : "";
}
