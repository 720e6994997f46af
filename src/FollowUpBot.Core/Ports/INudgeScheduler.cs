using FollowUpBot.Core.Domain;

namespace FollowUpBot.Core.Ports;

/// <summary>
/// Gives stored nudges their triggers. Called after the nudge rows are committed; a reconciler repairs any
/// gap a crash leaves between the two, so callers need not worry about partial failure here.
/// </summary>
public interface INudgeScheduler
{
    /// <summary>One trigger per nudge at its due time, replacing any earlier trigger of the same nudge.</summary>
    Task ScheduleAsync(IReadOnlyCollection<Nudge> nudges, CancellationToken cancellationToken);

    Task UnscheduleAsync(IReadOnlyCollection<long> nudgeIds, CancellationToken cancellationToken);
}
