using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Core.Startup;
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
/// them), and (3) gives every pending or snoozed nudge within the horizon (<see cref="NudgeHorizon"/>) exactly one
/// trigger and removes the triggers of the others. Nudges beyond the horizon are not looked at: they hold no trigger.
/// It repeats (2) and (3) every <see cref="SchedulingOptions.ReconcileInterval"/>.
/// </summary>
public sealed class NudgeReconciler(
    DatabaseMigrator migrator,
    IDbConnectionFactory connections,
    INudgeRepository nudges,
    ScheduledNudgeRows scheduledRows,
    NudgeDispatcher dispatcher,
    QuartzTables tables,
    QuartzNudgeScheduler nudgeScheduler,
    NudgeHorizon horizon,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<NudgeReconciler> logger)
{
    // Triggers are written this many at a time: one job-store transaction each, small enough to leave the store's
    // lock to the firing threads in between.
    private const int SchedulePage = 2_000;

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
        var overdue = await scheduledRows.DueByAsync(time.GetUtcNow(), cancellationToken);
        foreach (var nudgeId in overdue)
        {
            var outcome = await dispatcher.DispatchAsync(nudgeId, cancellationToken);
            logger.LogDebug("Overdue nudge {NudgeId}: {Outcome}", nudgeId, outcome);
        }
        return overdue.Count;
    }

    /// <summary>
    /// Walks the nudge rows within the horizon and Quartz's nudge triggers side by side in id order, so memory stays
    /// flat with many of each: only the differences are kept. Loading every trigger through the scheduler API instead
    /// made a restart with 50,000 pending nudges take a minute and a half.
    /// </summary>
    private async Task<(int Added, int Removed)> SyncTriggersAsync(CancellationToken cancellationToken)
    {
        var edge = horizon.Edge;
        var missing = new List<ScheduledNudgeRow>();
        var strayCandidates = new List<StoredTrigger>();
        // Triggers first, rows second: a nudge stored and scheduled in between is then seen as a row that
        // needs a trigger (scheduled again, harmlessly), never as a trigger without a row (removed wrongly).
        await using (var triggers = tables.NudgeTriggersInIdOrderAsync(cancellationToken).GetAsyncEnumerator(cancellationToken))
        {
            var hasTrigger = await triggers.MoveNextAsync();
            await foreach (var row in scheduledRows.InIdOrderAsync(edge, cancellationToken))
            {
                while (hasTrigger && triggers.Current.NudgeId < row.Id)
                {
                    strayCandidates.Add(triggers.Current);
                    hasTrigger = await triggers.MoveNextAsync();
                }
                if (hasTrigger && triggers.Current.NudgeId == row.Id)
                {
                    if (!triggers.Current.FiresAt(row.DueAt)) missing.Add(row);
                    hasTrigger = await triggers.MoveNextAsync();
                }
                else
                {
                    missing.Add(row);
                }
            }
            for (; hasTrigger; hasTrigger = await triggers.MoveNextAsync())
                strayCandidates.Add(triggers.Current);
        }

        foreach (var page in missing.Chunk(SchedulePage))
            await nudgeScheduler.ScheduleAsync(page, cancellationToken);

        var strays = new List<long>();
        foreach (var trigger in strayCandidates)
        {
            // Looked at again: it may have been snoozed (and rescheduled) since the rows were read. A nudge re-planned
            // beyond the horizon keeps a trigger for its old time until here (changes out there touch only rows); one
            // admitted by an instance whose clock runs a little ahead keeps its trigger.
            var nudge = await nudges.GetAsync(trigger.NudgeId, cancellationToken);
            if (nudge is not { IsScheduled: true } || (!trigger.FiresAt(nudge.DueAt) && !horizon.Holds(nudge.DueAt)))
                strays.Add(trigger.NudgeId);
        }
        foreach (var page in strays.Chunk(SchedulePage))
            await nudgeScheduler.UnscheduleAsync(page, cancellationToken);
        return (missing.Count, strays.Count);
    }
}

/// <summary>The first reconciliation of a process (<see cref="StartStage.Reconcile"/>): after the migration, before the
/// scheduler starts firing, so interrupted sends are resumed and overdue nudges dispatched before anything new goes out;
/// then the horizon job is made sure of, so the nudges entering the window get their triggers.</summary>
internal sealed class StartupReconciliation(NudgeReconciler reconciler, DigestReconciler digests, NudgeHorizon horizon,
    ISchedulerFactory schedulers) : IStartStep
{
    public StartStage Stage => StartStage.Reconcile;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await reconciler.ReconcileAsync(cancellationToken);
        await digests.ReconcileAsync(cancellationToken);
        await horizon.EnsureJobScheduledAsync(await schedulers.GetScheduler(cancellationToken), cancellationToken);
    }
}

/// <summary>Runs the nudge and digest reconcilers every <see cref="SchedulingOptions.ReconcileInterval"/> after the start
/// (the first run is <see cref="StartupReconciliation"/>).</summary>
internal sealed class NudgeReconcilerService(NudgeReconciler reconciler, DigestReconciler digests, ILogger<NudgeReconcilerService> logger)
    : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = RepeatAsync(_stopping.Token);
        return Task.CompletedTask;
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
