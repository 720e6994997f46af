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
internal sealed class InterviewProgress(EnginePorts ports, NudgeBook book, Replanner replanner)
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

    private bool Ends(Outcome outcome, Nudge nudge, bool thisRound, IReadOnlySet<NudgeKind> replanned)
    {
        if (thisRound && replanned.Contains(nudge.Kind)) return true;
        if (ports.Planner.CountsFromStageDate(nudge.Kind) && (thisRound || outcome.EndsTheRound())) return true;
        // The same rule the re-plan follows (NudgePlanner.Survives); a round that goes on keeps other rounds' nudges.
        return (thisRound || outcome.EndsTheRound()) && !ports.Planner.Survives(nudge.Kind, outcome);
    }

    /// <summary>
    /// The round before a newly recorded one: it led to a next round, so its chasing steps and its preparation for the
    /// round now held are cancelled. Its thank-yous and the rest stay (a next round the same day still deserves them).
    /// </summary>
    public async Task<Interview> CloseRoundForNextAsync(Turn turn, Interview previous, CancellationToken cancellationToken)
    {
        var nudges = await ports.Nudges.ListByInterviewAsync(previous.Id, cancellationToken);
        var updated = previous.Outcome == Outcome.NextRound ? previous : previous with { Outcome = Outcome.NextRound, OutcomeAt = turn.Now };
        var cancel = nudges.Where(n => n.IsScheduled && (!ports.Planner.Survives(n.Kind, Outcome.NextRound) || ports.Planner.CountsFromStageDate(n.Kind)))
            .Select(NudgeBook.Cancel).ToList();
        await book.ApplyAsync(updated, nudges, new NudgeChanges([], cancel), cancellationToken);
        return updated;
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
                buttons.Add(new Button(new InterviewButton(interview.Id, InterviewAction.RoundDate), "Set round date…", ButtonStyle.Primary));
                break;
            case Outcome.Offer when interview.OfferDeadline is { } day:
                lines.Add($"They would like your answer by {Wording.Day(day)}; I'll remind you the day before.");
                break;
            case Outcome.Offer:
                lines.Add("By when do they need your answer? Press *Answer deadline…* and I'll remind you the day before.");
                buttons.Add(new Button(new InterviewButton(interview.Id, InterviewAction.Deadline), "Answer deadline…", ButtonStyle.Primary));
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
    /// Logs a follow-up the member made, then re-plans: follow up once, so without an express invitation the remaining
    /// follow-up nudges close; with one the next weekly check-in counts from this one (until five in all). A sent
    /// follow-up nudge counts as done.
    /// </summary>
    public async Task<Replanned> LogFollowUpAsync(Turn turn, Interview interview,
        IReadOnlyList<NudgeStateChange> alsoChange, CancellationToken cancellationToken)
    {
        var nudges = await ports.Nudges.ListByInterviewAsync(interview.Id, cancellationToken);
        var updated = interview with
        {
            FollowUpsLogged = interview.FollowUpsLogged + 1, LastFollowUpAt = turn.Now, FollowUpTimes = [.. interview.FollowUpTimes, turn.Now],
        };
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

/// <summary>What the member said along with an outcome: the next round's time, the date an offer needs an answer by.</summary>
internal sealed record OutcomeDetails(DateTimeOffset? NextRoundAt = null, DateOnly? OfferDeadline = null)
{
    public static OutcomeDetails None { get; } = new();
}

/// <summary>An outcome as stored: the interview, the nudges it closed, and those still to come from it (kept or added).</summary>
internal sealed record RecordedOutcome(Interview Interview, IReadOnlyList<Nudge> Cancelled, IReadOnlyList<Nudge> StillComing);
