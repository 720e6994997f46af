using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Planning;
using FollowUpBot.Core.Playbooks;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Core.Conversations;

/// <summary>
/// What happens to an interview's nudges when the member reports progress: an outcome, a follow-up, a thank-you
/// sent. Commands and buttons share these, so both re-plan the same way. Each is one UpdateAsync.
/// </summary>
internal sealed class InterviewProgress(EnginePorts ports, NudgeBook book)
{
    public const int MaxInvitedFollowUps = 5;

    /// <summary>
    /// Records an outcome for <paramref name="interview"/> (the current round of its process) and re-plans: what the
    /// outcome brings is planned (a step already planned the same way keeps its row), and the pending nudges it ends
    /// are cancelled: every nudge of the process but the steps that survive an outcome when it ends the round; only the
    /// chasing steps when it keeps the process open (still deciding, next round, no reply yet); and, whatever the
    /// outcome, the steps counted from the stage it replaces (the next round's date, the offer deadline, the no-reply
    /// window). A step about an outcome goes once per round: recording it again (to add a deadline) sends nothing twice.
    /// <paramref name="alsoChange"/> rides along in the same transaction.
    /// </summary>
    public async Task<RecordedOutcome> RecordOutcomeAsync(Turn turn, Interview interview, Outcome outcome,
        IReadOnlyList<NudgeStateChange> alsoChange, CancellationToken cancellationToken, OutcomeDetails? details = null)
    {
        details ??= OutcomeDetails.None;
        var rounds = await ProcessRoundsAsync(interview, cancellationToken);
        var nudges = new List<Nudge>();
        foreach (var round in rounds) nudges.AddRange(await ports.Nudges.ListByInterviewAsync(round.Id, cancellationToken));

        // Recording an offer or a next round again adds its date; "still deciding" again starts another week.
        var same = interview.Outcome == outcome;
        var updated = interview with
        {
            Outcome = outcome,
            OutcomeAt = same && outcome is Outcome.Offer or Outcome.NextRound && interview.OutcomeAt is { } at ? at : turn.Now,
            NextRoundAt = outcome == Outcome.NextRound ? details.NextRoundAt ?? (same ? interview.NextRoundAt : null) : interview.NextRoundAt,
            OfferDeadline = outcome == Outcome.Offer ? details.OfferDeadline ?? (same ? interview.OfferDeadline : null) : interview.OfferDeadline,
        };
        var playbook = ports.Planner.Playbook;
        var delivered = nudges.Where(n => n.InterviewId == interview.Id && n.State is NudgeState.Sending or NudgeState.Sent or NudgeState.Done)
            .Select(n => n.Kind).ToHashSet();
        var planned = ports.Planner.PlanOutcome(InterviewFacts.From(updated), outcome, updated.OutcomeAt!.Value, turn.Planning)
            .Where(p => !(playbook.Step(p.Kind).SurvivesOutcome && delivered.Contains(p.Kind))).ToList();

        var kept = new HashSet<long>();
        var toAdd = new List<PlannedNudge>();
        foreach (var p in planned)
        {
            var unchanged = nudges.FirstOrDefault(n => n.IsScheduled && n.InterviewId == interview.Id && !kept.Contains(n.Id) &&
                                                       n.Kind == p.Kind && n.Interviewer == p.Interviewer && n.Sequence == p.Sequence &&
                                                       n.DueAt == p.DueAt);
            if (unchanged is null) toAdd.Add(p);
            else kept.Add(unchanged.Id);
        }
        var replanned = toAdd.Select(p => p.Kind).ToHashSet();
        var ridingIds = alsoChange.Select(c => c.NudgeId).ToHashSet();
        var cancel = nudges.Where(n => n.IsScheduled && !ridingIds.Contains(n.Id) && !kept.Contains(n.Id) &&
                                       Ends(outcome, n, thisRound: n.InterviewId == interview.Id, replanned)).ToList();
        var rows = book.Rows(toAdd, interview.MemberId, interview.Id, turn);

        var result = await book.ApplyAsync(updated, nudges,
            new NudgeChanges(rows, [.. alsoChange, .. cancel.Select(NudgeBook.Cancel)]), cancellationToken);
        var stillComing = nudges.Where(n => kept.Contains(n.Id)).Concat(result.Added).ToList();
        return new RecordedOutcome(updated, cancel.Where(n => result.Changed.Contains(n.Id)).ToList(), stillComing);
    }

