using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace FollowUpBot.Scheduling.Tests;

/// <summary>
/// The scheduling horizon on the real host over a SQLite file with a simulated clock: nudges beyond it are rows only,
/// and reach Quartz as the window moves on (here a day wide, moved every six hours, so three weeks are 84 runs).
/// </summary>
public sealed class HorizonTests
{
    // A Friday morning, UTC, outside the default quiet hours (21:00-08:00).
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string?> Window = new()
    {
        ["Scheduling:Horizon"] = "1.00:00:00",
        ["Scheduling:HorizonInterval"] = "06:00:00",
    };

    [Fact]
    public async Task NudgePlannedThreeWeeksOutFiresOnTimeAfterPassingThroughTheWindow()
    {
        await using var bot = new TestBot(T0, Window);
        await bot.StartAsync();
        var member = await bot.AddMemberAsync();
        var due = T0.AddDays(21);
        var nudge = (await bot.AddNudgesAsync(member, (NudgeKind.HoldOff, due)))[0];
        Assert.Empty(bot.NudgeTriggers());

        await bot.WalkHorizonToAsync(due.AddDays(-1).AddHours(-1));
        Assert.Empty(bot.NudgeTriggers());
        Assert.Equal(NudgeState.Pending, bot.StateOf(nudge.Id));

        await bot.WalkHorizonToAsync(due.AddHours(-1));
        Assert.Equal([$"nudge-{nudge.Id}"], bot.NudgeTriggers());
        Assert.Empty(bot.Platform.DirectMessages);

        bot.Clock.SetUtcNow(due);
        await TestBot.EventuallyAsync(() => bot.StateOf(nudge.Id) == NudgeState.Sent, "the nudge is sent");
        var sent = Assert.Single(bot.Platform.DirectMessages);
        Assert.Equal((due, false), (sent.Nudge!.LocalDueAt, sent.Nudge.Late));
    }

    [Fact]
    public async Task NudgeBeyondTheEdgeAtStopGetsItsTriggerWhenARestartFindsItInside()
    {
        await using var bot = new TestBot(T0, Window);
        await bot.StartAsync();
        var member = await bot.AddMemberAsync();
        var due = T0.AddDays(1).AddMinutes(30);
        var nudge = (await bot.AddNudgesAsync(member, (NudgeKind.HoldOff, due)))[0];
        Assert.Empty(bot.NudgeTriggers());

        // Down for an hour: the edge passed the nudge while nothing ran; the start-up reconciliation admits it.
        await bot.RestartAsync(T0.AddHours(1));
        Assert.Equal([$"nudge-{nudge.Id}"], bot.NudgeTriggers());

        bot.Clock.SetUtcNow(due);
        await TestBot.EventuallyAsync(() => bot.StateOf(nudge.Id) == NudgeState.Sent, "the nudge is sent");
        Assert.False(Assert.Single(bot.Platform.DirectMessages).Nudge!.Late);
    }

    [Fact]
    public async Task NudgeStillBeyondTheEdgeAfterARestartEntersWithTheNextHorizonRun()
    {
        await using var bot = new TestBot(T0, Window);
        await bot.StartAsync();
        var member = await bot.AddMemberAsync();
        var due = T0.AddDays(1).AddHours(3);
        var nudge = (await bot.AddNudgesAsync(member, (NudgeKind.HoldOff, due)))[0];

        await bot.RestartAsync(T0.AddHours(1));
        Assert.Empty(bot.NudgeTriggers());

        await bot.WalkHorizonToAsync(due);
        await TestBot.EventuallyAsync(() => bot.StateOf(nudge.Id) == NudgeState.Sent, "the nudge is sent");
        Assert.False(Assert.Single(bot.Platform.DirectMessages).Nudge!.Late);
    }

