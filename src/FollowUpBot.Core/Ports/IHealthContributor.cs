namespace FollowUpBot.Core.Ports;

/// <summary>One part's answer to "are you working?": the database reachable, the scheduler started, a platform connected.</summary>
public sealed record HealthStatus(string Name, bool Healthy, string? Detail = null);

/// <summary>
/// A part of the bot that can say whether it works, for the health endpoint. A chat platform adapter implements it on
/// its IChatPlatform to report its connection; a platform that does not is counted as connected.
/// </summary>
public interface IHealthContributor
{
    Task<HealthStatus> CheckHealthAsync(CancellationToken cancellationToken);
}