    /// <summary>The steps an outcome that keeps the process open stops: chasing a decision that came (or never will).</summary>
    private static IReadOnlySet<NudgeKind> Chasing(Outcome outcome) => outcome == Outcome.Waiting
        ? new HashSet<NudgeKind> { NudgeKind.FollowUp, NudgeKind.OutcomeCheck }
        : new HashSet<NudgeKind> { NudgeKind.FollowUp, NudgeKind.OutcomeCheck, NudgeKind.HoldOff };

    /// <summary>Counted from a stage's own date (the next round, the offer deadline, the no-reply window): it ends with that stage.</summary>
    private bool CountsFromStageDate(NudgeKind kind) => ports.Planner.Playbook.Step(kind).Timing
        .Any(t => t.Anchor is PlanAnchor.NextRound or PlanAnchor.OfferDeadline or PlanAnchor.CloseAfterNoReply);

    private bool Ends(Outcome outcome, Nudge nudge, bool thisRound, IReadOnlySet<NudgeKind> replanned)
    {
        if (thisRound && replanned.Contains(nudge.Kind)) return true;
        if (CountsFromStageDate(nudge.Kind) && (thisRound || outcome.EndsTheRound())) return true;
        if (outcome.EndsTheRound()) return !ports.Planner.Playbook.Step(nudge.Kind).SurvivesOutcome;
        return thisRound && Chasing(outcome).Contains(nudge.Kind);
    }

    /// <summary>
    /// The round before a newly recorded one: it led to a next round, so its chasing steps and its preparation for the
    /// round now held are cancelled. Its thank-yous and the rest stay (a next round the same day still deserves them).
    /// </summary>
    public async Task<Interview> CloseRoundForNextAsync(Turn turn, Interview previous, CancellationToken cancellationToken)
    {
        var nudges = await ports.Nudges.ListByInterviewAsync(previous.Id, cancellationToken);
        var updated = previous.Outcome == Outcome.NextRound ? previous : previous with { Outcome = Outcome.NextRound, OutcomeAt = turn.Now };
        var cancel = nudges.Where(n => n.IsScheduled && (Chasing(Outcome.NextRound).Contains(n.Kind) || CountsFromStageDate(n.Kind)))
            .Select(NudgeBook.Cancel).ToList();
        await book.ApplyAsync(updated, nudges, new NudgeChanges([], cancel), cancellationToken);
        return updated;
    }

