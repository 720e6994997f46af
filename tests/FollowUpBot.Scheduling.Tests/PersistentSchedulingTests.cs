using Dapper;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Ports;
using FollowUpBot.Storage;

namespace FollowUpBot.Scheduling.Tests;

/// <summary>The real host, the real Quartz store in the SQLite file, and restarts over that file.</summary>
public sealed class PersistentSchedulingTests
{
    // A Friday morning, UTC, outside the default quiet hours (21:00-08:00).
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Every nudge of these tests within the scheduling horizon, so each one is to hold a trigger.</summary>
    private static readonly Dictionary<string, string?> WideHorizon = new() { ["Scheduling:Horizon"] = "30.00:00:00" };

    [Fact]
    public async Task NudgeScheduledInOneLifetimeFiresInTheNext()
    {
        await using var bot = new TestBot(T0);
        await bot.StartAsync();
        var member = await bot.AddMemberAsync();
        var nudge = (await bot.AddNudgesAsync(member, (NudgeKind.ThankYou, T0.AddHours(2))))[0];
        Assert.Equal([$"nudge-{nudge.Id}"], bot.NudgeTriggers());

        await bot.RestartAsync(T0.AddMinutes(1));
        Assert.Empty(bot.Platform.DirectMessages);
        bot.Clock.SetUtcNow(T0.AddHours(2));
        await TestBot.EventuallyAsync(() => bot.StateOf(nudge.Id) == NudgeState.Sent, "the nudge is sent");

        var sent = Assert.Single(bot.Platform.DirectMessages);
        Assert.Equal((NudgeKind.ThankYou, T0.AddHours(2), false), (sent.Nudge!.Kind, sent.Nudge.LocalDueAt, sent.Nudge.Late));
        Assert.Equal($"n{nudge.Id}d1", sent.DeliveryKey);
        Assert.False(sent.PossibleRepeat);
        Assert.Contains("Ana Ruiz", sent.Message.Text);
        await TestBot.EventuallyAsync(() => bot.NudgeTriggers().Count == 0, "the fired trigger is gone");
    }

    [Fact]
    public async Task NothingFiresBeforeTheSimulatedClockReachesTheDueTime()
    {
        await using var bot = new TestBot(T0);
        await bot.StartAsync();
        var member = await bot.AddMemberAsync();
        var nudge = (await bot.AddNudgesAsync(member, (NudgeKind.HoldOff, T0.AddHours(3))))[0];

        // Everything due by one second before has run (a wrong early fire would have): the nudge is still pending.
        await bot.WalkToAsync(T0.AddHours(3) - TimeSpan.FromSeconds(1));
        Assert.Equal(NudgeState.Pending, bot.StateOf(nudge.Id));
        Assert.Empty(bot.Platform.DirectMessages);

        bot.Clock.Advance(TimeSpan.FromSeconds(1));
        await TestBot.EventuallyAsync(() => bot.StateOf(nudge.Id) == NudgeState.Sent, "the nudge is sent");
        Assert.False(Assert.Single(bot.Platform.DirectMessages).Nudge!.Late);
    }

