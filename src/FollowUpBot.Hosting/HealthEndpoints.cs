using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FollowUpBot.Hosting;

/// <summary>
/// <c>/healthz/live</c>: the process answers (no check runs). <c>/healthz/ready</c> and <c>/healthz</c>: every part's
/// check (database, scheduler, each chat platform) runs now; 200 when all pass, 503 naming each part that does not,
/// as one JSON object. Used by the Dockerfile's and docker-compose's health checks.
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapBotHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        var ready = new HealthCheckOptions { ResponseWriter = WriteAsync };
        app.MapHealthChecks("/healthz/ready", ready);
        app.MapHealthChecks("/healthz", ready);
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var body = new HealthBody(
            report.Status == HealthStatus.Healthy ? "healthy" : "unhealthy",
            report.Entries.Select(e => new HealthEntry(e.Key, e.Value.Status == HealthStatus.Healthy,
                e.Value.Description ?? e.Value.Exception?.Message)).ToList());
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <summary>The health endpoints' body: the overall status and one entry per part.</summary>
public sealed record HealthBody(string Status, IReadOnlyList<HealthEntry> Checks);

public sealed record HealthEntry(string Name, bool Healthy, string? Detail);
