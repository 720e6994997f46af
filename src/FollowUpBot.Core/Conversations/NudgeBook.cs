using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Planning;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Core.Conversations;

/// <summary>
/// Turns planned nudges into rows and writes nudge changes: every change of one interview goes through one
/// <see cref="IInterviewRepository.UpdateAsync"/> (one transaction), and only then are triggers added or removed.
/// </summary>
internal sealed class NudgeBook(EnginePorts ports)
{
    public static readonly NudgeState[] Open = [NudgeState.Pending, NudgeState.Snoozed];
    public static readonly NudgeState[] Markable = [NudgeState.Sent, NudgeState.Pending, NudgeState.Snoozed, NudgeState.Failed];

    /// <summary>
    /// Rows for planned nudges (an outcome's). One already due is moved to the next allowed time when its step still
    /// allows that lateness, and stored as skipped otherwise. Interview plans go through <see cref="Replanner"/>.
    /// </summary>
    public IReadOnlyList<Nudge> Rows(IEnumerable<PlannedNudge> planned, long memberId, long interviewId, Turn turn) =>
        planned.Select(p =>
        {
            var due = p.DueAt;
            var state = NudgeState.Pending;
            if (due < turn.Now)
            {
                if (turn.Now - due <= ports.Planner.Playbook.Step(p.Kind).MaxLateness)
                    due = ports.Planner.NextAllowedTime(p.Kind, turn.Now, turn.Planning);
                else
                    state = NudgeState.Skipped;
            }
            // Counted back from a date (the evening before a round): moved onto or past that date, it helps nobody.
            if (p.Before is { } before && due >= before) state = NudgeState.Skipped;
            return new Nudge(0, interviewId, memberId, p.Kind, due, p.Interviewer, p.Sequence, state);
        }).ToList();

    public static NudgeStateChange Cancel(Nudge nudge) => new(nudge.Id, Open, NudgeState.Cancelled);

    /// <summary>Writes the interview and nudge changes in one transaction, then fixes the triggers to match.</summary>
    public async Task<NudgeChangeResult> ApplyAsync(Interview interview, IReadOnlyList<Nudge> before, NudgeChanges changes,
        CancellationToken cancellationToken)
    {
        var result = await ports.Interviews.UpdateAsync(interview, changes, cancellationToken);
        var byId = before.ToDictionary(n => n.Id);
        var toSchedule = new List<Nudge>(result.Added.Where(n => n.IsScheduled));
        var toUnschedule = new List<long>();
        foreach (var change in changes.Change.Where(c => result.Changed.Contains(c.NudgeId)))
        {
            if (!byId.TryGetValue(change.NudgeId, out var old)) continue;
            var now = old with { State = change.To, DueAt = change.DueAt ?? old.DueAt };
            if (now.IsScheduled) toSchedule.Add(now);
            else if (old.IsScheduled) toUnschedule.Add(old.Id);
        }
        if (toUnschedule.Count > 0) await ports.Scheduler.UnscheduleAsync(toUnschedule, cancellationToken);
        if (toSchedule.Count > 0) await ports.Scheduler.ScheduleAsync(toSchedule, cancellationToken);
        return result;
    }

    /// <summary>"Next: thank Ana Ruiz, Fri 4 Dec 18:00" lines for the first few scheduled nudges.</summary>
    public static IEnumerable<string> Upcoming(IEnumerable<Nudge> nudges, Turn turn, int take, out int more)
    {
        var scheduled = nudges.Where(n => n.IsScheduled).OrderBy(n => n.DueAt).ThenBy(n => n.Id).ToList();
        more = Math.Max(0, scheduled.Count - take);
        return scheduled.Take(take).Select(n => $"• {turn.Local(n.DueAt)}: {turn.Describe(n)}").ToList();
    }
}