    [Fact]
    public async Task NudgeThatFellDueWhileDownIsDeliveredOnceAtStartWithLateWording()
    {
        await using var bot = new TestBot(T0);
        await bot.StartAsync();
        var member = await bot.AddMemberAsync();
        var nudge = (await bot.AddNudgesAsync(member, (NudgeKind.ThankYou, T0.AddHours(1))))[0];

        // Down past the due time; thank_you may still go out up to a day late.
        await bot.RestartAsync(T0.AddHours(3));

        // Delivered during start-up, before the host would take any input.
        var sent = Assert.Single(bot.Platform.DirectMessages);
        Assert.True(sent.Nudge!.Late);
        Assert.Contains("late", sent.Message.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(NudgeState.Sent, bot.StateOf(nudge.Id));
        Assert.Empty(bot.NudgeTriggers());

        // Quartz running on past the old due time must not send it again: all due in the next five minutes has run.
        await bot.WalkToAsync(T0.AddHours(3).AddMinutes(5));
        Assert.Single(bot.Platform.DirectMessages);
    }

    [Fact]
    public async Task TriggerMisfiredWhileRunningFiresOnceWithLateWording()
    {
        await using var bot = new TestBot(T0);
        await bot.StartAsync();
        var member = await bot.AddMemberAsync();
        var nudge = (await bot.AddNudgesAsync(member, (NudgeKind.HoldOff, T0.AddHours(1))))[0];

        // The clock leaps an hour past the due time in one step: the trigger is past the misfire threshold, so the
        // scheduler leaves it to the store's misfire scan, which fires it at once.
        bot.Clock.SetUtcNow(T0.AddHours(2));
        await bot.RunOnUntilAsync(() => bot.StateOf(nudge.Id) == NudgeState.Sent && bot.NudgeTriggers().Count == 0,
            "the misfired nudge was sent");

        Assert.True(Assert.Single(bot.Platform.DirectMessages).Nudge!.Late);
    }

    [Fact]
    public async Task NudgeTooStaleForItsStepIsSkippedAtStart()
    {
        await using var bot = new TestBot(T0);
        await bot.StartAsync();
        var member = await bot.AddMemberAsync();
        var nudge = (await bot.AddNudgesAsync(member, (NudgeKind.ThankYouReminder, T0.AddHours(1))))[0];

        // thank_you_reminder allows 12 hours of lateness; the bot was down for two days.
        await bot.RestartAsync(T0.AddDays(2));

        Assert.Empty(bot.Platform.DirectMessages);
        var skipped = await bot.NudgeAsync(nudge.Id);
        Assert.Equal(NudgeState.Skipped, skipped!.State);
        Assert.Contains("too late", skipped.LastError);
        Assert.Empty(bot.NudgeTriggers());
    }

    [Fact]
    public async Task OverdueNudgeStillHoldsQuietHoursAndGoesOutInTheMorning()
    {
        await using var bot = new TestBot(T0);
        await bot.StartAsync();
        var member = await bot.AddMemberAsync();
        var nudge = (await bot.AddNudgesAsync(member, (NudgeKind.ThankYou, T0.AddHours(10))))[0]; // 20:00

        var night = new DateTimeOffset(2026, 12, 4, 23, 0, 0, TimeSpan.Zero);
        var morning = new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
        await bot.RestartAsync(night);

        Assert.Empty(bot.Platform.DirectMessages);
        var deferred = await bot.NudgeAsync(nudge.Id);
        Assert.Equal((NudgeState.Pending, morning), (deferred!.State, deferred.DueAt));
        Assert.Equal([$"nudge-{nudge.Id}"], bot.NudgeTriggers());

        bot.Clock.SetUtcNow(morning);
        await TestBot.EventuallyAsync(() => bot.StateOf(nudge.Id) == NudgeState.Sent, "the nudge is sent in the morning");
        Assert.Equal(morning, Assert.Single(bot.Platform.DirectMessages).Nudge!.LocalDueAt);
    }

    [Fact]
    public async Task SendInterruptedByACrashIsResentOnceAsAPossibleRepeat()
    {
        await using var bot = new TestBot(T0);
        await bot.StartAsync();
        var member = await bot.AddMemberAsync();
        var nudge = (await bot.AddNudgesAsync(member, (NudgeKind.HoldOff, T0.AddHours(1))))[0];
        // The process claimed the nudge and died before recording the result.
        Assert.NotNull(await bot.Get<INudgeRepository>().TryClaimAsync(nudge.Id, T0.AddHours(1), CancellationToken.None));

        await bot.RestartAsync(T0.AddHours(1).AddMinutes(1));

        var resent = Assert.Single(bot.Platform.DirectMessages);
        Assert.True(resent.PossibleRepeat);
        Assert.Equal($"n{nudge.Id}d1", resent.DeliveryKey);
        Assert.Equal(NudgeState.Sent, bot.StateOf(nudge.Id));

        // A second restart finds nothing left to resume.
        await bot.RestartAsync(T0.AddHours(2));
        Assert.Empty(bot.Platform.DirectMessages);
    }

    [Fact]
    public async Task TwoFiresOfOneTriggerSendOnce()
    {
        await using var bot = new TestBot(T0);
        await bot.StartAsync();
        var member = await bot.AddMemberAsync();
        var nudge = (await bot.AddNudgesAsync(member, (NudgeKind.HoldOff, T0.AddHours(1))))[0];
        var dispatcher = bot.Get<NudgeDispatcher>();

        // The trigger fires as the clock reaches the due time, while three more fires of it race in.
        bot.Clock.SetUtcNow(T0.AddHours(1));
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            Task.Run(() => dispatcher.DispatchAsync(nudge.Id, CancellationToken.None))));
        await TestBot.EventuallyAsync(() => bot.StateOf(nudge.Id) == NudgeState.Sent && bot.NudgeTriggers().Count == 0,
            "the nudge is sent and its trigger done");

