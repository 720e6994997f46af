using FollowUpBot.Core.Domain;

namespace FollowUpBot.Core.Ports;

/// <summary>
/// Gives each cohort exactly one digest trigger, recurring on its schedule in its zone. Called after the cohort
/// rows are committed; a reconciler repairs any gap a crash leaves.
/// </summary>
public interface ICohortScheduler
{
    /// <summary>Creates or replaces the cohort's digest trigger.</summary>
    Task ScheduleDigestAsync(Cohort cohort, CancellationToken cancellationToken);

    Task UnscheduleDigestsAsync(IReadOnlyCollection<long> cohortIds, CancellationToken cancellationToken);
}
