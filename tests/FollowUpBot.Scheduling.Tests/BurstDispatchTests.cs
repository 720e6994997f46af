using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;

namespace FollowUpBot.Scheduling.Tests;

/// <summary>A firing delivers the other nudges due with it (Delivery:ClaimBatchSize), still each exactly once.</summary>
public sealed class BurstDispatchTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<List<Nudge>> AddAsync(DispatcherHarness h, params DateTimeOffset[] dueAt)
    {
        var nudges = new List<Nudge>();
        foreach (var due in dueAt) nudges.Add((await h.AddNudgeAsync(NudgeKind.HoldOff, due)).Nudge);
        return nudges;
    }

    [Fact]
    public async Task AFiringDeliversTheNudgesDueWithItAndTheirOwnTriggersThenFindNothing()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var nudges = await AddAsync(h, T0, T0, T0.AddSeconds(-30));

        Assert.Equal(DispatchOutcome.Delivered, await h.Dispatcher.DispatchAsync(nudges[0].Id, None));
        Assert.Equal(DispatchOutcome.NotClaimable, await h.Dispatcher.DispatchAsync(nudges[1].Id, None));
        Assert.Equal(DispatchOutcome.NotClaimable, await h.Dispatcher.DispatchAsync(nudges[2].Id, None));

        // The fired one first, then the others by due time; each recorded as sent once.
        Assert.Equal([nudges[0].DeliveryKey, nudges[2].DeliveryKey, nudges[1].DeliveryKey],
            h.Platform.DirectMessages.Select(m => m.DeliveryKey));
        foreach (var nudge in nudges)
        {
            var sent = await h.NudgeAsync(nudge.Id);
            Assert.Equal((NudgeState.Sent, 1), (sent.State, sent.Deliveries));
        }
    }

    [Fact]
    public async Task ANudgeNotYetDueWaitsForItsOwnTrigger()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var nudges = await AddAsync(h, T0, T0.AddMinutes(1));

        await h.Dispatcher.DispatchAsync(nudges[0].Id, None);

        Assert.Single(h.Platform.DirectMessages);
        Assert.Equal(NudgeState.Pending, (await h.NudgeAsync(nudges[1].Id)).State);
    }

    [Fact]
    public async Task AClaimBatchSizeOfOneDeliversOnlyTheFiredNudge()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0, new Dictionary<string, string?> { ["Delivery:ClaimBatchSize"] = "1" });
        var nudges = await AddAsync(h, T0, T0);

        await h.Dispatcher.DispatchAsync(nudges[0].Id, None);

        Assert.Equal(nudges[0].DeliveryKey, Assert.Single(h.Platform.DirectMessages).DeliveryKey);
        Assert.Equal(NudgeState.Pending, (await h.NudgeAsync(nudges[1].Id)).State);
    }

    [Fact]
    public async Task ARecoveredFiringResumesEveryNudgeItsGroupLeftInSendingAsAPossibleRepeatAndNoOther()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var nudges = await AddAsync(h, T0, T0, T0, T0);
        // An instance claimed two groups and died before sending: the firing of nudges[0] and that of nudges[2].
        await h.Nudges.TryClaimDueAsync(nudges[0].Id, T0, T0, others: 1, None);
        await h.Nudges.TryClaimDueAsync(nudges[2].Id, T0, T0, others: 1, None);

        Assert.Equal(DispatchOutcome.Delivered, await h.Dispatcher.ResumeFiringAsync(nudges[0].Id, None));

        Assert.Equal([nudges[0].DeliveryKey, nudges[1].DeliveryKey], h.Platform.DirectMessages.Select(m => m.DeliveryKey));
        Assert.All(h.Platform.DirectMessages, m => Assert.True(m.PossibleRepeat));
        Assert.Equal(NudgeState.Sending, (await h.NudgeAsync(nudges[2].Id)).State);
        Assert.Equal(NudgeState.Sending, (await h.NudgeAsync(nudges[3].Id)).State);
    }

    [Fact]
    public async Task ARecoveredFiringThatHadClaimedNothingDispatchesItsNudge()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var nudges = await AddAsync(h, T0);

        Assert.Equal(DispatchOutcome.Delivered, await h.Dispatcher.ResumeFiringAsync(nudges[0].Id, None));

        Assert.False(Assert.Single(h.Platform.DirectMessages).PossibleRepeat);
    }

    [Fact]
    public async Task ANudgeThatFailsInAGroupDoesNotStopTheOthers()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var nudges = await AddAsync(h, T0, T0, T0);
        h.Platform.FailNext(DeliveryStatus.PermanentFailure);

        await h.Dispatcher.DispatchAsync(nudges[0].Id, None);

        Assert.Equal(3, h.Platform.DirectMessages.Count);
        Assert.Equal(NudgeState.Failed, (await h.NudgeAsync(nudges[0].Id)).State);
        Assert.Equal(NudgeState.Sent, (await h.NudgeAsync(nudges[1].Id)).State);
        Assert.Equal(NudgeState.Sent, (await h.NudgeAsync(nudges[2].Id)).State);
    }
}
