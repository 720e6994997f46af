using Dapper;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Testing;
using static FollowUpBot.Storage.Tests.TestStore;

namespace FollowUpBot.Storage.Tests;

/// <summary>Rounds of one application (migration 0004): process id, round, the dates given with outcomes, open questions.</summary>
public sealed class ProcessRepositoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory, OnSqlite, OnPostgres]
    public async Task ASecondRoundJoinsTheFirstRoundsProcessAndEveryNewColumnRoundTrips(string provider)
    {
        using var store = await CreateAsync(provider);
        var ana = await store.AddMemberAsync();
        var (first, _) = await store.AddInterviewAsync(ana.Id);
        var second = NewInterview(ana.Id) with
        {
            ProcessId = first.ProcessId, Round = 2, OpenQuestions = [DetailQuestion.DecisionDate, DetailQuestion.References],
        };

        var (stored, _) = await store.Interviews.AddAsync(second, [], None);

        Assert.Equal(first.Id, first.ProcessId);
        Assert.Equal((first.Id, 2, 2), (stored.ProcessId, stored.Round, stored.Number));
        var loaded = await store.Interviews.GetAsync(stored.Id, None);
        Assert.Equal((first.Id, 2), (loaded!.ProcessId, loaded.Round));
        Assert.Equal([DetailQuestion.DecisionDate, DetailQuestion.References], loaded.OpenQuestions);

        var nextRoundAt = T0.AddDays(10);
        await store.Interviews.UpdateAsync(first with { Outcome = Outcome.NextRound, OutcomeAt = T0.AddDays(2), NextRoundAt = nextRoundAt },
            NudgeChanges.None, None);
        await store.Interviews.UpdateAsync(loaded with { Outcome = Outcome.Offer, OutcomeAt = T0.AddDays(12), OfferDeadline = new DateOnly(2026, 12, 20),
            OpenQuestions = [] }, NudgeChanges.None, None);

        var rounds = await store.Interviews.ListAsync(ana.Id, openOnly: false, None);
        Assert.Equal((Outcome.NextRound, nextRoundAt), (rounds[0].Outcome, rounds[0].NextRoundAt));
        Assert.Equal((Outcome.Offer, new DateOnly(2026, 12, 20)), (rounds[1].Outcome, rounds[1].OfferDeadline));
        Assert.Empty(rounds[1].OpenQuestions);
        var process = Assert.Single(InterviewProcess.Of(rounds));
        Assert.Equal((first.Id, ProcessStage.Offer), (process.Id, process.Stage));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task NewOutcomesAreStoredByTheirSnakeCaseNames(string provider)
    {
        using var store = await CreateAsync(provider);
        var ana = await store.AddMemberAsync();
        foreach (var outcome in new[] { Outcome.NextRound, Outcome.NoReply, Outcome.Accepted, Outcome.ClosedNoReply })
        {
            var (interview, _) = await store.AddInterviewAsync(ana.Id);
            await store.Interviews.UpdateAsync(interview with { Outcome = outcome, OutcomeAt = T0 }, NudgeChanges.None, None);
            Assert.Equal(outcome, (await store.Interviews.GetAsync(interview.Id, None))!.Outcome);
        }

        using var connection = store.OpenRaw();
        Assert.Equal(["accepted", "closed_no_reply", "next_round", "no_reply"],
            connection.Query<string>("SELECT outcome FROM interviews ORDER BY outcome"));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task OpenOnlyKeepsRoundsWhoseOutcomeLeavesTheApplicationOpen(string provider)
    {
        using var store = await CreateAsync(provider);
        var ana = await store.AddMemberAsync();
        var expectedOpen = new List<long>();
        foreach (var outcome in Enum.GetValues<Outcome>().Cast<Outcome?>().Prepend(null))
        {
            var (interview, _) = await store.AddInterviewAsync(ana.Id);
            if (outcome is not null) await store.Interviews.UpdateAsync(interview with { Outcome = outcome, OutcomeAt = T0 }, NudgeChanges.None, None);
            if (outcome is null or Outcome.Waiting or Outcome.NextRound or Outcome.NoReply or Outcome.Offer) expectedOpen.Add(interview.Id);
        }

        Assert.Equal(expectedOpen, (await store.Interviews.ListAsync(ana.Id, openOnly: true, None)).Select(i => i.Id));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task RetentionRemovesEveryRoundOfAClosedApplicationAndNoRoundOfAnOpenOne(string provider)
    {
        using var store = await CreateAsync(provider);
        var ana = await store.AddMemberAsync();
        var (closed1, closed1Nudges) = await store.AddInterviewAsync(ana.Id, NewNudge(NudgeKind.ThankYou, T0.AddHours(2), "Ana Ruiz"));
        var (closed2, _) = await store.Interviews.AddAsync(NewInterview(ana.Id) with { ProcessId = closed1.Id, Round = 2 }, [], None);
        var (open1, _) = await store.AddInterviewAsync(ana.Id);
        var (open2, _) = await store.Interviews.AddAsync(NewInterview(ana.Id) with { ProcessId = open1.Id, Round = 2 }, [], None);
        var (silent, _) = await store.AddInterviewAsync(ana.Id);
        await store.Interviews.UpdateAsync(closed1 with { Outcome = Outcome.NextRound, OutcomeAt = T0 }, NudgeChanges.None, None);
        await store.Interviews.UpdateAsync(closed2 with { Outcome = Outcome.ClosedNoReply, OutcomeAt = T0.AddDays(1) }, NudgeChanges.None, None);
        await store.Interviews.UpdateAsync(open1 with { Outcome = Outcome.NextRound, OutcomeAt = T0 }, NudgeChanges.None, None);
        await store.Interviews.UpdateAsync(silent with { Outcome = Outcome.NoReply, OutcomeAt = T0 }, NudgeChanges.None, None);

        var removed = await store.MemberData.DeleteInterviewsClosedBeforeAsync(T0.AddDays(100), None);

        Assert.Equal(2, removed.Interviews);
        Assert.Equal(closed1Nudges.Select(n => n.Id), removed.NudgeIds);
        Assert.Equal([open1.Id, open2.Id, silent.Id], (await store.Interviews.ListAsync(ana.Id, false, None)).Select(i => i.Id));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task DeletingTheMemberRemovesEveryRoundOfEveryApplication(string provider)
    {
        using var store = await CreateAsync(provider);
        var ana = await store.AddMemberAsync();
        var (first, _) = await store.AddInterviewAsync(ana.Id, NewNudge(NudgeKind.PrepareRound, T0.AddDays(3)));
        await store.Interviews.AddAsync(NewInterview(ana.Id) with { ProcessId = first.Id, Round = 2 }, [NewNudge(NudgeKind.OfferDeadline, T0.AddDays(9))], None);

        var removed = await store.MemberData.DeleteMemberAsync(ana.Id, None);

        Assert.Equal(2, removed.Interviews);
        Assert.Equal(2, removed.NudgeIds.Count);
        using var connection = store.OpenRaw();
        Assert.Equal(0L, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM interviews"));
    }
}
