using FollowUpBot.Core.Ports;
using Microsoft.Extensions.Logging;
using Quartz;

namespace FollowUpBot.Scheduling;

/// <summary>
/// Keeps exactly one digest trigger per cohort, with the cohort's current schedule and zone, and removes triggers
/// of cohorts that are gone (a crash between deleting rows and unscheduling leaves those).
/// </summary>
public sealed class DigestReconciler(ICohortRepository cohorts, ISchedulerFactory schedulers, ICohortScheduler cohortScheduler,
    ILogger<DigestReconciler> logger)
{
    public async Task<(int Added, int Removed)> ReconcileAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var triggers = (await scheduler.GetTriggersOfJob(DigestJob.Key, cancellationToken))
            .Where(t => QuartzCohortScheduler.CohortIdOf(t.Key) is not null)
            .ToDictionary(t => QuartzCohortScheduler.CohortIdOf(t.Key)!.Value);
        var all = await cohorts.ListAllAsync(cancellationToken);

        var added = 0;
        foreach (var cohort in all)
        {
            var (cron, zone) = QuartzCohortScheduler.ScheduleOf(cohort);
            if (triggers.TryGetValue(cohort.Id, out var trigger) && trigger is ICronTrigger c
                && c.CronExpressionString == cron && c.TimeZone.Id == zone.Id && c.NextFireTimeUtc is not null)
                continue;
            await cohortScheduler.ScheduleDigestAsync(cohort, cancellationToken);
            added++;
        }

        var wanted = all.Select(c => c.Id).ToHashSet();
        var strays = new List<long>();
        foreach (var cohortId in triggers.Keys.Where(id => !wanted.Contains(id)))
        {
            // Looked at again: it may have been created since the list was read.
            if (await cohorts.GetAsync(cohortId, cancellationToken) is null) strays.Add(cohortId);
        }
        await cohortScheduler.UnscheduleDigestsAsync(strays, cancellationToken);
        if (added + strays.Count > 0)
            logger.LogInformation("Reconciled digest triggers: {Added} added or updated, {Removed} removed", added, strays.Count);
        return (added, strays.Count);
    }
}
