using FollowUpBot.Testing;
using Dapper;
using FollowUpBot.Core.Domain;

namespace FollowUpBot.Storage.Tests;

public sealed class NudgeRepositoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = TestStore.T0;

    private static async Task<(TestStore Store, Nudge Nudge)> OneNudgeAsync(string provider, NudgeKind kind = NudgeKind.ThankYou)
    {
        var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        var (_, nudges) = await store.AddInterviewAsync(member.Id, TestStore.NewNudge(kind, T0.AddHours(1), "Ana Ruiz"));
        return (store, nudges[0]);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ClaimMovesPendingToSendingAndCountsTheAttempt(string provider)
    {
        var (store, nudge) = await OneNudgeAsync(provider);
        using var _ = store;

        var claimed = await store.Nudges.TryClaimAsync(nudge.Id, T0.AddHours(1), None);

        Assert.Equal(nudge with { State = NudgeState.Sending, Attempts = 1, ClaimedAt = T0.AddHours(1) }, claimed);
        Assert.Equal(claimed, await store.Nudges.GetAsync(nudge.Id, None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task MarkingANudgeDoneRecordsWhenAndAReplanLeavesThatTimeAlone(string provider)
    {
        var (store, nudge) = await OneNudgeAsync(provider);
        using var _ = store;
        var interview = (await store.Interviews.GetAsync(nudge.InterviewId, None))!;
        Assert.Null(nudge.MarkedAt);

        var marked = T0.AddHours(3);
        var result = await store.Interviews.UpdateAsync(interview,
            new([], [new(nudge.Id, [NudgeState.Pending], NudgeState.Done, MarkedAt: marked)]), None);
        Assert.Equal([nudge.Id], result.Changed);
        Assert.Equal(nudge with { State = NudgeState.Done, MarkedAt = marked }, await store.Reopen().Nudges.GetAsync(nudge.Id, None));

        // A later change that says nothing of the mark (a move) keeps it.
        await store.Interviews.UpdateAsync(interview, new([], [new(nudge.Id, [NudgeState.Done], NudgeState.Done, T0.AddDays(1))]), None);
        Assert.Equal(marked, (await store.Nudges.GetAsync(nudge.Id, None))!.MarkedAt);

        var added = await store.Interviews.UpdateAsync(interview,
            new([TestStore.NewNudge(NudgeKind.ThankYou, T0, "Ben Ode") with { State = NudgeState.Skipped, MarkedAt = marked }], []), None);
        Assert.Equal(marked, (await store.Nudges.GetAsync(Assert.Single(added.Added).Id, None))!.MarkedAt);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task UpcomingByMemberListsWaitingNudgesOfAllTheirInterviewsAndRecentSendsOnly(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var ana = await store.AddMemberAsync("ana");
        var ben = await store.AddMemberAsync("ben");
        var (_, first) = await store.AddInterviewAsync(ana.Id,
            TestStore.NewNudge(NudgeKind.Debrief, T0), TestStore.NewNudge(NudgeKind.HoldOff, T0.AddDays(2)));
        var (_, second) = await store.AddInterviewAsync(ana.Id,
            TestStore.NewNudge(NudgeKind.KeepSearching, T0.AddDays(4)) with { State = NudgeState.Snoozed },
            TestStore.NewNudge(NudgeKind.FollowUp, T0.AddDays(5)) with { State = NudgeState.Cancelled });
        await store.AddInterviewAsync(ben.Id, TestStore.NewNudge(NudgeKind.HoldOff, T0.AddDays(2)));

        // The debrief goes out at T0; one sent an hour before "since" is history, one sent after it still counts.
        Assert.NotNull(await store.Nudges.TryClaimAsync(first[0].Id, T0, None));
        Assert.True(await store.Nudges.CompleteAsync(first[0].Id, NudgeState.Sent, T0, null, null, possibleRepeat: false, None));

        var recent = await store.Nudges.ListUpcomingByMemberAsync(ana.Id, T0.AddMinutes(-30), None);
        Assert.Equal([first[0].Id, first[1].Id, second[0].Id], recent.Select(n => n.Id));
        var later = await store.Nudges.ListUpcomingByMemberAsync(ana.Id, T0.AddMinutes(30), None);
        Assert.Equal([first[1].Id, second[0].Id], later.Select(n => n.Id));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task SecondClaimGetsNothing(string provider)
    {
        var (store, nudge) = await OneNudgeAsync(provider);
        using var _ = store;

        Assert.NotNull(await store.Nudges.TryClaimAsync(nudge.Id, T0, None));
        Assert.Null(await store.Nudges.TryClaimAsync(nudge.Id, T0, None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ConcurrentClaimsHaveExactlyOneWinner(string provider)
    {
        var (store, nudge) = await OneNudgeAsync(provider);
        using var _ = store;

        var claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => store.Nudges.TryClaimAsync(nudge.Id, T0, None))));

        Assert.Single(claims, c => c is not null);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task OnlyPendingOrSnoozedNudgesAreClaimable(string provider)
    {
        foreach (var (state, claimable) in new[]
                 {
                     (NudgeState.Snoozed, true), (NudgeState.Done, false), (NudgeState.Cancelled, false), (NudgeState.Skipped, false),
                 })
        {
            var (store, nudge) = await OneNudgeAsync(provider);
            using var _ = store;
            Assert.True(await store.Nudges.ChangeStateAsync(nudge.Id, [NudgeState.Pending], state, null, None));

            Assert.Equal(claimable, await store.Nudges.TryClaimAsync(nudge.Id, T0, None) is not null);
        }
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task SentRecordsOneDeliveryUnderTheKeyTheSendCarried(string provider)
    {
        var (store, nudge) = await OneNudgeAsync(provider);
        using var _ = store;
        var claimed = await store.Nudges.TryClaimAsync(nudge.Id, T0, None);

        Assert.True(await store.Nudges.CompleteAsync(nudge.Id, NudgeState.Sent, T0.AddSeconds(1), null, null, possibleRepeat: false, None));
        Assert.False(await store.Nudges.CompleteAsync(nudge.Id, NudgeState.Sent, T0.AddSeconds(2), null, null, possibleRepeat: false, None));

        var sent = await store.Nudges.GetAsync(nudge.Id, None);
        Assert.Equal((NudgeState.Sent, 1, T0.AddSeconds(1)), (sent!.State, sent.Deliveries, sent.SentAt));
        using var connection = store.OpenRaw();
        Assert.Equal([claimed!.DeliveryKey], connection.Query<string>("SELECT delivery_key FROM deliveries"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task SnoozedNudgeSentAgainGetsANewDeliveryKey(string provider)
    {
        var (store, nudge) = await OneNudgeAsync(provider);
        using var _ = store;
        await store.Nudges.TryClaimAsync(nudge.Id, T0, None);
        await store.Nudges.CompleteAsync(nudge.Id, NudgeState.Sent, T0, null, null, possibleRepeat: false, None);
        Assert.True(await store.Nudges.ChangeStateAsync(nudge.Id, [NudgeState.Sent], NudgeState.Snoozed, T0.AddDays(1), None));
        var second = await store.Nudges.TryClaimAsync(nudge.Id, T0.AddDays(1), None);
        await store.Nudges.CompleteAsync(nudge.Id, NudgeState.Sent, T0.AddDays(1), null, null, possibleRepeat: false, None);

        Assert.Equal($"n{nudge.Id}d2", second!.DeliveryKey);
        using var connection = store.OpenRaw();
        Assert.Equal([$"n{nudge.Id}d1", $"n{nudge.Id}d2"], connection.Query<string>("SELECT delivery_key FROM deliveries ORDER BY id"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task DeliveryKeyCannotBeRecordedTwice(string provider)
    {
        var (store, nudge) = await OneNudgeAsync(provider);
        using var _ = store;
        using var connection = store.OpenRaw();
        connection.Execute("INSERT INTO deliveries (delivery_key, nudge_id, delivered_at) VALUES (@key, @id, 'x')",
            new { key = $"n{nudge.Id}d1", id = nudge.Id });
        await store.Nudges.TryClaimAsync(nudge.Id, T0, None);

        // The send's key is already recorded: completing refuses, and the nudge keeps its state and count.
        Assert.False(await store.Nudges.CompleteAsync(nudge.Id, NudgeState.Sent, T0, null, null, possibleRepeat: false, None));
        var after = await store.Nudges.GetAsync(nudge.Id, None);
        Assert.Equal((NudgeState.Sending, 0), (after!.State, after.Deliveries));
        Assert.ThrowsAny<Exception>(() => connection.Execute(
            "INSERT INTO deliveries (delivery_key, nudge_id, delivered_at) VALUES (@key, @id, 'y')", new { key = $"n{nudge.Id}d1", id = nudge.Id }));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task CompleteOnlyFinishesSendingNudges(string provider)
    {
        var (store, nudge) = await OneNudgeAsync(provider);
        using var _ = store;

        Assert.False(await store.Nudges.CompleteAsync(nudge.Id, NudgeState.Sent, T0, null, null, possibleRepeat: false, None));
        Assert.False(await store.Nudges.CompleteAsync(nudge.Id, NudgeState.Failed, T0, "x", null, possibleRepeat: false, None));
        Assert.Equal(NudgeState.Pending, (await store.Nudges.GetAsync(nudge.Id, None))!.State);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ReleaseForRetryMovesTheDueTimeAndKeepsTheAttemptCount(string provider)
    {
        var (store, nudge) = await OneNudgeAsync(provider);
        using var _ = store;
        await store.Nudges.TryClaimAsync(nudge.Id, T0, None);

        Assert.True(await store.Nudges.CompleteAsync(nudge.Id, NudgeState.Pending, T0, "rate limited", T0.AddMinutes(2), possibleRepeat: false, None));

        var released = await store.Nudges.GetAsync(nudge.Id, None);
        Assert.Equal((NudgeState.Pending, 1, "rate limited", T0.AddMinutes(2), (DateTimeOffset?)null),
            (released!.State, released.Attempts, released.LastError, released.DueAt, released.ClaimedAt));
        Assert.Equal(2, (await store.Nudges.TryClaimAsync(nudge.Id, T0.AddMinutes(2), None))!.Attempts);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task APossibleRepeatIsAFlagTheNextClaimSeesAndADeliveryClears(string provider)
    {
        var (store, nudge) = await OneNudgeAsync(provider);
        using var _ = store;
        await store.Nudges.TryClaimAsync(nudge.Id, T0, None);

        Assert.True(await store.Nudges.CompleteAsync(nudge.Id, NudgeState.Pending, T0, "IOException", T0.AddMinutes(2), possibleRepeat: true, None));

        var claimed = await store.Nudges.TryClaimAsync(nudge.Id, T0.AddMinutes(2), None);
        Assert.True(claimed!.PossibleRepeat);
        Assert.True(await store.Nudges.CompleteAsync(nudge.Id, NudgeState.Sent, T0.AddMinutes(2), null, null, possibleRepeat: false, None));
        Assert.False((await store.Nudges.GetAsync(nudge.Id, None))!.PossibleRepeat);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Migration0008MarksNudgesWhoseErrorSaidTheyMayHaveReachedTheMember(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        var (_, nudges) = await store.AddInterviewAsync(member.Id,
            TestStore.NewNudge(NudgeKind.ThankYou, T0.AddHours(1), "Ana Ruiz"), TestStore.NewNudge(NudgeKind.HoldOff, T0.AddHours(2)));
        var backfill = TestStore.MigrationScript(provider, "0008").Split('\n').Single(l => l.StartsWith("UPDATE nudges SET possible_repeat", StringComparison.Ordinal));
        using (var connection = store.OpenRaw())
        {
            connection.Execute("UPDATE nudges SET last_error = 'HttpRequestException; may already have reached the member' WHERE id = @Id", new { nudges[0].Id });
            connection.Execute("UPDATE nudges SET last_error = 'rate limited' WHERE id = @Id", new { nudges[1].Id });
            connection.Execute(backfill);
        }

        Assert.True((await store.Nudges.GetAsync(nudges[0].Id, None))!.PossibleRepeat);
        Assert.False((await store.Nudges.GetAsync(nudges[1].Id, None))!.PossibleRepeat);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task FailedKeepsTheError(string provider)
    {
        var (store, nudge) = await OneNudgeAsync(provider);
        using var _ = store;
        await store.Nudges.TryClaimAsync(nudge.Id, T0, None);

        Assert.True(await store.Nudges.CompleteAsync(nudge.Id, NudgeState.Failed, T0, "DMs closed", null, possibleRepeat: false, None));

        var failed = await store.Nudges.GetAsync(nudge.Id, None);
        Assert.Equal((NudgeState.Failed, "DMs closed"), (failed!.State, failed.LastError));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task NextDueAtIsTheEarliestPendingOrSnoozedNudge(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        Assert.Null(await store.Nudges.NextDueAtAsync(None));
        var (_, nudges) = await store.AddInterviewAsync(member.Id,
            TestStore.NewNudge(NudgeKind.Debrief, T0), TestStore.NewNudge(NudgeKind.ThankYou, T0.AddHours(5)),
            TestStore.NewNudge(NudgeKind.HoldOff, T0.AddDays(2)));
        await store.Nudges.ChangeStateAsync(nudges[0].Id, [NudgeState.Pending], NudgeState.Done, null, None);
        await store.Nudges.ChangeStateAsync(nudges[2].Id, [NudgeState.Pending], NudgeState.Snoozed, T0.AddHours(3), None);

        Assert.Equal(T0.AddHours(3), await store.Nudges.NextDueAtAsync(None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ListByStateReturnsOnlyThoseStatesInDueOrder(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        var (_, nudges) = await store.AddInterviewAsync(member.Id,
            TestStore.NewNudge(NudgeKind.ThankYou, T0.AddHours(5)), TestStore.NewNudge(NudgeKind.Debrief, T0),
            TestStore.NewNudge(NudgeKind.HoldOff, T0.AddDays(2)));
        await store.Nudges.ChangeStateAsync(nudges[2].Id, [NudgeState.Pending], NudgeState.Skipped, null, None);

        var listed = await store.Nudges.ListByStateAsync([NudgeState.Pending, NudgeState.Snoozed], None);

        Assert.Equal([nudges[1].Id, nudges[0].Id], listed.Select(n => n.Id));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ChangeStateRespectsFromStates(string provider)
    {
        var (store, nudge) = await OneNudgeAsync(provider);
        using var _ = store;

        Assert.False(await store.Nudges.ChangeStateAsync(nudge.Id, [NudgeState.Sent], NudgeState.Done, null, None));
        Assert.True(await store.Nudges.ChangeStateAsync(nudge.Id, [NudgeState.Pending], NudgeState.Skipped, null, None));
        Assert.Equal(NudgeState.Skipped, (await store.Nudges.GetAsync(nudge.Id, None))!.State);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task FormDraftSavesReplacesAndDeletes(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        Assert.Null(await store.Drafts.FindAsync(member.Id, "interview-done", None));

        await store.Drafts.SaveAsync(member.Id, "interview-done", new Dictionary<string, string> { ["company"] = "Acme" }, T0, None);
        await store.Drafts.SaveAsync(member.Id, "interview-done",
            new Dictionary<string, string> { ["company"] = "Acme “Labs”", ["role"] = "Dev" }, T0, None);

        Assert.Equal(new Dictionary<string, string> { ["company"] = "Acme “Labs”", ["role"] = "Dev" },
            await store.Drafts.FindAsync(member.Id, "interview-done", None));
        await store.Drafts.DeleteAsync(member.Id, "interview-done", None);
        Assert.Null(await store.Drafts.FindAsync(member.Id, "interview-done", None));
    }
}
