using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Testing;

/// <summary>Keeps digest triggers in a dictionary: one per cohort, replaced on reschedule, removed on unschedule.</summary>
public sealed class RecordingCohortScheduler : ICohortScheduler
{
    private readonly object _gate = new();
    private readonly Dictionary<long, Cohort> _triggers = [];

    /// <summary>The digest triggers in force: cohort id -> the cohort as scheduled (schedule and zone).</summary>
    public IReadOnlyDictionary<long, Cohort> Triggers { get { lock (_gate) return new Dictionary<long, Cohort>(_triggers); } }

    public Task ScheduleDigestAsync(Cohort cohort, CancellationToken cancellationToken)
    {
        lock (_gate) _triggers[cohort.Id] = cohort;
        return Task.CompletedTask;
    }

    public Task UnscheduleDigestsAsync(IReadOnlyCollection<long> cohortIds, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var id in cohortIds) _triggers.Remove(id);
        }
        return Task.CompletedTask;
    }
}
