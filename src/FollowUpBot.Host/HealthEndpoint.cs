using System.Text.Json;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Ports;
using Microsoft.AspNetCore.Http;

namespace FollowUpBot.Host;

/// <summary>
/// <c>GET /healthz</c>: the database reachable, the scheduler started, each chat platform connected. 200 when all
/// are, 503 otherwise, with one JSON line per part so an operator sees which. Used by docker-compose's health check.
/// </summary>
public static class HealthEndpoint
{
    /// <summary>A check slower than this counts as failed: a health probe must answer, not hang.</summary>
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static async Task<IResult> HandleAsync(IEnumerable<IHealthContributor> contributors, IEnumerable<IChatPlatform> platforms,
        CancellationToken cancellationToken)
    {
        var report = await ReportAsync(contributors, platforms, cancellationToken);
        return Results.Json(report, JsonOptions, statusCode: report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    public static async Task<HealthReport> ReportAsync(IEnumerable<IHealthContributor> contributors, IEnumerable<IChatPlatform> platforms,
        CancellationToken cancellationToken)
    {
        var platformList = platforms.ToList();
        var checks = contributors.Concat(platformList.OfType<IHealthContributor>()).Distinct().ToList();
        var results = await Task.WhenAll(checks.Select(c => CheckAsync(c, cancellationToken)));
        // A platform without a health check of its own (the console, for one) is connected while the bot runs.
        var assumed = platformList.Where(p => p is not IHealthContributor)
            .Select(p => new HealthStatus($"platform:{p.Name}", true, "no connection to check"));
        var all = results.Concat(assumed).ToList();
        return new HealthReport(all.All(s => s.Healthy) ? "healthy" : "unhealthy", all);
    }

    private static async Task<HealthStatus> CheckAsync(IHealthContributor contributor, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            return await contributor.CheckHealthAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthStatus(contributor.GetType().Name, false, $"no answer within {CheckTimeout.TotalSeconds:0} s");
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

/// <summary>The health endpoint's body.</summary>
public sealed record HealthReport(string Status, IReadOnlyList<HealthStatus> Checks)
{
    public bool Healthy => Status == "healthy";
}
