using FollowUpBot.Storage;

namespace FollowUpBot.Scheduling;

/// <summary>Writes and removes nudge triggers in the job store itself, before returning.</summary>
public interface INudgeTriggerStore
{
    /// <summary>One trigger per nudge at its due time, replacing any earlier trigger of the same nudge.</summary>
    Task ScheduleAsync(IReadOnlyCollection<ScheduledNudgeRow> nudges, CancellationToken cancellationToken);

    Task UnscheduleAsync(IReadOnlyCollection<long> nudgeIds, CancellationToken cancellationToken);

    /// <summary>Which of these nudges hold a trigger now (a read: no lock, no write). Assumes all, unless told.</summary>
    Task<IReadOnlyCollection<long>> WithTriggersAsync(IReadOnlyCollection<long> nudgeIds, CancellationToken cancellationToken) =>
        Task.FromResult(nudgeIds);
}

/// <summary>Which due times belong in the job store now (<see cref="NudgeHorizon"/>).</summary>
public interface ISchedulingWindow
{
    bool Holds(DateTimeOffset dueAt);
}
