using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Planning;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Core.Conversations;

/// <summary>
/// What happens to an interview's nudges when the member reports progress: an outcome, a follow-up, a thank-you
/// sent. Commands and buttons share these, so both re-plan the same way. Each is one UpdateAsync.
/// </summary>
internal sealed class InterviewProgress(EnginePorts ports, NudgeBook book, Replanner replanner)
{
    public const int MaxInvitedFollowUps = 5;

    /// <summary>Records an outcome: offer/rejected/withdrawn close every open nudge; waiting closes the chasing ones.
    /// Then adds what the outcome brings. <paramref name="alsoChange"/> rides along in the same transaction.</summary>
    public async Task<(Interview Interview, IReadOnlyList<Nudge> Cancelled, IReadOnlyList<Nudge> Added)> RecordOutcomeAsync(
        Turn turn, Interview interview, Outcome outcome, IReadOnlyList<NudgeStateChange> alsoChange, CancellationToken cancellationToken)
    {
        var nudges = await ports.Nudges.ListByInterviewAsync(interview.Id, cancellationToken);
        var updated = interview with { Outcome = outcome, OutcomeAt = turn.Now };
        var ridingIds = alsoChange.Select(c => c.NudgeId).ToHashSet();
        var cancel = nudges.Where(n => n.IsScheduled && !ridingIds.Contains(n.Id) && !NudgePlanner.Survives(n.Kind, outcome))
            .ToList();
        var planned = ports.Planner.PlanOutcome(InterviewFacts.From(interview), outcome, turn.Now, turn.Planning);
        var rows = book.Rows(planned, interview.MemberId, interview.Id, turn);

        var result = await book.ApplyAsync(updated, nudges,
            new NudgeChanges(rows, [.. alsoChange, .. cancel.Select(NudgeBook.Cancel)]), cancellationToken);
        return (updated, cancel.Where(n => result.Changed.Contains(n.Id)).ToList(), result.Added);
    }

    /// <summary>The answer to a recorded outcome: what was closed and what comes next.</summary>
    public static string DescribeOutcome(Turn turn, Interview interview, Outcome outcome, IReadOnlyList<Nudge> cancelled,
        IReadOnlyList<Nudge> added)
    {
        var lines = new List<string>
        {
            outcome switch
            {
                Outcome.Offer => $"{Wording.Short(interview)}: offer recorded. Congratulations!",
                Outcome.Rejected => $"{Wording.Short(interview)}: rejection recorded. Sorry; it is their loss, and feedback can still help.",
                Outcome.Withdrawn => $"{Wording.Short(interview)}: marked as withdrawn.",
                _ => $"{Wording.Short(interview)}: they are still deciding. No more follow-ups; I'll check in again in a week.",
            },
        };
        if (cancelled.Count > 0)
            lines.Add($"I closed {Wording.Count(cancelled.Count, "pending nudge", "pending nudges")} of this interview.");
        var next = NudgeBook.Upcoming(added, turn, 3, out _).ToList();
        if (next.Count > 0)
        {
            lines.Add("Next:");
            lines.AddRange(next);
        }
        return string.Join('\n', lines);
    }

    /// <summary>
    /// Logs a follow-up the member made, then re-plans: follow up once, so without an express invitation the remaining
    /// follow-up nudges close; with one the next weekly check-in counts from this one (until five in all). A sent
    /// follow-up nudge counts as done.
    /// </summary>
    public async Task<Replanned> LogFollowUpAsync(Turn turn, Interview interview,
        IReadOnlyList<NudgeStateChange> alsoChange, CancellationToken cancellationToken)
    {
        var nudges = await ports.Nudges.ListByInterviewAsync(interview.Id, cancellationToken);
        var updated = interview with { FollowUpsLogged = interview.FollowUpsLogged + 1, LastFollowUpAt = turn.Now };
        var ridingIds = alsoChange.Select(c => c.NudgeId).ToHashSet();
        var changes = new List<NudgeStateChange>(alsoChange);
        changes.AddRange(nudges.Where(n => n.Kind == NudgeKind.FollowUp && n.State == NudgeState.Sent && !ridingIds.Contains(n.Id))
            .Select(n => new NudgeStateChange(n.Id, [NudgeState.Sent], NudgeState.Done, MarkedAt: turn.Now)));
        return await replanner.ReplanAsync(turn, updated, changes, cancellationToken);
    }

    public static string DescribeFollowUp(Turn turn, Replanned replanned)
    {
        var interview = replanned.Interview;
        var ordinal = interview.FollowUpsLogged switch { 1 => "first", 2 => "second", 3 => "third", 4 => "fourth", 5 => "fifth", var n => $"#{n}" };
        var text = $"Logged your {ordinal} follow-up on {Wording.Short(interview)}.";
        if (!interview.FollowUpInvited)
        {
            text += interview.FollowUpsLogged == 1
                ? " Follow up once: if they don't reply, more of the same won't help, so keep applying elsewhere."
                : " That is more than once; the advice is to follow up once and then let it rest.";
        }
        else if (interview.FollowUpsLogged >= MaxInvitedFollowUps)
        {
            text += $" That makes {interview.FollowUpsLogged}: even when invited, five weekly follow-ups is the limit, so I stopped the reminders.";
        }
        else
        {
            text += $" They invited weekly follow-ups, so the next check-in counts a week from this one (at most {MaxInvitedFollowUps} in all).";
        }
        return string.Join('\n', Replanner.Describe(turn, replanned).Prepend(text));
    }
}
