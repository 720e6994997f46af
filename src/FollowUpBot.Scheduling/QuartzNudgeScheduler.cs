using FollowUpBot.Storage;
using Quartz;

namespace FollowUpBot.Scheduling;

/// <summary>
/// One Quartz trigger per nudge, "nudge-{id}" in group "nudges", all firing the one durable <see cref="NudgeJob"/>.
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

    /// <summary>Gives each nudge its trigger (replacing one it had) in one job-store transaction.</summary>
    public async Task ScheduleAsync(IReadOnlyCollection<ScheduledNudgeRow> nudges, CancellationToken cancellationToken)
    {
        if (nudges.Count == 0) return;
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.ScheduleJob(NudgeJob.Definition, nudges.Select(TriggerFor).ToList(), ScheduleJobOptions.Replacing, cancellationToken);
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
            .UsingJobData(NudgeJob.NudgeIdKey, nudge.Id)
            .StartAt(nudge.DueAt)
            // A restart past the due time fires it at once; the dispatcher decides whether it is still worth sending.
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
}
