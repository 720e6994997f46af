using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Planning;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Core.Conversations;

/// <summary>What one re-plan changed (only what applied), the interview as stored, and its nudges now waiting, by time.</summary>
internal sealed record Replanned(
    Interview Interview,
    IReadOnlyList<NudgeMove> Moved,
    IReadOnlyList<Nudge> Cancelled,
    IReadOnlyList<Nudge> Added,
    IReadOnlyList<PlannedNudge> TooLate,
    IReadOnlyList<long> Changed,
    IReadOnlyList<Nudge> Waiting)
{
    public Nudge? Next => Waiting.FirstOrDefault();

    public bool Applied(long nudgeId) => Changed.Contains(nudgeId);
}

/// <summary>
/// The one re-plan every change goes through: a new zone, quiet hours or holidays, an edit, a thank-you marked sent
/// (also through its reminder), a follow-up made late, an outcome. Use it as:
/// <code>var replanned = await replanner.ReplanAsync(turn, interviewAsItIsNow, changesThatHappenedNow, ct);
/// answer += Replanner.Describe(turn, replanned);</code>
/// It reads the interview's nudges and what already happened (<see cref="InterviewHistory"/>, as it will be once
/// <c>alsoChange</c> applies), asks the pure <see cref="NudgePlanner.Replan"/> what should be pending "as if planned
/// now with what we know" (in the member's zone, quiet hours and holidays, kept apart from their other interviews'
/// nudges), diffs that against the waiting rows (move, cancel, add), and writes it all with <c>alsoChange</c> and the
/// interview's fields through <see cref="NudgeBook.ApplyAsync"/>: one transaction, then the triggers.
/// </summary>
internal sealed class Replanner(EnginePorts ports, NudgeBook book)
{
    public async Task<Replanned> ReplanAsync(Turn turn, Interview interview, IReadOnlyList<NudgeStateChange> alsoChange,
        CancellationToken cancellationToken)
    {
        var nudges = await ports.Nudges.ListByInterviewAsync(interview.Id, cancellationToken);
        var known = AsChanged(nudges, alsoChange);
        var busy = await BusyAsync(turn, interview.Id, cancellationToken);
        var history = InterviewHistory.From(interview, known) with { LaterRoundRecorded = await LaterRoundRecordedAsync(interview, cancellationToken) };
        var plan = ports.Planner.Replan(InterviewFacts.From(interview), history, turn.Planning, turn.Now, busy);
        var diff = ports.Planner.Diff(plan.Planned, known, turn.Planning, turn.Now);

        var changes = alsoChange
            .Concat(diff.Move.Select(m => new NudgeStateChange(m.Nudge.Id, [m.Nudge.State], m.Nudge.State, m.To)))
            .Concat(diff.Cancel.Select(NudgeBook.Cancel))
            .ToList();
        var rows = diff.Add.Select(p => Row(p, interview, NudgeState.Pending)).ToList();
        var result = await book.ApplyAsync(interview, nudges, new NudgeChanges(rows, changes), cancellationToken);

        var moved = diff.Move.Where(m => result.Changed.Contains(m.Nudge.Id)).ToList();
        var cancelled = diff.Cancel.Where(n => result.Changed.Contains(n.Id)).ToList();
        var movedTo = moved.ToDictionary(m => m.Nudge.Id, m => m.To);
        var waiting = known.Where(n => n.IsScheduled && !cancelled.Contains(n))
            .Select(n => movedTo.TryGetValue(n.Id, out var to) ? n with { DueAt = to } : n)
            .Concat(result.Added.Where(n => n.IsScheduled));
        return new Replanned(interview, moved, cancelled, result.Added, plan.TooLate, result.Changed,
            waiting.OrderBy(n => n.DueAt).ThenBy(n => n.Id).ToList());
    }

    /// <summary>
    /// A new interview's first plan, through the same planner: pending rows for what is still worth sending, and
    /// skipped rows (kept, named in the answer) for steps already too late to help.
    /// </summary>
    public async Task<(Interview Interview, IReadOnlyList<Nudge> Nudges, IReadOnlyList<PlannedNudge> TooLate)> RecordAsync(
        Turn turn, Interview interview, CancellationToken cancellationToken)
    {
        var busy = await BusyAsync(turn, interviewId: 0, cancellationToken);
        var plan = ports.Planner.Replan(InterviewFacts.From(interview), InterviewHistory.None, turn.Planning, turn.Now, busy);
        var rows = plan.Planned.Select(p => Row(p, interview, NudgeState.Pending))
            .Concat(plan.TooLate.Select(p => Row(p, interview, NudgeState.Skipped)))
            .ToList();
        var (stored, nudges) = await ports.Interviews.AddAsync(interview, rows, cancellationToken);
        var pending = nudges.Where(n => n.IsScheduled).ToList();
        if (pending.Count > 0) await ports.Scheduler.ScheduleAsync(pending, cancellationToken);
        return (stored, nudges, plan.TooLate);
    }

