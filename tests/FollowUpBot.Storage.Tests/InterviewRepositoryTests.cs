using FollowUpBot.Testing;
using Dapper;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Storage.Tests;

public sealed class InterviewRepositoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = TestStore.T0;

    [Theory, OnSqlite, OnPostgres]
    public async Task InterviewAndNudgesRoundTrip(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        var interview = TestStore.NewInterview(member.Id) with { Outcome = Outcome.Waiting, OutcomeAt = T0.AddDays(3),
            FollowUpsLogged = 2, LastFollowUpAt = T0.AddDays(4), DecisionDate = null, Role = null };

        var (stored, nudges) = await store.Interviews.AddAsync(interview,
            [TestStore.NewNudge(NudgeKind.ThankYou, T0.AddHours(12), "Ana Ruiz"), TestStore.NewNudge(NudgeKind.Debrief, T0)], None);

        Assert.Equal(interview with { Id = stored.Id, Number = 1, ProcessId = stored.Id }, stored);
        var loaded = await store.Interviews.GetAsync(stored.Id, None);
        Assert.NotNull(loaded);
        Assert.Equal(stored.Interviewers, loaded.Interviewers);
        Assert.Equal(stored.References, loaded.References);
        Assert.Empty(loaded.OpenQuestions);
        Assert.Empty(loaded.FollowUpTimes);
        Assert.Equal(stored with
        {
            Interviewers = loaded.Interviewers, References = loaded.References, OpenQuestions = loaded.OpenQuestions, FollowUpTimes = loaded.FollowUpTimes,
        }, loaded);

        Assert.All(nudges, n => Assert.Equal(stored.Id, n.InterviewId));
        Assert.All(nudges, n => Assert.Equal(member.Id, n.MemberId));
        var listed = await store.Nudges.ListByInterviewAsync(stored.Id, None);
        Assert.Equal([NudgeKind.Debrief, NudgeKind.ThankYou], listed.Select(n => n.Kind));
        Assert.Equal(nudges.OrderBy(n => n.DueAt), listed);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task NumbersCountPerMember(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var ana = await store.AddMemberAsync("ana");
        var ben = await store.AddMemberAsync("ben");

        var a1 = await store.AddInterviewAsync(ana.Id);
        var a2 = await store.AddInterviewAsync(ana.Id);
        var b1 = await store.AddInterviewAsync(ben.Id);
        var a3 = await store.AddInterviewAsync(ana.Id);

        Assert.Equal([1, 2, 3], new[] { a1, a2, a3 }.Select(x => x.Interview.Number));
        Assert.Equal(1, b1.Interview.Number);
        Assert.Equal(a2.Interview.Id, (await store.Interviews.FindByNumberAsync(ana.Id, 2, None))?.Id);
        Assert.Null(await store.Interviews.FindByNumberAsync(ben.Id, 2, None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ConcurrentReportsGetDistinctNumbers(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();

        var added = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => store.AddInterviewAsync(member.Id))));

        Assert.Equal(Enumerable.Range(1, 8), added.Select(a => a.Interview.Number).Order());
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ListKeepsOpenInterviewsWhenAsked(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        var open = (await store.AddInterviewAsync(member.Id)).Interview;
        var waiting = (await store.AddInterviewAsync(member.Id)).Interview;
        var rejected = (await store.AddInterviewAsync(member.Id)).Interview;
        await store.Interviews.UpdateAsync(waiting with { Outcome = Outcome.Waiting }, NudgeChanges.None, None);
        await store.Interviews.UpdateAsync(rejected with { Outcome = Outcome.Rejected }, NudgeChanges.None, None);

        Assert.Equal([open.Id, waiting.Id], (await store.Interviews.ListAsync(member.Id, openOnly: true, None)).Select(i => i.Id));
        Assert.Equal(3, (await store.Interviews.ListAsync(member.Id, openOnly: false, None)).Count);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task UpdateWritesFieldsAddsNudgesAndAppliesOnlyChangesFromTheirStates(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        var (interview, nudges) = await store.AddInterviewAsync(member.Id,
            TestStore.NewNudge(NudgeKind.FollowUp, T0.AddDays(3)), TestStore.NewNudge(NudgeKind.OutcomeCheck, T0.AddDays(5)));
        await store.Nudges.ChangeStateAsync(nudges[1].Id, [NudgeState.Pending], NudgeState.Done, null, None);

        var result = await store.Interviews.UpdateAsync(
            interview with { Outcome = Outcome.Rejected, OutcomeAt = T0.AddDays(2), Notes = "Asked for feedback" },
            new NudgeChanges(
                [TestStore.NewNudge(NudgeKind.AskFeedback, T0.AddDays(2))],
                [
                    new NudgeStateChange(nudges[0].Id, [NudgeState.Pending, NudgeState.Snoozed], NudgeState.Cancelled),
                    new NudgeStateChange(nudges[1].Id, [NudgeState.Pending, NudgeState.Snoozed], NudgeState.Cancelled),
                ]), None);

        Assert.Equal([nudges[0].Id], result.Changed);
        var added = Assert.Single(result.Added);
        Assert.Equal((interview.Id, member.Id, NudgeKind.AskFeedback), (added.InterviewId, added.MemberId, added.Kind));
        var stored = await store.Interviews.GetAsync(interview.Id, None);
        Assert.Equal((Outcome.Rejected, "Asked for feedback"), (stored?.Outcome, stored?.Notes));
        Assert.Equal(NudgeState.Cancelled, (await store.Nudges.GetAsync(nudges[0].Id, None))?.State);
        Assert.Equal(NudgeState.Done, (await store.Nudges.GetAsync(nudges[1].Id, None))?.State);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task UpdateWritesEveryFieldAnEditCanChange(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        var (interview, _) = await store.AddInterviewAsync(member.Id);

        var edited = interview with
        {
            Company = "Acme Corp", Role = null, Interviewers = ["Ana Ruiz", "Cy Park"], Format = InterviewFormat.Video,
            EndedAt = T0.AddHours(-2), DecisionDate = null, FollowUpInvited = true, References = [],
        };
        await store.Interviews.UpdateAsync(edited, NudgeChanges.None, None);

        var stored = (await store.Reopen().Interviews.GetAsync(interview.Id, None))!;
        Assert.Equal(edited.Interviewers, stored.Interviewers);
        Assert.Empty(stored.References);
        Assert.Equal(edited.OpenQuestions, stored.OpenQuestions);
        Assert.Equal(edited.FollowUpTimes, stored.FollowUpTimes);
        // Lists compare by reference in a record's equality: the ones checked above are taken from what was stored.
        Assert.Equal(edited with
        {
            Interviewers = stored.Interviewers, References = stored.References, OpenQuestions = stored.OpenQuestions,
            FollowUpTimes = stored.FollowUpTimes,
        }, stored);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task FailedUpdateStoresNothingHalfWay(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        var (interview, nudges) = await store.AddInterviewAsync(member.Id, TestStore.NewNudge(NudgeKind.FollowUp, T0.AddDays(3)));
        // A nudge pointing at a member that does not exist breaks the foreign key after the other writes ran.
        var broken = new NudgeChanges(
            [TestStore.NewNudge(NudgeKind.AskFeedback, T0.AddDays(2))],
            [new NudgeStateChange(nudges[0].Id, [NudgeState.Pending], NudgeState.Cancelled)]);

        await Assert.ThrowsAnyAsync<Exception>(() => store.Interviews.UpdateAsync(
            interview with { Outcome = Outcome.Rejected, MemberId = 999 }, broken, None));

        var after = await store.Interviews.GetAsync(interview.Id, None);
        Assert.Null(after?.Outcome);
        Assert.Equal([nudges[0] with { }], await store.Nudges.ListByInterviewAsync(interview.Id, None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task UpdateOfAMissingInterviewFailsAndAddsNoNudges(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.Interviews.UpdateAsync(
            TestStore.NewInterview(member.Id) with { Id = 77 },
            new NudgeChanges([TestStore.NewNudge(NudgeKind.Debrief, T0)], []), None));

        using var connection = store.OpenRaw();
        Assert.Equal(0L, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM nudges"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task DeleteRemovesInterviewNudgesAndDeliveries(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        var (interview, nudges) = await store.AddInterviewAsync(member.Id,
            TestStore.NewNudge(NudgeKind.Debrief, T0), TestStore.NewNudge(NudgeKind.ThankYou, T0.AddHours(12), "Ana Ruiz"));
        await store.Nudges.TryClaimAsync(nudges[0].Id, T0, None);
        await store.Nudges.CompleteAsync(nudges[0].Id, NudgeState.Sent, T0, null, null, possibleRepeat: false, None);

        var removed = await store.Interviews.DeleteAsync(interview.Id, None);

        Assert.Equal(nudges.Select(n => n.Id).Order(), removed.Order());
        Assert.Null(await store.Interviews.GetAsync(interview.Id, None));
        using var connection = store.OpenRaw();
        Assert.Equal(0L, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM nudges"));
        Assert.Equal(0L, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM deliveries"));
    }
}
