using FollowUpBot.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace FollowUpBot.Scheduling;

/// <summary>
/// The scheduling horizon. The nudge rows are the truth; Quartz holds triggers only for nudges due within
/// <see cref="SchedulingOptions.Horizon"/> of now, and for overdue ones. A nudge planned inside the window gets its
/// trigger at once (<see cref="NudgeTriggerWriter"/>); one planned beyond it stays a row until the
/// <see cref="HorizonJob"/> admits it as the window moves on. Re-planning, cancelling or deleting a far-future
/// nudge therefore costs Quartz nothing, and the job store holds the next day and a half, not every plan.
/// </summary>
public sealed class NudgeHorizon(ScheduledNudgeRows rows, QuartzTables tables, QuartzNudgeScheduler nudgeScheduler, IOptions<SchedulingOptions> options,
    TimeProvider time, ILogger<NudgeHorizon> logger) : ISchedulingWindow
{
    // One job-store transaction per page, short enough to leave the trigger lock to the firing threads in between.
    internal const int Page = 1_000;

    public TimeSpan Length => options.Value.Horizon;

    /// <summary>The window's far end now: nudges due at or before it hold triggers.</summary>
    public DateTimeOffset Edge => time.GetUtcNow() + Length;

    /// <summary>Whether a nudge due then belongs in Quartz now.</summary>
    public bool Holds(DateTimeOffset dueAt) => dueAt <= Edge;

    /// <summary>
    /// Gives every pending or snoozed nudge due by the edge the trigger it lacks (or replaces one for an older due
    /// time), a page at a time in due order. Returns how many triggers it wrote. Safe to run anywhere at any time: a
    /// nudge already holding its trigger is left alone, and a trigger written twice is replaced, not doubled.
    /// </summary>
    public async Task<int> AdmitAsync(CancellationToken cancellationToken)
    {
        var edge = Edge;
        var written = 0;
        ScheduledNudgeRow? after = null;
        while (true)
        {
            var page = await rows.DuePageAsync(edge, after, Page, cancellationToken);
            if (page.Count == 0) break;
            var triggers = await tables.TriggersOfAsync(page.Select(r => r.Id).ToList(), cancellationToken);
            var missing = page.Where(r => !(triggers.TryGetValue(r.Id, out var t) && t.FiresAt(r.DueAt))).ToList();
            if (missing.Count > 0) await nudgeScheduler.ScheduleAsync(missing, cancellationToken);
            written += missing.Count;
            if (page.Count < Page) break;
            after = page[^1];
        }
        if (written > 0) logger.LogInformation("Horizon moved to {Edge:O}: {Count} nudges got their triggers", edge, written);
        return written;
    }

    /// <summary>
    /// Puts the horizon job's repeating trigger in the store, or replaces it when its interval changed. On a cluster
    /// every instance does this at start; the trigger is one row, so the job runs once per interval in all.
    /// </summary>
    internal async Task EnsureJobScheduledAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        var interval = options.Value.HorizonInterval;
        if (await scheduler.GetTrigger(HorizonJob.TriggerKey, cancellationToken) is ISimpleTrigger existing
            && existing.RepeatInterval == interval && existing.NextFireTimeUtc is not null)
            return;
        var trigger = TriggerBuilder.Create(time)
            .WithIdentity(HorizonJob.TriggerKey)
            .ForJob(HorizonJob.Key)
            .StartAt(time.GetUtcNow() + interval)
            // After a pause or a clock jump: run once at once, then every interval from then.
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithExistingCount))
            .Build();
        await scheduler.ScheduleJob(HorizonJob.Definition, [trigger], ScheduleJobOptions.Replacing, cancellationToken);
    }
}

/// <summary>
/// Moves the scheduling horizon on: every <see cref="SchedulingOptions.HorizonInterval"/>, on one instance of a
/// cluster (one trigger row, fired once), it gives triggers to the nudges that came within the window. Never two
/// at a time. The type name is stored in the job table, so keep it.
/// </summary>
[DisallowConcurrentExecution]
public sealed class HorizonJob(NudgeHorizon horizon, ILogger<HorizonJob> logger) : IJob
{
    public static readonly JobKey Key = new("horizon", "scheduling");

    public static readonly TriggerKey TriggerKey = new("horizon", "scheduling");

    public static readonly IJobDetail Definition =
        JobBuilder.Create<HorizonJob>().WithIdentity(Key).StoreDurably().Build();

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await horizon.AdmitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The next run (and every instance's reconciler) admits what this one did not.
            logger.LogError(e, "Moving the scheduling horizon on failed");
        }
    }
}