    /// <summary>
    /// "Moved: ..., No longer planned: ..., New: ..., Too late: ..., Next: ..." lines for an answer; only what changed,
    /// and always the next nudge (or that nothing more is planned).
    /// </summary>
    public static IReadOnlyList<string> Describe(Turn turn, Replanned replanned)
    {
        var lines = new List<string>();
        if (replanned.Moved.Count > 0)
        {
            lines.Add("Moved:");
            lines.AddRange(replanned.Moved.OrderBy(m => m.To).Select(m =>
                $"• {turn.Describe(m.Nudge)}: {turn.Local(m.Nudge.DueAt)} → {turn.Local(m.To)}"));
        }
        if (replanned.Added.Any(n => n.IsScheduled))
        {
            lines.Add("Newly planned:");
            lines.AddRange(NudgeBook.Upcoming(replanned.Added, turn, int.MaxValue, out _));
        }
        if (replanned.Cancelled.Count > 0)
            lines.Add("No longer planned: " + string.Join("; ", replanned.Cancelled.Select(turn.Describe)) + ".");
        if (replanned.TooLate.Count > 0)
            lines.Add(TooLate(turn, replanned.TooLate));
        lines.Add(Next(turn, replanned.Interview, replanned.Next));
        return lines;
    }

    /// <summary>"Too late to help now, so not planned: write down your debrief notes; hold off, no chasing yet."</summary>
    public static string TooLate(Turn turn, IReadOnlyList<PlannedNudge> tooLate) =>
        $"{Wording.Count(tooLate.Count, "step was", "steps were")} already too late to help and will not be sent: " +
        string.Join("; ", tooLate.Select(p => turn.Describe(p.Kind, p.Interviewer, p.Sequence))) + ".";

    public static string Next(Turn turn, Interview interview, Nudge? next) => next is null
        ? $"Nothing more is planned for {Wording.Short(interview)}."
        : $"Next: {turn.Describe(next)}, {turn.Local(next.DueAt)} (your time, {turn.Zone.Id}).";

    /// <summary>
    /// When a snoozed nudge comes back: <paramref name="due"/>, moved later if needed to keep the playbook's spacing
    /// from the member's other nudges (of this interview too).
    /// </summary>
    public async Task<DateTimeOffset> SpacedAsync(Turn turn, Nudge nudge, DateTimeOffset due, CancellationToken cancellationToken)
    {
        var busy = await BusyAsync(turn, nudge.InterviewId, cancellationToken, moving: nudge.Id);
        return ports.Planner.KeepSpacing(nudge.Kind, due, busy, turn.Planning);
    }

    /// <summary>Only a round that led to a next round can have been followed by one; it is then no longer its process's current round.</summary>
    private async Task<bool> LaterRoundRecordedAsync(Interview interview, CancellationToken cancellationToken)
    {
        if (interview.Outcome != Outcome.NextRound) return false;
        var all = await ports.Interviews.ListAsync(interview.MemberId, openOnly: false, cancellationToken);
        return InterviewProcess.Containing(interview, all).Current.Id != interview.Id;
    }

    /// <summary>The rows as they will be once <paramref name="changes"/> apply (those whose From matches).</summary>
    private static List<Nudge> AsChanged(IReadOnlyList<Nudge> nudges, IReadOnlyList<NudgeStateChange> changes)
    {
        var byId = nudges.ToDictionary(n => n.Id);
        foreach (var change in changes)
            if (byId.TryGetValue(change.NudgeId, out var n) && change.From.Contains(n.State))
                byId[n.Id] = n with { State = change.To, DueAt = change.DueAt ?? n.DueAt, MarkedAt = change.MarkedAt ?? n.MarkedAt };
        return nudges.Select(n => byId[n.Id]).ToList();
    }

    /// <summary>
    /// The moments the member is already busy: their other interviews' waiting nudges and anything that reached them
    /// within the playbook's spacing. This interview's waiting nudges are the ones being planned, unless only one
    /// (<paramref name="moving"/>) is moving.
    /// </summary>
    private async Task<IReadOnlyList<BusySlot>> BusyAsync(Turn turn, long interviewId, CancellationToken cancellationToken,
        long? moving = null)
    {
        var spacing = ports.Planner.Playbook.Spacing;
        if (spacing <= TimeSpan.Zero) return [];
        var upcoming = await ports.Nudges.ListUpcomingByMemberAsync(turn.Member.Id, turn.Now - spacing, cancellationToken);
        return upcoming
            .Where(n => moving is { } id ? n.Id != id : n.InterviewId != interviewId || !n.IsScheduled)
            .Select(n => new BusySlot(n.Kind, n.IsScheduled ? n.DueAt : n.SentAt ?? n.DueAt, n.InterviewId == interviewId))
            .ToList();
    }

    private static Nudge Row(PlannedNudge p, Interview interview, NudgeState state) =>
        new(0, interview.Id, interview.MemberId, p.Kind, p.DueAt, p.Interviewer, p.Sequence, state);
}
