using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Ports;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Core.Dashboard;

/// <summary>A browser session a link opened: its token goes in the cookie, once.</summary>
public sealed record DashboardSession(long CoachMemberId, string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// The coaches' web view behind its pages: one-time links, sessions bound to one coach, and the coach's numbers read
/// afresh for every page, so a member's new level or their leaving shows on the next page load. A coach only ever
/// reaches cohorts they created; anyone else's looks exactly like a missing one.
/// </summary>
public sealed class CoachDashboard(
    IDashboardAccessRepository access,
    ICohortRepository cohorts,
    CohortActivityReader activity,
    IOptions<DashboardOptions> options,
    TimeProvider time)
{
    public const string LoginPath = "/dashboard/login";

    public bool Enabled => options.Value.Enabled;

    public DashboardOptions Options => options.Value;

    /// <summary>
    /// A new one-time link for the coach. The token rides in the fragment (after '#'), which browsers never send:
    /// it stays out of every server's and proxy's request log, and a chat's link preview cannot use it up.
    /// </summary>
    public async Task<(Uri Link, DateTimeOffset ExpiresAt)> CreateLinkAsync(long coachMemberId, CancellationToken cancellationToken)
    {
        if (options.Value.BaseUri is not { } site) throw new InvalidOperationException("The web view is off: Dashboard:PublicUrl is not set.");
        var now = time.GetUtcNow();
        var token = DashboardTokens.New();
        var expires = now + options.Value.LinkLifetime;
        await access.AddLinkAsync(DashboardTokens.Hash(token), coachMemberId, now, expires, cancellationToken);
        return (new Uri($"{site.GetLeftPart(UriPartial.Authority)}{LoginPath}#{token}"), expires);
    }

    /// <summary>Uses the link up and opens a session, or null when the link is unknown, expired or already used.</summary>
    public async Task<DashboardSession?> RedeemAsync(string? linkToken, CancellationToken cancellationToken)
    {
        if (!DashboardTokens.LooksValid(linkToken)) return null;
        var now = time.GetUtcNow();
        var session = DashboardTokens.New();
        var expires = now + options.Value.SessionLifetime;
        var coach = await access.RedeemLinkAsync(DashboardTokens.Hash(linkToken!), DashboardTokens.Hash(session), now, expires, cancellationToken);
        return coach is { } id ? new DashboardSession(id, session, expires) : null;
    }

    /// <summary>The coach of a live session, or null.</summary>
    public async Task<long?> CoachOfAsync(string? sessionToken, CancellationToken cancellationToken) =>
        DashboardTokens.LooksValid(sessionToken)
            ? await access.FindSessionAsync(DashboardTokens.Hash(sessionToken!), time.GetUtcNow(), cancellationToken)
            : null;

    public Task EndSessionAsync(string? sessionToken, CancellationToken cancellationToken) =>
        DashboardTokens.LooksValid(sessionToken) ? access.EndSessionAsync(DashboardTokens.Hash(sessionToken!), cancellationToken) : Task.CompletedTask;

    public Task<IReadOnlyList<Cohort>> CohortsOfAsync(long coachMemberId, CancellationToken cancellationToken) =>
        cohorts.ListByCoachAsync(coachMemberId, cancellationToken);

    /// <summary>The numbers of a cohort this coach created, read now; null for any other cohort or a missing one.</summary>
    public async Task<CoachNumbers?> NumbersAsync(long coachMemberId, long cohortId, CancellationToken cancellationToken)
    {
        var cohort = await cohorts.GetAsync(cohortId, cancellationToken);
        if (cohort is null || cohort.CoachMemberId != coachMemberId) return null;
        if (!ZonedTime.TryFindZone(cohort.TimeZoneId, out var zone)) zone = TimeZoneInfo.Utc;
        return CoachNumbers.Build(cohort, await activity.ReadAsync(cohort.Id, cancellationToken), time.GetUtcNow(), zone);
    }
}
