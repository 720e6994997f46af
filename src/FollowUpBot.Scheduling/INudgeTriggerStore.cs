using FollowUpBot.Storage;

namespace FollowUpBot.Scheduling;

/// <summary>Writes and removes nudge triggers in the job store itself, before returning.</summary>
public interface INudgeTriggerStore
{
    /// <summary>One trigger per nudge at its due time, replacing any earlier trigger of the same nudge.</summary>
    Task ScheduleAsync(IReadOnlyCollection<ScheduledNudgeRow> nudges, CancellationToken cancellationToken);

    Task UnscheduleAsync(IReadOnlyCollection<long> nudgeIds, CancellationToken cancellationToken);
}