        Assert.All(outcomes, o => Assert.Contains(o, new[] { DispatchOutcome.Delivered, DispatchOutcome.NotClaimable }));
        Assert.Single(bot.Platform.DirectMessages);
        using var connection = bot.OpenRaw();
        Assert.Equal(1L, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM deliveries"));
    }

    [Fact]
    public async Task RetriesRescheduleTheFiringTriggerUntilDelivered()
    {
        await using var bot = new TestBot(T0);
        await bot.StartAsync();
        var member = await bot.AddMemberAsync();
        var nudge = (await bot.AddNudgesAsync(member, (NudgeKind.HoldOff, T0.AddMinutes(10))))[0];
        bot.Platform.FailNext(DeliveryStatus.RetryLater, times: 2);

        bot.Clock.SetUtcNow(T0.AddMinutes(10));
        await TestBot.EventuallyAsync(() => bot.StateOf(nudge.Id) == NudgeState.Pending && bot.Platform.DirectMessages.Count == 1
            && bot.NudgeTriggers().Count == 1, "the first retry is scheduled");
        Assert.Equal(T0.AddMinutes(11), (await bot.NudgeAsync(nudge.Id))!.DueAt);

        bot.Clock.SetUtcNow(T0.AddMinutes(11));
        await TestBot.EventuallyAsync(() => bot.Platform.DirectMessages.Count == 2 && bot.StateOf(nudge.Id) == NudgeState.Pending
            && bot.NudgeTriggers().Count == 1, "the second retry is scheduled");
        Assert.Equal(T0.AddMinutes(13), (await bot.NudgeAsync(nudge.Id))!.DueAt);

        bot.Clock.SetUtcNow(T0.AddMinutes(13));
        await TestBot.EventuallyAsync(() => bot.StateOf(nudge.Id) == NudgeState.Sent, "the third attempt delivers");
        Assert.Equal(3, bot.Platform.DirectMessages.Count);
        Assert.All(bot.Platform.DirectMessages, m => Assert.Equal($"n{nudge.Id}d1", m.DeliveryKey));
    }

