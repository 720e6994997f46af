using FollowUpBot.Core.Domain;
using FollowUpBot.Testing;

namespace FollowUpBot.Storage.Tests;

/// <summary>A burst's nudges claimed in groups: one statement per group, still exactly once each.</summary>
public sealed class GroupClaimTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = TestStore.T0;

    private static async Task<IReadOnlyList<Nudge>> AddDueAsync(TestStore store, params DateTimeOffset[] dueAt)
    {
        var member = await store.AddMemberAsync();
        var nudges = new List<Nudge>();
        foreach (var due in dueAt)
            nudges.AddRange((await store.AddInterviewAsync(member.Id, TestStore.NewNudge(NudgeKind.HoldOff, due))).Nudges);
        return nudges;
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task AFiringClaimsItsNudgeFirstThenOthersDueByNowEachWithItsInterviewAndMember(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        // The fired nudge is due in 5 s (a trigger may fire that early), one other is overdue, one is not due yet.
        var nudges = await AddDueAsync(store, T0.AddSeconds(5), T0.AddMinutes(-1), T0.AddHours(1), T0);

        var claimed = await store.Nudges.TryClaimDueAsync(nudges[0].Id, T0, T0.AddSeconds(10), others: 10, None);

        Assert.Equal([nudges[0].Id, nudges[1].Id, nudges[3].Id], claimed.Select(c => c.Nudge.Id));
        foreach (var c in claimed)
        {
            Assert.Equal(c.Nudge, await store.Nudges.GetAsync(c.Nudge.Id, None));
            Assert.Equal(NudgeState.Sending, c.Nudge.State);
            Assert.Equal(1, c.Nudge.Attempts);
            Assert.Equal(T0, c.Nudge.ClaimedAt);
            Assert.Equivalent(await store.Interviews.GetAsync(c.Nudge.InterviewId, None), c.Interview, strict: true);
            Assert.Equivalent(await store.Members.GetAsync(c.Nudge.MemberId, None), c.Member, strict: true);
        }
        Assert.Equal(NudgeState.Pending, (await store.Nudges.GetAsync(nudges[2].Id, None))!.State);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task AGroupClaimTakesAtMostTheFiredNudgeAndTheOthersAskedForEarliestFirst(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var nudges = await AddDueAsync(store, T0, T0.AddMinutes(-3), T0.AddMinutes(-2), T0.AddMinutes(-1));

        var claimed = await store.Nudges.TryClaimDueAsync(nudges[0].Id, T0, T0, others: 2, None);

        Assert.Equal([nudges[0].Id, nudges[1].Id, nudges[2].Id], claimed.Select(c => c.Nudge.Id));
        Assert.Equal(NudgeState.Pending, (await store.Nudges.GetAsync(nudges[3].Id, None))!.State);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task AClaimThatReturnsTheNudgeAndMemberInOneTripStillRefusesASecondClaimer(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var nudges = await AddDueAsync(store, T0, T0);

        Assert.Equal(2, (await store.Nudges.TryClaimDueAsync(nudges[0].Id, T0, T0, others: 5, None)).Count);

        Assert.Empty(await store.Nudges.TryClaimDueAsync(nudges[1].Id, T0, T0, others: 5, None));
        Assert.Null(await store.Nudges.TryClaimAsync(nudges[1].Id, T0, None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ConcurrentGroupClaimsNeverHandOutANudgeTwice(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var nudges = await AddDueAsync(store, Enumerable.Range(0, 40).Select(i => T0.AddSeconds(-i)).ToArray());

        var groups = await Task.WhenAll(nudges.Take(12).Select(n =>
            Task.Run(() => store.Nudges.TryClaimDueAsync(n.Id, T0, T0, others: 4, None))));

        var claimed = groups.SelectMany(g => g.Select(c => c.Nudge.Id)).ToList();
        Assert.Equal(claimed.Count, claimed.Distinct().Count());
        Assert.NotEmpty(claimed);
        foreach (var id in claimed) Assert.Equal(NudgeState.Sending, (await store.Nudges.GetAsync(id, None))!.State);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ARecoveredFiringFindsExactlyTheNudgesItsGroupLeftInSending(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var nudges = await AddDueAsync(store, T0, T0.AddSeconds(-2), T0.AddSeconds(-1), T0.AddHours(1));
        await store.Nudges.TryClaimDueAsync(nudges[0].Id, T0, T0, others: 1, None); // the fired nudge and nudges[1]
        await store.Nudges.TryClaimDueAsync(nudges[3].Id, T0, T0, others: 5, None); // not due itself: takes nudges[2]
        Assert.Equal([nudges[0].Id], await store.Nudges.CompleteSentAsync([nudges[0].Id], T0, None));

        Assert.Equal([nudges[1].Id], (await store.Nudges.ListClaimedByFiringAsync(nudges[0].Id, None)).Select(n => n.Id));
        Assert.Equal([nudges[2].Id], (await store.Nudges.ListClaimedByFiringAsync(nudges[3].Id, None)).Select(n => n.Id));
        Assert.Empty(await store.Nudges.ListClaimedByFiringAsync(nudges[2].Id, None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task AGroupsDeliveriesAreRecordedOnceEachInOneCall(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var nudges = await AddDueAsync(store, T0, T0, T0);
        await store.Nudges.TryClaimDueAsync(nudges[0].Id, T0, T0, others: 1, None);
        var ids = new[] { nudges[0].Id, nudges[1].Id, nudges[2].Id }; // the last was never claimed

        Assert.Equal([nudges[0].Id, nudges[1].Id], (await store.Nudges.CompleteSentAsync(ids, T0.AddSeconds(1), None)).Order());
        Assert.Empty(await store.Nudges.CompleteSentAsync(ids, T0.AddSeconds(2), None));

        foreach (var id in ids.Take(2))
        {
            var sent = (await store.Nudges.GetAsync(id, None))!;
            Assert.Equal((NudgeState.Sent, 1, 0, T0.AddSeconds(1)), (sent.State, sent.Deliveries, sent.Attempts, sent.SentAt));
        }
        Assert.Equal(NudgeState.Pending, (await store.Nudges.GetAsync(nudges[2].Id, None))!.State);
    }
}
