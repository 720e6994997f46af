using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Ports;
using Quartz;

namespace FollowUpBot.Scheduling;

/// <summary>
/// One cron trigger per cohort, "digest-{id}" in group "digests", firing the durable <see cref="DigestJob"/>. The
/// cron expression is read in the cohort's zone, so "Monday 09:00" stays 09:00 local across DST changes.
/// </summary>
public sealed class QuartzCohortScheduler(ISchedulerFactory schedulers, TimeProvider time) : ICohortScheduler
{
    public const string Group = "digests";

    private const string Prefix = "digest-";

    public static TriggerKey TriggerKeyFor(long cohortId) => new($"{Prefix}{cohortId}", Group);

    public static long? CohortIdOf(TriggerKey key) =>
        key.Group == Group && key.Name.StartsWith(Prefix, StringComparison.Ordinal)
        && long.TryParse(key.Name.AsSpan(Prefix.Length), out var id) ? id : null;

    /// <summary>The cron expression and zone a cohort's trigger should have.</summary>
    public static (string Cron, TimeZoneInfo Zone) ScheduleOf(Cohort cohort)
    {
        // Stored values were validated when set; a bad one (edited by hand) falls back rather than losing the digest.
        if (!DigestSchedule.TryParse(cohort.DigestSchedule, out var schedule)) schedule = DigestSchedule.Default;
        if (!ZonedTime.TryFindZone(cohort.TimeZoneId, out var zone)) zone = TimeZoneInfo.Utc;
        return (schedule.ToCron(), zone);
    }

    public async Task ScheduleDigestAsync(Cohort cohort, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.ScheduleJob(TriggerFor(cohort), ScheduleJobOptions.Replacing, cancellationToken);
    }

    public async Task UnscheduleDigestsAsync(IReadOnlyCollection<long> cohortIds, CancellationToken cancellationToken)
    {
        if (cohortIds.Count == 0) return;
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.UnscheduleJobs(cohortIds.Select(TriggerKeyFor).ToList(), cancellationToken);
    }

    private ITrigger TriggerFor(Cohort cohort)
    {
        var (cron, zone) = ScheduleOf(cohort);
        return TriggerBuilder.Create(time)
            .WithIdentity(TriggerKeyFor(cohort.Id))
            .ForJob(DigestJob.Key)
            .UsingJobData(DigestJob.CohortIdKey, cohort.Id)
            .StartAt(time.GetUtcNow())
            // After downtime over a digest time, post it once at start rather than skipping the week.
            .WithCronSchedule(cron, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
    }
}