    /// <summary>
    /// Stores details answered after the interview was recorded (decision date, follow-up invited, references) and
    /// re-plans the steps they decide: the follow-ups and their check-in (unless a follow-up already went out or the
    /// round has an outcome) and the reference briefing. Returns what moved, what was added or dropped, and what is next.
    /// A narrow call site on purpose: the general re-plan of an edited interview replaces it when that lands.
    /// </summary>
    public async Task<Replanned> ReplanDetailsAsync(Turn turn, Interview before, Interview after, CancellationToken cancellationToken)
    {
        var nudges = await ports.Nudges.ListByInterviewAsync(after.Id, cancellationToken);
        var kinds = new HashSet<NudgeKind>();
        var followedUp = after.FollowUpsLogged > 0 ||
                         nudges.Any(n => n.Kind == NudgeKind.FollowUp && n.State is NudgeState.Sending or NudgeState.Sent or NudgeState.Done);
        if ((before.DecisionDate != after.DecisionDate || before.FollowUpInvited != after.FollowUpInvited) && after.Outcome is null && !followedUp)
            kinds.UnionWith([NudgeKind.FollowUp, NudgeKind.OutcomeCheck]);
        if (!before.References.SequenceEqual(after.References) && after.Outcome is null &&
            !nudges.Any(n => n.Kind == NudgeKind.BriefReferences && !n.IsScheduled && n.State != NudgeState.Cancelled))
            kinds.Add(NudgeKind.BriefReferences);

        var planned = ports.Planner.PlanInterview(InterviewFacts.From(after), turn.Planning).Where(p => kinds.Contains(p.Kind));
        var replaced = nudges.Where(n => n.IsScheduled && kinds.Contains(n.Kind)).ToList();
        var result = await book.ApplyAsync(after, nudges,
            new NudgeChanges(book.Rows(planned, after.MemberId, after.Id, turn), replaced.Select(NudgeBook.Cancel).ToList()), cancellationToken);
        var cancelled = replaced.Where(n => result.Changed.Contains(n.Id)).ToList();
        var added = result.Added.Where(n => n.IsScheduled).OrderBy(n => n.DueAt).ThenBy(n => n.Id).ToList();

        static (NudgeKind, string?, int) Slot(Nudge n) => (n.Kind, n.Interviewer, n.Sequence);
        var was = cancelled.ToDictionary(Slot, n => n.DueAt);
        var next = nudges.Where(n => n.IsScheduled && !cancelled.Contains(n)).Concat(added).OrderBy(n => n.DueAt).ThenBy(n => n.Id).FirstOrDefault();
        return new Replanned(
            Moved: added.Where(n => was.TryGetValue(Slot(n), out var at) && at != n.DueAt).ToList(),
            Added: added.Where(n => !was.ContainsKey(Slot(n))).ToList(),
            Dropped: cancelled.Count(n => added.All(a => Slot(a) != Slot(n))),
            Next: next);
    }

    /// <summary>Every round of the interview's process, in order (just the interview when it is a process of its own).</summary>
    public async Task<IReadOnlyList<Interview>> ProcessRoundsAsync(Interview interview, CancellationToken cancellationToken)
    {
        var all = await ports.Interviews.ListAsync(interview.MemberId, openOnly: false, cancellationToken);
        return InterviewProcess.Containing(interview, all).Rounds;
    }

    /// <summary>The answer to a recorded outcome: what it means, the playbook's note for it, what was closed and what comes next.</summary>
    public Message DescribeOutcome(Turn turn, RecordedOutcome recorded, Outcome outcome)
    {
        var interview = recorded.Interview;
        var name = Wording.Short(interview);
        var buttons = new List<Button>();
        var lines = new List<string>
        {
            outcome switch
            {
                Outcome.Offer => $"{name}: offer recorded. Congratulations!",
                Outcome.Rejected => $"{name}: rejection recorded.",
                Outcome.Withdrawn => $"{name}: marked as withdrawn.",
                Outcome.NextRound => $"{name}: on to round {interview.Round + 1}. No more follow-ups for this round.",
                Outcome.NoReply => $"{name}: no reply to your follow-up yet.",
                Outcome.Accepted => $"{name}: offer accepted. This application is closed.",
                Outcome.ClosedNoReply => $"{name}: closed without a reply.",
                _ => $"{name}: they replied and are still deciding. No more follow-ups; I'll check in again in a week.",
            },
        };
        if (ports.Planner.Playbook.OutcomeNotes.TryGetValue(outcome, out var note))
            lines.Add(MessageTemplate.Render(note.Text, new Dictionary<string, string?>
            {
                [MessageTemplate.Company] = interview.Company,
                [MessageTemplate.Role] = interview.Role ?? "the role",
            }));
        switch (outcome)
        {
            case Outcome.NextRound when interview.NextRoundAt is { } at:
                lines.Add($"Round {interview.Round + 1}: {turn.Local(at)} (your time).");
                break;
            case Outcome.NextRound:
                lines.Add($"When is it? Press *Set round date…* or add next-round:{NextRoundText.Example} to /interview outcome.");
                buttons.Add(new Button(ButtonIds.ForInterview(interview.Id, InterviewDetails.RoundDate), "Set round date…", ButtonStyle.Primary));
                break;
            case Outcome.Offer when interview.OfferDeadline is { } day:
                lines.Add($"They would like your answer by {Wording.Day(day)}; I'll remind you the day before.");
                break;
            case Outcome.Offer:
                lines.Add("By when do they need your answer? Press *Answer deadline…* and I'll remind you the day before.");
                buttons.Add(new Button(ButtonIds.ForInterview(interview.Id, InterviewDetails.Deadline), "Answer deadline…", ButtonStyle.Primary));
                break;
        }
        if (recorded.Cancelled.Count > 0)
            lines.Add($"I closed {Wording.Count(recorded.Cancelled.Count, "pending nudge", "pending nudges")} of this application.");
        var next = NudgeBook.Upcoming(recorded.StillComing, turn, 3, out _).ToList();
        if (next.Count > 0)
        {
            lines.Add("Next:");
            lines.AddRange(next);
        }
        return new Message(string.Join('\n', lines), buttons);
    }