    [Fact]
    public async Task ReconcilerAddsMissingTriggersAndRemovesStrayOnes()
    {
        await using var bot = new TestBot(T0, WideHorizon);
        await bot.StartAsync();
        var member = await bot.AddMemberAsync();
        var scheduled = await bot.AddNudgesAsync(member, (NudgeKind.HoldOff, T0.AddDays(1)), (NudgeKind.KeepSearching, T0.AddDays(2)));
        // The job store itself, written at once, to leave it out of step with the rows.
        var triggers = bot.Get<QuartzNudgeScheduler>();
        // A crash between commit and scheduling: rows without triggers.
        var (_, unscheduled) = await bot.Get<IInterviewRepository>().AddAsync(
            new Interview(0, member.Id, 0, "Globex", null, ["Kim"], InterviewFormat.Phone, T0, null, false, [], null, T0),
            [new Nudge(0, 0, 0, NudgeKind.MailCard, T0.AddDays(1), null, 0, NudgeState.Pending)], CancellationToken.None);
        // A nudge marked done whose trigger survived, and a trigger whose nudge never existed.
        await bot.Get<INudgeRepository>().ChangeStateAsync(scheduled[1].Id, [NudgeState.Pending], NudgeState.Done, null, CancellationToken.None);
        await triggers.ScheduleAsync([new ScheduledNudgeRow(9999, T0.AddDays(3))], CancellationToken.None);
        // And a trigger at the wrong time.
        await bot.Get<INudgeRepository>().ChangeStateAsync(scheduled[0].Id, [NudgeState.Pending], NudgeState.Snoozed, T0.AddDays(4), CancellationToken.None);

        var report = await bot.Get<NudgeReconciler>().ReconcileAsync(CancellationToken.None);

        Assert.Equal(new[] { scheduled[0].Id, unscheduled[0].Id }.Select(id => $"nudge-{id}").Order(StringComparer.Ordinal),
            bot.NudgeTriggers().Order(StringComparer.Ordinal));
        Assert.Equal((2, 2), (report.TriggersAdded, report.TriggersRemoved));
        using var connection = bot.OpenRaw();
        Assert.Equal(T0.AddDays(4).UtcTicks, connection.ExecuteScalar<long>(
            "SELECT START_TIME FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = @name", new { name = $"nudge-{scheduled[0].Id}" }));

        // Nothing is left to repair.
        Assert.Equal(new ReconcileReport(0, 0, 0, 0), await bot.Get<NudgeReconciler>().ReconcileAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReconcilerMatchesRowsAndTriggersByNumberNotByName()
    {
        // "nudge-10" sorts before "nudge-9" as text: the side-by-side walk must not read that as a gap.
        await using var bot = new TestBot(T0, WideHorizon);
        await bot.StartAsync();
        var member = await bot.AddMemberAsync();
        var all = await bot.AddNudgesAsync(member, Enumerable.Range(1, 120).Select(i => (NudgeKind.HoldOff, T0.AddHours(i))).ToArray());
        var triggers = bot.Get<QuartzNudgeScheduler>();
        var unscheduled = all.Where(n => n.Id % 3 == 0).Select(n => n.Id).ToList();
        await triggers.UnscheduleAsync(unscheduled, CancellationToken.None);
        var done = all.Where(n => n.Id % 7 == 0 && n.Id % 3 != 0).Select(n => n.Id).ToList();
        foreach (var id in done)
            await bot.Get<INudgeRepository>().ChangeStateAsync(id, [NudgeState.Pending], NudgeState.Done, null, CancellationToken.None);
        await triggers.ScheduleAsync([new ScheduledNudgeRow(5_000, T0.AddDays(3))], CancellationToken.None);

        var report = await bot.Get<NudgeReconciler>().ReconcileAsync(CancellationToken.None);

        Assert.Equal((unscheduled.Count, done.Count + 1), (report.TriggersAdded, report.TriggersRemoved));
        Assert.Equal(all.Select(n => n.Id).Except(done).Select(id => $"nudge-{id}").Order(StringComparer.Ordinal),
            bot.NudgeTriggers().Order(StringComparer.Ordinal));
        Assert.Equal(new ReconcileReport(0, 0, 0, 0), await bot.Get<NudgeReconciler>().ReconcileAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ScheduledWorkNamesTheNextFireAndIsIdleOnceItHasRun()
    {
        // The console walks its simulated clock from one fire time to the next and waits for idle at each.
        await using var bot = new TestBot(T0);
        await bot.StartAsync();
        var work = bot.Get<IScheduledWork>();
        var member = await bot.AddMemberAsync();
        var nudge = (await bot.AddNudgesAsync(member, (NudgeKind.ThankYou, T0.AddMinutes(30))))[0];

        // The nudge is the earliest work (the nightly clean-up comes later); nothing is due yet.
        Assert.Equal(T0.AddMinutes(30), await work.NextDueAtAsync(CancellationToken.None));
        Assert.True(await work.IsIdleAsync(T0, CancellationToken.None));
        Assert.False(await work.IsIdleAsync(T0.AddMinutes(30), CancellationToken.None), "work due at that time has not run");

        bot.Clock.SetUtcNow(T0.AddMinutes(30));
        await TestBot.EventuallyAsync(() => work.IsIdleAsync(T0.AddMinutes(30), CancellationToken.None).GetAwaiter().GetResult(), "the due work has run");
        Assert.Equal(NudgeState.Sent, bot.StateOf(nudge.Id));
        Assert.True(await work.NextDueAtAsync(CancellationToken.None) > T0.AddMinutes(30));
    }

    [Fact]
    public async Task MigrationAndQuartzSchemaSurviveASecondStart()
    {
        await using var bot = new TestBot(T0);
        await bot.StartAsync();
        await bot.RestartAsync(T0.AddMinutes(1));

        using var connection = bot.OpenRaw();
        // Every migration this build embeds, each applied once.
        var versions = connection.Query<long>("SELECT version FROM schema_version ORDER BY version").ToList();
        Assert.Equal(typeof(Storage.StorageOptions).Assembly.GetManifestResourceNames().Count(n => n.Contains(".Migrations.Sqlite.", StringComparison.Ordinal)),
            versions.Distinct().Count());
        Assert.Equal(versions.Distinct(), versions);
        Assert.Equal(1L, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM QRTZ_JOB_DETAILS WHERE JOB_GROUP = 'nudges'"));
        Assert.Equal("wal", connection.ExecuteScalar<string>("PRAGMA journal_mode"));
    }
}
