using Dapper;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Testing;
using static FollowUpBot.Storage.Tests.TestStore;

namespace FollowUpBot.Storage.Tests;

/// <summary>What the coaches' numbers and web view store and read: the cohort in one read, follow-up times, links and sessions.</summary>
public sealed class CoachViewRepositoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Cohort NewCohort(long coachId) =>
        new(0, "Fall 2026", "console", "local", "career-room", coachId, "K7MQ4T", "Europe/Berlin", "mon 09:00", T0);

    [Theory, OnSqlite, OnPostgres]
    public async Task TheCohortIsReadInOneGoWithTheNudgesOfOpenRoundsOnly(string provider)
    {
        using var store = await CreateAsync(provider);
        var coach = await store.AddMemberAsync("coach");
        var ana = await store.AddMemberAsync("ana");
        var bob = await store.AddMemberAsync("bob");
        var outsider = await store.AddMemberAsync("zed");
        var cohort = (await store.Cohorts.TryAddAsync(NewCohort(coach.Id), None))!;
        await store.Cohorts.SaveMembershipAsync(new CohortMembership(cohort.Id, ana.Id, CohortVisibility.FullDetail, "Ana", T0), None);
        await store.Cohorts.SaveMembershipAsync(new CohortMembership(cohort.Id, bob.Id, CohortVisibility.StatusOnly, "Bob", T0), None);
        var (open, openNudges) = await store.AddInterviewAsync(ana.Id, NewNudge(NudgeKind.ThankYou, T0.AddHours(3), "Kim"));
        var (closed, _) = await store.AddInterviewAsync(ana.Id, NewNudge(NudgeKind.FollowUp, T0.AddDays(7)));
        await store.Interviews.UpdateAsync(closed with { Outcome = Outcome.Rejected, OutcomeAt = T0.AddDays(1) }, NudgeChanges.None, None);
        await store.AddInterviewAsync(outsider.Id, NewNudge(NudgeKind.ThankYou, T0.AddHours(3), "Kim"));

        var activity = await store.Reopen().Cohorts.ReadActivityAsync(cohort.Id, None);

        Assert.Equal([ana.Id, bob.Id], activity.Select(a => a.Member.Id));
        Assert.Equal(ana, activity[0].Member);
        Assert.Equal(CohortVisibility.StatusOnly, activity[1].Membership.Visibility);
        Assert.Equal([open.Id, closed.Id], activity[0].Interviews.Select(i => i.Id));
        Assert.Equal(Outcome.Rejected, activity[0].Interviews[1].Outcome);
        Assert.Equal(openNudges.Select(n => n.Id), activity[0].Nudges.Select(n => n.Id));
        Assert.Empty(activity[1].Interviews);
        Assert.Empty(await store.Cohorts.ReadActivityAsync(cohort.Id + 1, None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task FollowUpTimesRoundTripInOrder(string provider)
    {
        using var store = await CreateAsync(provider);
        var ana = await store.AddMemberAsync("ana");
        var (interview, _) = await store.AddInterviewAsync(ana.Id);
        DateTimeOffset[] times = [T0.AddDays(7), T0.AddDays(14).AddTicks(1234567)];

        await store.Interviews.UpdateAsync(interview with { FollowUpsLogged = 2, LastFollowUpAt = times[1], FollowUpTimes = times }, NudgeChanges.None, None);

        Assert.Equal(times, (await store.Reopen().Interviews.GetAsync(interview.Id, None))!.FollowUpTimes);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Migration0007GivesAFollowUpLoggedBeforeItsTimeFromLastFollowUpAt(string provider)
    {
        using var store = await CreateAsync(provider);
        var ana = await store.AddMemberAsync("ana");
        var (before, _) = await store.AddInterviewAsync(ana.Id);
        var (never, _) = await store.AddInterviewAsync(ana.Id);
        var backfill = TestStore.MigrationScript(provider, "0007").Split('\n').Single(l => l.StartsWith("UPDATE interviews SET follow_up_times", StringComparison.Ordinal));
        using (var connection = store.OpenRaw())
        {
            connection.Execute("UPDATE interviews SET follow_ups_logged = 1, last_follow_up_at = '2026-12-11T09:15:00.0000000Z', follow_up_times = '[]' WHERE id = @Id",
                new { before.Id });
            connection.Execute(backfill);
        }

        Assert.Equal([new DateTimeOffset(2026, 12, 11, 9, 15, 0, TimeSpan.Zero)], (await store.Interviews.GetAsync(before.Id, None))!.FollowUpTimes);
        Assert.Empty((await store.Interviews.GetAsync(never.Id, None))!.FollowUpTimes);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ALinkIsRedeemedOnceEvenWhenInstancesRaceForIt(string provider)
    {
        using var store = await CreateAsync(provider);
        var coach = await store.AddMemberAsync("coach");
        await store.Dashboard.AddLinkAsync("link-hash", coach.Id, T0, T0.AddMinutes(10), None);

        // Eight instances (each its own connection pool) open the same link at the same moment.
        var attempts = Enumerable.Range(0, 8).Select(i => store.Reopen().Dashboard.RedeemLinkAsync("link-hash", $"session-{i}", T0.AddMinutes(1), T0.AddHours(8), None));
        var winners = (await Task.WhenAll(attempts)).Where(c => c is not null).ToList();

        Assert.Equal([coach.Id], winners.Cast<long>());
        using var connection = store.OpenRaw();
        Assert.Equal(1, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM dashboard_sessions"));
        Assert.Null(await store.Dashboard.RedeemLinkAsync("link-hash", "late", T0.AddMinutes(2), T0.AddHours(8), None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task AnExpiredLinkOpensNothingAndGoesWithTheNextLink(string provider)
    {
        using var store = await CreateAsync(provider);
        var coach = await store.AddMemberAsync("coach");
        await store.Dashboard.AddLinkAsync("old", coach.Id, T0, T0.AddMinutes(10), None);

        Assert.Null(await store.Dashboard.RedeemLinkAsync("old", "s1", T0.AddMinutes(10), T0.AddHours(8), None));
        Assert.Null(await store.Dashboard.RedeemLinkAsync("unknown", "s2", T0, T0.AddHours(8), None));
        await store.Dashboard.AddLinkAsync("new", coach.Id, T0.AddMinutes(11), T0.AddMinutes(21), None);

        using var connection = store.OpenRaw();
        Assert.Equal(["new"], connection.Query<string>("SELECT token_hash FROM dashboard_links"));
        Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM dashboard_sessions"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ASessionLastsUntilItExpiresOrEndsAndGoesWithItsCoach(string provider)
    {
        using var store = await CreateAsync(provider);
        var coach = await store.AddMemberAsync("coach");
        await store.Dashboard.AddLinkAsync("a", coach.Id, T0, T0.AddMinutes(10), None);
        await store.Dashboard.AddLinkAsync("b", coach.Id, T0, T0.AddMinutes(10), None);
        await store.Dashboard.RedeemLinkAsync("a", "session-a", T0, T0.AddHours(8), None);
        await store.Dashboard.RedeemLinkAsync("b", "session-b", T0, T0.AddHours(8), None);

        Assert.Equal(coach.Id, await store.Dashboard.FindSessionAsync("session-a", T0.AddHours(8).AddTicks(-1), None));
        Assert.Null(await store.Dashboard.FindSessionAsync("session-a", T0.AddHours(8), None));
        await store.Dashboard.EndSessionAsync("session-b", None);
        Assert.Null(await store.Dashboard.FindSessionAsync("session-b", T0, None));

        await store.Dashboard.AddLinkAsync("c", coach.Id, T0, T0.AddMinutes(10), None);
        await store.Dashboard.RedeemLinkAsync("c", "session-c", T0, T0.AddHours(8), None);
        await store.MemberData.DeleteMemberAsync(coach.Id, None);
        Assert.Null(await store.Dashboard.FindSessionAsync("session-c", T0, None));
        using var connection = store.OpenRaw();
        Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM dashboard_links"));
    }
}
