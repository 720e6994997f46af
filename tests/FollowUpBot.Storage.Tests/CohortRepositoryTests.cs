using FollowUpBot.Testing;
using Dapper;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using static FollowUpBot.Storage.Tests.TestStore;

namespace FollowUpBot.Storage.Tests;

public sealed class CohortRepositoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static Cohort NewCohort(long coachId, string code = "K7MQ4T", string name = "Fall 2026") =>
        new(0, name, "console", "local", "career-room", coachId, code, "Europe/Berlin", "mon 09:00", T0);

    [Theory, OnSqlite, OnPostgres]
    public async Task CohortRoundTripsAndAJoinCodeIsTakenOnce(string provider)
    {
        using var store = await CreateAsync(provider);
        var coach = await store.AddMemberAsync("coach");

        var cohort = await store.Cohorts.TryAddAsync(NewCohort(coach.Id), None);
        Assert.NotNull(cohort);
        Assert.Null(await store.Cohorts.TryAddAsync(NewCohort(coach.Id, name: "Other"), None));

        Assert.Equal(cohort, await store.Reopen().Cohorts.GetAsync(cohort.Id, None));
        Assert.Equal(cohort, await store.Cohorts.FindByJoinCodeAsync("K7MQ4T", None));
        Assert.Equal([cohort], await store.Cohorts.ListByCoachAsync(coach.Id, None));
        Assert.Empty(await store.Cohorts.ListByCoachAsync(coach.Id + 1, None));

        var changed = cohort with { DigestSchedule = "mon,thu 17:30", TimeZoneId = "America/New_York", JoinCode = "IGNORED" };
        await store.Cohorts.UpdateAsync(changed, None);
        Assert.Equal(changed with { JoinCode = "K7MQ4T" }, await store.Cohorts.GetAsync(cohort.Id, None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task MembershipLevelChangesInPlaceAndLeavingRemovesIt(string provider)
    {
        using var store = await CreateAsync(provider);
        var coach = await store.AddMemberAsync("coach");
        var ana = await store.AddMemberAsync("ana");
        var cohort = (await store.Cohorts.TryAddAsync(NewCohort(coach.Id), None))!;

        await store.Cohorts.SaveMembershipAsync(new CohortMembership(cohort.Id, ana.Id, CohortVisibility.StatusOnly, "Ana", T0), None);
        await store.Cohorts.SaveMembershipAsync(new CohortMembership(cohort.Id, ana.Id, CohortVisibility.FullDetail, "Ana R", T0.AddDays(3)), None);

        var membership = Assert.Single(await store.Cohorts.ListMembershipsAsync(cohort.Id, None));
        Assert.Equal(new CohortMembership(cohort.Id, ana.Id, CohortVisibility.FullDetail, "Ana R", T0), membership);
        Assert.Equal([(cohort, membership)], await store.Cohorts.ListJoinedAsync(ana.Id, None));

        Assert.True(await store.Cohorts.RemoveMembershipAsync(cohort.Id, ana.Id, None));
        Assert.False(await store.Cohorts.RemoveMembershipAsync(cohort.Id, ana.Id, None));
        Assert.Empty(await store.Cohorts.ListJoinedAsync(ana.Id, None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task DigestRunIsClaimedOnceAndOnlyAPostedRunMovesLastDigest(string provider)
    {
        using var store = await CreateAsync(provider);
        var coach = await store.AddMemberAsync("coach");
        var cohort = (await store.Cohorts.TryAddAsync(NewCohort(coach.Id), None))!;

        Assert.True(await store.Cohorts.TryStartDigestAsync(cohort.Id, "c1@a", T0, None));
        Assert.False(await store.Reopen().Cohorts.TryStartDigestAsync(cohort.Id, "c1@a", T0, None));
        Assert.False(await store.Cohorts.TryStartDigestAsync(cohort.Id + 7, "c8@a", T0, None));

        await store.Cohorts.CompleteDigestAsync(cohort.Id, "c1@a", posted: false, T0.AddMinutes(1), None);
        Assert.Null((await store.Cohorts.GetAsync(cohort.Id, None))!.LastDigestAt);
        Assert.True(await store.Cohorts.TryStartDigestAsync(cohort.Id, "c1@b", T0.AddDays(7), None));
        await store.Cohorts.CompleteDigestAsync(cohort.Id, "c1@b", posted: true, T0.AddDays(7), None);
        Assert.Equal(T0.AddDays(7), (await store.Cohorts.GetAsync(cohort.Id, None))!.LastDigestAt);
    }

    private static readonly string[] MemberTables = ["members", "interviews", "nudges", "deliveries", "form_drafts", "cohort_memberships", "cohorts", "digest_runs"];

    /// <summary>Rows per table that belong to a member, directly or through their interviews, nudges and coached cohorts.</summary>
    private static Dictionary<string, long> RowsOf(TestStore store, long memberId)
    {
        using var c = store.OpenRaw();
        var p = new { memberId };
        return new Dictionary<string, long>
        {
            ["members"] = c.ExecuteScalar<long>("SELECT COUNT(*) FROM members WHERE id = @memberId", p),
            ["interviews"] = c.ExecuteScalar<long>("SELECT COUNT(*) FROM interviews WHERE member_id = @memberId", p),
            ["nudges"] = c.ExecuteScalar<long>("SELECT COUNT(*) FROM nudges WHERE member_id = @memberId", p),
            ["deliveries"] = c.ExecuteScalar<long>("SELECT COUNT(*) FROM deliveries d JOIN nudges n ON n.id = d.nudge_id WHERE n.member_id = @memberId", p),
            ["form_drafts"] = c.ExecuteScalar<long>("SELECT COUNT(*) FROM form_drafts WHERE member_id = @memberId", p),
            ["cohort_memberships"] = c.ExecuteScalar<long>("SELECT COUNT(*) FROM cohort_memberships WHERE member_id = @memberId", p),
            ["cohorts"] = c.ExecuteScalar<long>("SELECT COUNT(*) FROM cohorts WHERE coach_member_id = @memberId", p),
            ["digest_runs"] = c.ExecuteScalar<long>("SELECT COUNT(*) FROM digest_runs r JOIN cohorts k ON k.id = r.cohort_id WHERE k.coach_member_id = @memberId", p),
        };
    }

    private static async Task<Member> AddEverythingAsync(TestStore store, string userId, long? joinCohortId)
    {
        var member = await store.AddMemberAsync(userId);
        var (_, nudges) = await store.AddInterviewAsync(member.Id,
            NewNudge(NudgeKind.ThankYou, T0.AddHours(1), "Ana Ruiz"), NewNudge(NudgeKind.FollowUp, T0.AddDays(7)));
        Assert.NotNull(await store.Nudges.TryClaimAsync(nudges[0].Id, T0, None));
        Assert.True(await store.Nudges.CompleteAsync(nudges[0].Id, NudgeState.Sent, T0, null, null, possibleRepeat: false, None));
        await store.Drafts.SaveAsync(member.Id, "interview", new Dictionary<string, string> { ["company"] = "Acme" }, T0, None);
        if (joinCohortId is { } id)
            await store.Cohorts.SaveMembershipAsync(new CohortMembership(id, member.Id, CohortVisibility.FullDetail, userId, T0), None);
        return member;
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task DeletingAMemberRemovesEveryRowOfTheirsInOneGoAndNothingOfOthers(string provider)
    {
        using var store = await CreateAsync(provider);
        var coach = await store.AddMemberAsync("coach");
        var cohort = (await store.Cohorts.TryAddAsync(NewCohort(coach.Id), None))!;
        var ana = await AddEverythingAsync(store, "ana", cohort.Id);
        var bob = await AddEverythingAsync(store, "bob", cohort.Id);
        var anaCohort = (await store.Cohorts.TryAddAsync(NewCohort(ana.Id, "ACDEFG", "Ana's mentees"), None))!;
        await store.Cohorts.SaveMembershipAsync(new CohortMembership(anaCohort.Id, bob.Id, CohortVisibility.StatusOnly, "bob", T0), None);
        Assert.True(await store.Cohorts.TryStartDigestAsync(anaCohort.Id, "run", T0, None));
        var anaNudges = (await store.Nudges.ListByStateAsync([NudgeState.Pending, NudgeState.Sent], None))
            .Where(n => n.MemberId == ana.Id).Select(n => n.Id).Order().ToList();
        var bobBefore = RowsOf(store, bob.Id);
        var coachBefore = RowsOf(store, coach.Id);
        Assert.All(MemberTables.Where(t => t != "cohorts" && t != "digest_runs"), t => Assert.True(RowsOf(store, ana.Id)[t] > 0, t));

        var removed = await store.MemberData.DeleteMemberAsync(ana.Id, None);

        Assert.Equal((true, 1, 1, 1), (removed.Member, removed.Interviews, removed.Memberships, removed.FormDrafts));
        Assert.Equal(anaNudges, removed.NudgeIds);
        Assert.Equal([anaCohort.Id], removed.CohortIds);
        Assert.All(RowsOf(store, ana.Id), p => Assert.Equal(0L, p.Value));
        // Bob keeps everything of his own; only his consent record for Ana's deleted cohort went with it.
        var bobAfter = RowsOf(store, bob.Id);
        Assert.Equal(bobBefore["cohort_memberships"] - 1, bobAfter["cohort_memberships"]);
        Assert.Equal(bobBefore.Where(p => p.Key != "cohort_memberships"), bobAfter.Where(p => p.Key != "cohort_memberships"));
        Assert.Equal(coachBefore, RowsOf(store, coach.Id));
        Assert.Null(await store.Members.GetAsync(ana.Id, None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task DeletingAnUnknownMemberRemovesNothing(string provider)
    {
        using var store = await CreateAsync(provider);
        var bob = await AddEverythingAsync(store, "bob", null);
        var before = RowsOf(store, bob.Id);
        var removed = await store.MemberData.DeleteMemberAsync(bob.Id + 100, None);
        Assert.Equal((false, 0, 0), (removed.Member, removed.Interviews, removed.NudgeIds.Count));
        Assert.Equal(before, RowsOf(store, bob.Id));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task RetentionRemovesOnlyInterviewsClosedBeforeTheCutoff(string provider)
    {
        using var store = await CreateAsync(provider);
        var ana = await store.AddMemberAsync("ana");
        var (old, oldNudges) = await store.AddInterviewAsync(ana.Id, NewNudge(NudgeKind.ThankReferences, T0.AddDays(1)));
        var (recent, _) = await store.AddInterviewAsync(ana.Id, NewNudge(NudgeKind.FollowUp, T0.AddDays(7)));
        var (open, _) = await store.AddInterviewAsync(ana.Id, NewNudge(NudgeKind.FollowUp, T0.AddDays(7)));
        var (waiting, _) = await store.AddInterviewAsync(ana.Id);
        await store.Interviews.UpdateAsync(old with { Outcome = Outcome.Rejected, OutcomeAt = T0 }, NudgeChanges.None, None);
        await store.Interviews.UpdateAsync(recent with { Outcome = Outcome.Offer, OutcomeAt = T0.AddDays(200) }, NudgeChanges.None, None);
        await store.Interviews.UpdateAsync(waiting with { Outcome = Outcome.Waiting, OutcomeAt = T0 }, NudgeChanges.None, None);

        var removed = await store.MemberData.DeleteInterviewsClosedBeforeAsync(T0.AddDays(100), None);

        Assert.Equal(1, removed.Interviews);
        Assert.Equal(oldNudges.Select(n => n.Id), removed.NudgeIds);
        Assert.Equal([recent.Id, open.Id, waiting.Id], (await store.Interviews.ListAsync(ana.Id, false, None)).Select(i => i.Id));
        Assert.Empty(await store.Nudges.ListByInterviewAsync(old.Id, None));
    }
}
