using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Testing;

/// <summary>Keeps triggers in a dictionary: one per nudge id, replaced on reschedule, removed on unschedule.</summary>
public sealed class RecordingNudgeScheduler : INudgeScheduler
{
    private readonly object _gate = new();
    private readonly Dictionary<long, DateTimeOffset> _triggers = [];
    private readonly List<long> _unscheduled = [];
    private readonly List<Nudge> _scheduled = [];

    /// <summary>The triggers in force: nudge id -> fire time.</summary>
    public IReadOnlyDictionary<long, DateTimeOffset> Triggers { get { lock (_gate) return new Dictionary<long, DateTimeOffset>(_triggers); } }

    /// <summary>Every nudge ever handed to <see cref="ScheduleAsync"/>, in order.</summary>
    public IReadOnlyList<Nudge> Scheduled { get { lock (_gate) return _scheduled.ToList(); } }

    /// <summary>Every id ever handed to <see cref="UnscheduleAsync"/>, in order.</summary>
    public IReadOnlyList<long> Unscheduled { get { lock (_gate) return _unscheduled.ToList(); } }

    public Task ScheduleAsync(IReadOnlyCollection<Nudge> nudges, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var nudge in nudges)
            {
                _triggers[nudge.Id] = nudge.DueAt;
                _scheduled.Add(nudge);
            }
        }
        return Task.CompletedTask;
    }

    public Task UnscheduleAsync(IReadOnlyCollection<long> nudgeIds, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var id in nudgeIds)
            {
                _triggers.Remove(id);
                _unscheduled.Add(id);
            }
        }
        return Task.CompletedTask;
    }
}
