using Dapper;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Storage;
using FollowUpBot.Storage.Migrations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace FollowUpBot.Scheduling;

/// <summary>What one reconciliation did.</summary>
public sealed record ReconcileReport(int Resumed, int DispatchedOverdue, int TriggersAdded, int TriggersRemoved);

/// <summary>
/// Keeps the schedule in step with the nudge rows, which are the truth. At start, before the scheduler runs
/// and before the host accepts input, it (1) resumes sends a crash interrupted, (2) dispatches nudges that fell
/// due while the bot was down (the dispatcher delivers them late, defers them out of quiet hours or skips
/// them), and (3) gives every pending or snoozed nudge exactly one trigger and removes the others' triggers.
/// It repeats (2) and (3) every <see cref="SchedulingOptions.ReconcileInterval"/>.
/// </summary>
public sealed class NudgeReconciler(
    DatabaseMigrator migrator,
    IDbConnectionFactory connections,
    INudgeRepository nudges,
    NudgeDispatcher dispatcher,
    ISchedulerFactory schedulers,
    INudgeScheduler nudgeScheduler,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<NudgeReconciler> logger)
{
    private static readonly NudgeState[] Scheduled = [NudgeState.Pending, NudgeState.Snoozed];

    /// <summary>
    /// In a cluster, a nudge in sending may be in flight on another, living instance; one claimed this long ago was
    /// abandoned (a send takes seconds). Fresher ones are left to Quartz, which recovers a dead instance's firings.
    /// </summary>
    public static readonly TimeSpan AbandonedClaimAge = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _interruptedResumed;

    public TimeSpan Interval => options.Value.ReconcileInterval;

    /// <summary>
    /// Runs one reconciliation. The first call in a process also resumes interrupted sends, so it must come
    /// before the scheduler starts firing; the hosted service makes that call at start.
    /// </summary>
    public async Task<ReconcileReport> ReconcileAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var resumed = 0;
            if (!_interruptedResumed)
            {
                resumed = await ResumeInterruptedAsync(cancellationToken);
                _interruptedResumed = true;
            }
            var overdue = await DispatchOverdueAsync(cancellationToken);
            var (added, removed) = await SyncTriggersAsync(cancellationToken);
            var report = new ReconcileReport(resumed, overdue, added, removed);
            if (report != new ReconcileReport(0, 0, 0, 0))
                logger.LogInformation("Reconciled nudges and triggers: {Report}", report);
            return report;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<int> ResumeInterruptedAsync(CancellationToken cancellationToken)
    {
        var interrupted = await nudges.ListByStateAsync([NudgeState.Sending], cancellationToken);
        if (connections.Provider == StorageProvider.Postgres)
        {
            var abandonedBefore = time.GetUtcNow() - AbandonedClaimAge;
            interrupted = interrupted.Where(n => n.ClaimedAt is not { } claimed || claimed <= abandonedBefore).ToList();
        }
        foreach (var nudge in interrupted)
            await dispatcher.ResumeInterruptedAsync(nudge.Id, cancellationToken);
        return interrupted.Count;
    }

    private async Task<int> DispatchOverdueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var overdue = (await nudges.ListByStateAsync(Scheduled, cancellationToken)).Where(n => n.DueAt <= now).ToList();
        foreach (var nudge in overdue)
        {
            var outcome = await dispatcher.DispatchAsync(nudge.Id, cancellationToken);
            logger.LogDebug("Overdue nudge {NudgeId} ({Kind}, due {DueAt:O}): {Outcome}", nudge.Id, nudge.Kind.Name(), nudge.DueAt, outcome);
        }
        return overdue.Count;
    }

    private async Task<(int Added, int Removed)> SyncTriggersAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        // Triggers first, rows second: a nudge stored and scheduled in between is then seen as a row that
        // needs a trigger (scheduled again, harmlessly), never as a trigger without a row (removed wrongly).
        var triggers = await StoredNudgeTriggersAsync(scheduler.SchedulerName, cancellationToken);
        var scheduled = await nudges.ListByStateAsync(Scheduled, cancellationToken);

        var missing = scheduled
            .Where(n => !triggers.TryGetValue(n.Id, out var t) || t.StartTicks != n.DueAt.UtcTicks || t.NextFireTicks is null or <= 0)
            .ToList();
        await nudgeScheduler.ScheduleAsync(missing, cancellationToken);

        var wanted = scheduled.Select(n => n.Id).ToHashSet();
        var strays = new List<long>();
        foreach (var nudgeId in triggers.Keys.Where(id => !wanted.Contains(id)))
        {
            // Looked at again: it may have been snoozed (and rescheduled) since the list was read.
            if (await nudges.GetAsync(nudgeId, cancellationToken) is not { IsScheduled: true })
                strays.Add(nudgeId);
        }
        await nudgeScheduler.UnscheduleAsync(strays, cancellationToken);
        return (missing.Count, strays.Count);
    }

    /// <summary>
    /// Reads the nudge triggers straight from Quartz's table in one query. Loading them through the scheduler API
    /// costs a round trip and a job-data read per trigger, which made a restart with 50,000 pending nudges take
    /// a minute and a half. Unquoted names match both the SQLite and the PostgreSQL schema.
    /// </summary>
    private async Task<Dictionary<long, StoredTrigger>> StoredNudgeTriggersAsync(string schedulerName, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Name, long Start, long? Next)>(new CommandDefinition(
            "SELECT TRIGGER_NAME, START_TIME, NEXT_FIRE_TIME FROM QRTZ_TRIGGERS WHERE SCHED_NAME = @scheduler AND TRIGGER_GROUP = @group",
            new { scheduler = schedulerName, group = QuartzNudgeScheduler.Group }, cancellationToken: cancellationToken));
        var triggers = new Dictionary<long, StoredTrigger>();
        foreach (var (name, start, next) in rows)
            if (QuartzNudgeScheduler.NudgeIdOf(new TriggerKey(name, QuartzNudgeScheduler.Group)) is { } nudgeId)
                triggers[nudgeId] = new StoredTrigger(start, next);
        return triggers;
    }
}

/// <summary>A nudge trigger as Quartz stores it: start and next fire time in UTC ticks.</summary>
internal sealed record StoredTrigger(long StartTicks, long? NextFireTicks);

/// <summary>Runs the nudge and digest reconcilers when the host starts (awaited, so before later hosted services and before the
/// host reports started) and then every <see cref="SchedulingOptions.ReconcileInterval"/>.</summary>
internal sealed class NudgeReconcilerService(NudgeReconciler reconciler, DigestReconciler digests, ILogger<NudgeReconcilerService> logger)
    : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await reconciler.ReconcileAsync(cancellationToken);
        await digests.ReconcileAsync(cancellationToken);
        _loop = RepeatAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is not null) await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RepeatAsync(CancellationToken stopping)
    {
        // Real time on purpose: a simulated clock jumping days ahead must not multiply this housekeeping.
        using var timer = new PeriodicTimer(reconciler.Interval, TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await reconciler.ReconcileAsync(stopping);
                    await digests.ReconcileAsync(stopping);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Reconciling nudges and triggers failed; trying again in {Interval}", reconciler.Interval);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