    /// <summary>
    /// Logs a follow-up the member made. Follow up once: without an express invitation the remaining follow-up
    /// nudges close; with one they continue weekly until five in all. A sent follow-up nudge counts as done.
    /// </summary>
    public async Task<(Interview Interview, int Closed)> LogFollowUpAsync(Turn turn, Interview interview,
        IReadOnlyList<NudgeStateChange> alsoChange, CancellationToken cancellationToken)
    {
        var nudges = await ports.Nudges.ListByInterviewAsync(interview.Id, cancellationToken);
        var updated = interview with
        {
            FollowUpsLogged = interview.FollowUpsLogged + 1, LastFollowUpAt = turn.Now, FollowUpTimes = [.. interview.FollowUpTimes, turn.Now],
        };
        var ridingIds = alsoChange.Select(c => c.NudgeId).ToHashSet();
        var stopChasing = !interview.FollowUpInvited || updated.FollowUpsLogged >= MaxInvitedFollowUps;
        var changes = new List<NudgeStateChange>(alsoChange);
        var followUps = nudges.Where(n => n.Kind == NudgeKind.FollowUp && !ridingIds.Contains(n.Id)).ToList();
        changes.AddRange(followUps.Where(n => n.State == NudgeState.Sent)
            .Select(n => new NudgeStateChange(n.Id, [NudgeState.Sent], NudgeState.Done)));
        var toClose = stopChasing ? followUps.Where(n => n.IsScheduled).ToList() : [];
        changes.AddRange(toClose.Select(NudgeBook.Cancel));

        var result = await book.ApplyAsync(updated, nudges, new NudgeChanges([], changes), cancellationToken);
        return (updated, toClose.Count(n => result.Changed.Contains(n.Id)));
    }

    public static string DescribeFollowUp(Interview interview, int closed)
    {
        var ordinal = interview.FollowUpsLogged switch { 1 => "first", 2 => "second", 3 => "third", 4 => "fourth", 5 => "fifth", var n => $"#{n}" };
        var text = $"Logged your {ordinal} follow-up on {Wording.Short(interview)}.";
        if (!interview.FollowUpInvited)
        {
            text += interview.FollowUpsLogged == 1
                ? " Follow up once: if they don't reply, more of the same won't help, so keep applying elsewhere."
                : " That is more than once; the advice is to follow up once and then let it rest.";
            if (closed > 0) text += $" I closed {Wording.Count(closed, "follow-up reminder", "follow-up reminders")}.";
        }
        else if (interview.FollowUpsLogged >= MaxInvitedFollowUps)
        {
            text += $" That makes {interview.FollowUpsLogged}: even when invited, five weekly follow-ups is the limit, so I stopped the reminders.";
        }
        else
        {
            text += $" They invited weekly follow-ups, so I'll keep reminding you weekly (at most {MaxInvitedFollowUps} in all).";
        }
        return text;
    }

