using FollowUpBot.Storage;
using Quartz;

namespace FollowUpBot.Scheduling;

/// <summary>
/// One Quartz trigger per nudge, "nudge-{id}" in group "nudges", all firing the one durable <see cref="NudgeJob"/>
/// (the name is how the job knows its nudge).
/// Writes at once; the engine's changes reach it through <see cref="NudgeTriggerWriter"/>.
/// </summary>
public sealed class QuartzNudgeScheduler(ISchedulerFactory schedulers, QuartzTables tables, TimeProvider time) : INudgeTriggerStore
{
    public const string Group = "nudges";

    public const string Prefix = "nudge-";

    public static TriggerKey TriggerKeyFor(long nudgeId) => new($"{Prefix}{nudgeId}", Group);

    public static long? NudgeIdOf(TriggerKey key) =>
        key.Group == Group && key.Name.StartsWith(Prefix, StringComparison.Ordinal)
        && long.TryParse(key.Name.AsSpan(Prefix.Length), out var id) ? id : null;

    /// <summary>
    /// Gives each nudge its trigger, replacing one it had. On PostgreSQL new triggers but the earliest are written as
    /// rows in one statement pair (<see cref="QuartzTables.InsertNewNudgeTriggersAsync"/>); then the earliest and every
    /// replacement (on SQLite, every trigger) go through the scheduler API, in one job-store transaction. Written last,
    /// the earliest wakes the firing thread, which then finds the others too: none is due before it.
    /// </summary>
    public async Task ScheduleAsync(IReadOnlyCollection<ScheduledNudgeRow> nudges, CancellationToken cancellationToken)
    {
        if (nudges.Count == 0) return;
        var latest = nudges.GroupBy(n => n.Id).Select(g => g.Last()).ToList();
        var earliest = latest.MinBy(n => n.DueAt);
        var written = latest.Count > 1
            ? await tables.InsertNewNudgeTriggersAsync(latest.Where(n => n != earliest).ToList(), cancellationToken)
            : new HashSet<long>();
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.ScheduleJob(NudgeJob.Definition, latest.Where(n => !written.Contains(n.Id)).Select(TriggerFor).ToList(),
            ScheduleJobOptions.Replacing, cancellationToken);
    }

    public async Task UnscheduleAsync(IReadOnlyCollection<long> nudgeIds, CancellationToken cancellationToken)
    {
        if (nudgeIds.Count == 0) return;
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.UnscheduleJobs(nudgeIds.Select(TriggerKeyFor).ToList(), cancellationToken);
    }

    public async Task<IReadOnlyCollection<long>> WithTriggersAsync(IReadOnlyCollection<long> nudgeIds, CancellationToken cancellationToken) =>
        (await tables.TriggersOfAsync(nudgeIds, cancellationToken)).Keys.ToList();

    private ITrigger TriggerFor(ScheduledNudgeRow nudge) =>
        TriggerBuilder.Create(time)
            .WithIdentity(TriggerKeyFor(nudge.Id))
            .ForJob(NudgeJob.Key)
            // No job data: the trigger's name says which nudge, as it does for the rows written in bulk.
            .StartAt(nudge.DueAt)
            // A restart past the due time fires it at once; the dispatcher decides whether it is still worth sending.
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
}
