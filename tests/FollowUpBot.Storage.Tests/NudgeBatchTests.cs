using Dapper;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Storage.Repositories;
using FollowUpBot.Testing;

namespace FollowUpBot.Storage.Tests;

/// <summary>
/// An interview's nudges are written with multi-row INSERTs of <see cref="NudgeRows.RowsPerInsert"/> rows and its
/// state changes in batches of <see cref="NudgeRows.ChangesPerBatch"/>: these pin that every nudge still gets its own
/// row and the id of that row, across chunk boundaries, and that a failure anywhere stores nothing.
/// </summary>
public sealed class NudgeBatchTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = TestStore.T0;

    /// <summary>More than two full INSERTs' worth, so the last chunk is a partial one.</summary>
    private static readonly int ManyNudges = 2 * NudgeRows.RowsPerInsert + 37;

    /// <summary>Nudges that differ from one another in every column the table stores, one interviewer each.</summary>
    private static List<Nudge> DistinctNudges(int count, string prefix = "Interviewer")
    {
        var kinds = Enum.GetValues<NudgeKind>();
        return Enumerable.Range(0, count).Select(i => new Nudge(
            0, 0, 0,
            kinds[i % kinds.Length],
            // Due times out of input order, some in another offset, so no column sorts like the input.
            T0.AddMinutes((count - i) * 7 % 997).ToOffset(TimeSpan.FromHours(i % 3 - 1)),
            $"{prefix} {i}",
            i % 4,
            i % 5 == 0 ? NudgeState.Snoozed : NudgeState.Pending,
            Attempts: i % 3,
            Deliveries: i % 2,
            ClaimedAt: i % 6 == 0 ? T0.AddSeconds(i) : null,
            SentAt: i % 8 == 0 ? T0.AddSeconds(-i) : null,
            LastError: i % 7 == 0 ? $"timeout {i}" : null)).ToList();
    }

    private static long Count(TestStore store, string table)
    {
        using var connection = store.OpenRaw();
        return connection.ExecuteScalar<long>($"SELECT COUNT(*) FROM {table}");
    }

    /// <summary>Makes the table refuse a second nudge for one interviewer (a constraint the real schema lacks), so a
    /// test can break an INSERT at a row of its choosing on both databases.</summary>
    private static void RefuseRepeatedInterviewers(TestStore store)
    {
        using var connection = store.OpenRaw();
        connection.Execute("CREATE UNIQUE INDEX ux_test_one_nudge_per_interviewer ON nudges (interviewer)");
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task EveryNudgeOfAnInterviewWithManyInterviewersGetsItsOwnRowAndId(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        var input = DistinctNudges(ManyNudges);

        var (interview, returned) = await store.Interviews.AddAsync(TestStore.NewInterview(member.Id), input, None);

        Assert.Equal(input.Count, returned.Count);
        for (var i = 0; i < input.Count; i++)
            Assert.Equal(input[i] with { Id = returned[i].Id, InterviewId = interview.Id, MemberId = member.Id }, returned[i]);
        Assert.Equal(input.Count, returned.Select(n => n.Id).Distinct().Count());
        var stored = (await store.Nudges.ListByInterviewAsync(interview.Id, None)).ToDictionary(n => n.Id);
        Assert.Equal(input.Count, stored.Count);
        // The id handed back names the row holding that very nudge: same kind, interviewer, due time and the rest.
        Assert.All(returned, n => Assert.Equal(n, stored[n.Id]));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task IdenticalNudgesEachGetARowAndIdsRiseInInputOrder(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        var twin = TestStore.NewNudge(NudgeKind.FollowUp, T0.AddDays(3), "Ana Ruiz");
        var input = new[] { twin, TestStore.NewNudge(NudgeKind.Debrief, T0), twin, twin };

        var (interview, returned) = await store.Interviews.AddAsync(TestStore.NewInterview(member.Id), input, None);

        var twins = new[] { returned[0], returned[2], returned[3] };
        Assert.Equal(twins.Select(n => n.Id).Order(), twins.Select(n => n.Id));
        Assert.Equal(4, returned.Select(n => n.Id).Distinct().Count());
        var stored = await store.Nudges.ListByInterviewAsync(interview.Id, None);
        Assert.Equal(returned.Select(n => n.Id).Order(), stored.Select(n => n.Id).Order());
        Assert.Equal(NudgeKind.Debrief, stored.Single(n => n.Id == returned[1].Id).Kind);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ANudgeRefusedInTheLastChunkStoresNeitherTheInterviewNorAnyNudge(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        var (first, _) = await store.AddInterviewAsync(member.Id, TestStore.NewNudge(NudgeKind.Debrief, T0, "Kim Lee"));
        RefuseRepeatedInterviewers(store);
        var input = DistinctNudges(ManyNudges);
        // The very last row repeats the earlier interview's interviewer: the first chunks are already written by then.
        input[^1] = input[^1] with { Interviewer = "Kim Lee" };

        await Assert.ThrowsAnyAsync<Exception>(() => store.Interviews.AddAsync(TestStore.NewInterview(member.Id), input, None));

        Assert.Equal(1L, Count(store, "interviews"));
        Assert.Equal(1L, Count(store, "nudges"));
        // The number the failed interview would have had is free for the next one.
        var (next, nudges) = await store.AddInterviewAsync(member.Id, TestStore.NewNudge(NudgeKind.Debrief, T0));
        Assert.Equal((first.Number + 1, 1), (next.Number, nudges.Count));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ARePlanRefusedInItsLastNudgeChangesNothing(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        var (interview, planned) = await store.Interviews.AddAsync(TestStore.NewInterview(member.Id),
            DistinctNudges(NudgeRows.ChangesPerBatch + 3, "Planned"), None);
        RefuseRepeatedInterviewers(store);
        var replan = DistinctNudges(ManyNudges, "Replanned");
        replan[^1] = replan[^1] with { Interviewer = planned[0].Interviewer };
        var cancelAll = planned.Select(n => new NudgeStateChange(n.Id, [NudgeState.Pending, NudgeState.Snoozed], NudgeState.Cancelled))
            .ToList();

        await Assert.ThrowsAnyAsync<Exception>(() => store.Interviews.UpdateAsync(
            interview with { Outcome = Outcome.Rejected }, new NudgeChanges(replan, cancelAll), None));

        Assert.Null((await store.Interviews.GetAsync(interview.Id, None))?.Outcome);
        Assert.Equal(planned.OrderBy(n => n.Id), (await store.Nudges.ListByInterviewAsync(interview.Id, None)).OrderBy(n => n.Id));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ARePlanWithManyChangesAppliesEachInOrderAndAddsEveryNudge(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        var (interview, planned) = await store.Interviews.AddAsync(TestStore.NewInterview(member.Id),
            Enumerable.Range(0, NudgeRows.ChangesPerBatch + 20)
                .Select(i => TestStore.NewNudge(NudgeKind.FollowUp, T0.AddHours(i), $"Planned {i}")).ToList(), None);
        await store.Nudges.ChangeStateAsync(planned[1].Id, [NudgeState.Pending], NudgeState.Done, null, None);
        var snoozedUntil = T0.AddDays(9);
        var changes = new List<NudgeStateChange>
        {
            // A later change sees an earlier one in the same batch: snoozed first, then moved back to pending.
            new(planned[0].Id, [NudgeState.Pending], NudgeState.Snoozed, snoozedUntil),
            new(planned[0].Id, [NudgeState.Snoozed], NudgeState.Pending),
            // Done is not among the states it may leave: not applied.
            new(planned[1].Id, [NudgeState.Pending], NudgeState.Cancelled),
            // From no state at all: never applies.
            new(planned[2].Id, [], NudgeState.Cancelled),
        };
        changes.AddRange(planned.Skip(3).Select(n => new NudgeStateChange(n.Id, [NudgeState.Pending], NudgeState.Cancelled)));
        var added = DistinctNudges(ManyNudges, "Replanned");

        var result = await store.Interviews.UpdateAsync(interview, new NudgeChanges(added, changes), None);

        Assert.Equal(new[] { planned[0].Id, planned[0].Id }.Concat(planned.Skip(3).Select(n => n.Id)), result.Changed);
        var stored = (await store.Nudges.ListByInterviewAsync(interview.Id, None)).ToDictionary(n => n.Id);
        Assert.Equal((NudgeState.Pending, snoozedUntil), (stored[planned[0].Id].State, stored[planned[0].Id].DueAt));
        Assert.Equal(NudgeState.Done, stored[planned[1].Id].State);
        Assert.Equal(NudgeState.Pending, stored[planned[2].Id].State);
        Assert.All(planned.Skip(3), n => Assert.Equal(NudgeState.Cancelled, stored[n.Id].State));
        Assert.Equal(added.Count, result.Added.Count);
        for (var i = 0; i < added.Count; i++)
            Assert.Equal(added[i] with { Id = result.Added[i].Id, InterviewId = interview.Id, MemberId = member.Id }, result.Added[i]);
        Assert.All(result.Added, n => Assert.Equal(n, stored[n.Id]));
        Assert.Equal(planned.Count + added.Count, stored.Count);
    }
}