    [Fact]
    public async Task FarNudgeIsDeliveredOnceAfterTheClockJumpsPastIt()
    {
        await using var bot = new TestBot(T0, Window);
        await bot.StartAsync();
        var member = await bot.AddMemberAsync();
        var due = T0.AddDays(21);
        var nudge = (await bot.AddNudgesAsync(member, (NudgeKind.HoldOff, due)))[0];

        // Three weeks in one step: the horizon job's trigger has misfired and runs once at once (through the store's
        // misfire scan); the nudge it admits is overdue and fires at once too. Then time runs on as in a real process.
        bot.Clock.SetUtcNow(due.AddSeconds(30));
        var leap = bot.Clock.GetUtcNow();
        while (bot.StateOf(nudge.Id) != NudgeState.Sent)
        {
            Assert.True(bot.Clock.GetUtcNow() - leap < TimeSpan.FromMinutes(2), "The nudge was not sent within two minutes of the jump.");
            await Task.Delay(50);
            bot.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        await bot.SettledAsync();
        Assert.Single(bot.Platform.DirectMessages);
        Assert.Empty(bot.NudgeTriggers());
    }

    [Fact]
    public async Task NudgeMovedBeyondTheHorizonLosesItsTriggerAndIsNotSentAtItsOldTime()
    {
        await using var bot = new TestBot(T0, Window);
        await bot.StartAsync();
        var member = await bot.AddMemberAsync();
        var nudge = (await bot.AddNudgesAsync(member, (NudgeKind.HoldOff, T0.AddHours(2))))[0];
        Assert.Equal([$"nudge-{nudge.Id}"], bot.NudgeTriggers());

        var later = T0.AddDays(5);
        Assert.True(await bot.Get<INudgeRepository>().ChangeStateAsync(nudge.Id, [NudgeState.Pending], NudgeState.Pending, later, CancellationToken.None));
        await bot.Get<INudgeScheduler>().ScheduleAsync([nudge with { DueAt = later }], CancellationToken.None);
        await bot.FlushTriggersAsync();
        Assert.Empty(bot.NudgeTriggers());

        // Everything due by three hours has run, the old time included: nothing was sent.
        await bot.WalkToAsync(T0.AddHours(3));
        Assert.Empty(bot.Platform.DirectMessages);
        Assert.Equal(NudgeState.Pending, bot.StateOf(nudge.Id));
    }

    [Fact]
    public async Task ReconcilerLeavesNudgesBeyondTheHorizonAsRowsAndRemovesTheirStaleTriggers()
    {
        await using var bot = new TestBot(T0, Window);
        await bot.StartAsync();
        var member = await bot.AddMemberAsync();
        var far = await bot.AddNudgesAsync(member, (NudgeKind.HoldOff, T0.AddDays(5)), (NudgeKind.KeepSearching, T0.AddDays(6)));
        // A trigger left at an old time inside the window by a change that touched only the row.
        await bot.Get<QuartzNudgeScheduler>().ScheduleAsync([new ScheduledNudgeRow(far[1].Id, T0.AddHours(2))], CancellationToken.None);

        var report = await bot.Get<NudgeReconciler>().ReconcileAsync(CancellationToken.None);

        Assert.Equal((0, 1), (report.TriggersAdded, report.TriggersRemoved));
        Assert.Empty(bot.NudgeTriggers());
    }

    [Fact]
    public async Task TriggerFiringLongBeforeItsNudgeIsDueClaimsNothing()
    {
        await using var bot = new TestBot(T0, Window);
        await bot.StartAsync();
        var member = await bot.AddMemberAsync();
        var nudge = (await bot.AddNudgesAsync(member, (NudgeKind.HoldOff, T0.AddHours(2))))[0];

        // What a trigger left behind for a nudge since moved later would do.
        Assert.Equal(DispatchOutcome.NotClaimable, await bot.Get<NudgeDispatcher>().DispatchAsync(nudge.Id, CancellationToken.None));
        Assert.Equal(NudgeState.Pending, bot.StateOf(nudge.Id));
        Assert.Empty(bot.Platform.DirectMessages);
    }

    [Fact]
    public async Task ChangesToFarFutureNudgesWriteNothingToTheJobStore()
    {
        var store = new CountingTriggerStore();
        var window = new FixedWindow(T0.AddDays(1));
        using var writer = new NudgeTriggerWriter(store, NullLogger<NudgeTriggerWriter>.Instance, window);
        await writer.StartAsync(CancellationToken.None);
        Nudge At(long id, DateTimeOffset due) => new(id, 1, 1, NudgeKind.HoldOff, due, null, 0, NudgeState.Pending);

        // Planned, re-planned and cancelled beyond the window: one read of which hold triggers (none), no writes.
        await writer.ScheduleAsync([At(1, T0.AddDays(10)), At(2, T0.AddDays(12))], CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);
        await writer.ScheduleAsync([At(1, T0.AddDays(11))], CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);
        await writer.UnscheduleAsync([2], CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);
        Assert.Empty(store.Scheduled);
        Assert.Empty(store.Unscheduled);

        // Inside the window it is written at once; moved out again, its trigger goes.
        await writer.ScheduleAsync([At(3, T0.AddHours(5))], CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);
        Assert.Equal([3L], store.Scheduled);
        await writer.ScheduleAsync([At(3, T0.AddDays(9))], CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);
        Assert.Equal([3L], store.Unscheduled);
        await writer.StopAsync(CancellationToken.None);
    }

    private sealed class FixedWindow(DateTimeOffset edge) : ISchedulingWindow
    {
        public bool Holds(DateTimeOffset dueAt) => dueAt <= edge;
    }

    /// <summary>A job store that holds trigger ids only and records what was written to it.</summary>
    private sealed class CountingTriggerStore : INudgeTriggerStore
    {
        private readonly HashSet<long> _held = [];

        public List<long> Scheduled { get; } = [];

        public List<long> Unscheduled { get; } = [];

        public Task ScheduleAsync(IReadOnlyCollection<ScheduledNudgeRow> nudges, CancellationToken cancellationToken)
        {
            foreach (var n in nudges) { Scheduled.Add(n.Id); _held.Add(n.Id); }
            return Task.CompletedTask;
        }

        public Task UnscheduleAsync(IReadOnlyCollection<long> nudgeIds, CancellationToken cancellationToken)
        {
            foreach (var id in nudgeIds) { Unscheduled.Add(id); _held.Remove(id); }
            return Task.CompletedTask;
        }

        public Task<IReadOnlyCollection<long>> WithTriggersAsync(IReadOnlyCollection<long> nudgeIds, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyCollection<long>>(nudgeIds.Where(_held.Contains).ToList());
    }
}