    /// <summary>
    /// After a thank-you is marked done: its interviewer's reminder closes; once no thank-you is still open and
    /// no decision date was given, the follow-ups are planned from now (R4: a week after the thank-you).
    /// </summary>
    public static IReadOnlyList<NudgeStateChange> ThankYouClosed(Nudge thankYou, IReadOnlyList<Nudge> nudges) =>
        nudges.Where(n => n.Kind == NudgeKind.ThankYouReminder && n.IsScheduled &&
                          string.Equals(n.Interviewer, thankYou.Interviewer, StringComparison.OrdinalIgnoreCase))
            .Select(NudgeBook.Cancel).ToList();

    public bool ShouldReplanFollowUps(Interview interview, Nudge thankYou, IReadOnlyList<Nudge> nudges) =>
        // Only while interviewing: an outcome (a next round, still deciding, ...) already closed this round's follow-ups.
        interview.Stage == ProcessStage.Interviewing && interview.DecisionDate is null && interview.FollowUpsLogged == 0 &&
        !nudges.Any(n => n.Kind == NudgeKind.ThankYou && n.Id != thankYou.Id &&
                         n.State is NudgeState.Pending or NudgeState.Snoozed or NudgeState.Sending or NudgeState.Sent or NudgeState.Failed) &&
        !nudges.Any(n => n.Kind == NudgeKind.FollowUp && n.State is NudgeState.Sending or NudgeState.Sent or NudgeState.Done);

    public (IReadOnlyList<NudgeStateChange> Cancel, IReadOnlyList<Nudge> Add) ReplanFollowUps(Turn turn, Interview interview,
        IReadOnlyList<Nudge> nudges)
    {
        var cancel = nudges.Where(n => n.IsScheduled && n.Kind is NudgeKind.FollowUp or NudgeKind.OutcomeCheck)
            .Select(NudgeBook.Cancel).ToList();
        var planned = ports.Planner.PlanFollowUps(InterviewFacts.From(interview), turn.Now, turn.Planning);
        return (cancel, book.Rows(planned, interview.MemberId, interview.Id, turn));
    }
}

/// <summary>What the member said along with an outcome: the next round's time, the date an offer needs an answer by.</summary>
internal sealed record OutcomeDetails(DateTimeOffset? NextRoundAt = null, DateOnly? OfferDeadline = null)
{
    public static OutcomeDetails None { get; } = new();
}

/// <summary>An outcome as stored: the interview, the nudges it closed, and those still to come from it (kept or added).</summary>
internal sealed record RecordedOutcome(Interview Interview, IReadOnlyList<Nudge> Cancelled, IReadOnlyList<Nudge> StillComing);

/// <summary>What a re-plan changed: nudges moved to a new time, nudges added, how many were dropped, and the next one.</summary>
internal sealed record Replanned(IReadOnlyList<Nudge> Moved, IReadOnlyList<Nudge> Added, int Dropped, Nudge? Next)
{
    /// <summary>"Moved: follow up with the employer, now Mon 14 Dec 10:00. Added 4 (first: ...). Next: ..."</summary>
    public string Describe(Turn turn)
    {
        var parts = new List<string>();
        parts.AddRange(Moved.Take(2).Select(n => $"Moved: {Wording.Describe(n)}, now {turn.Local(n.DueAt)}."));
        if (Added.Count > 0)
            parts.Add(Added.Count == 1
                ? $"Added: {Wording.Describe(Added[0])}, {turn.Local(Added[0].DueAt)}."
                : $"Added {Added.Count} nudges, the first {Wording.Describe(Added[0])}, {turn.Local(Added[0].DueAt)}.");
        if (Dropped > 0) parts.Add($"Dropped {Wording.Count(Dropped, "nudge", "nudges")} that no longer apply.");
        if (parts.Count == 0) parts.Add("No nudge moves.");
        parts.Add(Next is null ? "Nothing else is planned for it." : $"Next: {Wording.Describe(Next)}, {turn.Local(Next.DueAt)}.");
        return string.Join(' ', parts);
    }
}
