using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Planning;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Core.Conversations;

/// <summary>
/// Button presses: nudge buttons (done, snooze, skip, notes, outcomes) and confirmations. Every press is checked
/// against the member who pressed; an unknown, stale or someone else's button changes nothing.
/// </summary>
internal sealed class ButtonRouting(EnginePorts ports, NudgeBook book, InterviewProgress progress, InterviewCommands commands, NotesForm notes,
    InterviewDetails details, InterviewRecording recording, Replanner replanner)
{
    public const string NotYours = "That button belongs to someone else's interview, so I left it alone.";

    public const string Unknown = "I don't recognise that button; it may be from an old message. /interview list shows where things stand.";

    /// <summary>A parsed button of a nudge, an interview's details or a confirmation about interviews.</summary>
    public async Task<IReadOnlyList<OutboundAction>> PressAsync(Turn turn, ButtonId id, CancellationToken cancellationToken) => id switch
    {
        NudgeButton nudge => await NudgeAsync(turn, nudge.NudgeId, nudge.Action, null, cancellationToken),
        NudgeOutcomeButton outcome => await NudgeAsync(turn, outcome.NudgeId, null, outcome.Outcome, cancellationToken),
        ConfirmButton { Kind: ConfirmationKind.Forget } forget => await commands.ConfirmForgetAsync(turn, forget.Id, forget.Yes, cancellationToken),
        ConfirmButton { Kind: ConfirmationKind.SameInterview } same => await recording.ConfirmRepeatAsync(turn, same.Id, same.Yes, cancellationToken),
        InterviewButton interview => await details.PressAsync(turn, interview, cancellationToken),
        _ => [Reply(Unknown)],
    };

    /// <summary>A nudge's button: a plain <paramref name="action"/>, or an <paramref name="outcome"/> to record.</summary>
    private async Task<IReadOnlyList<OutboundAction>> NudgeAsync(Turn turn, long nudgeId, NudgeAction? action, Outcome? outcome,
        CancellationToken cancellationToken)
    {
        // Declining an offer is withdrawing from the process.
        if (action == NudgeAction.Declined) outcome = Outcome.Withdrawn;

        var nudge = await ports.Nudges.GetAsync(nudgeId, cancellationToken);
        if (nudge is null) return [Reply("That nudge no longer exists (its interview may have been forgotten), so there is nothing to do.")];
        if (nudge.MemberId != turn.Member.Id) return [Reply(NotYours)];
        var interview = await ports.Interviews.GetAsync(nudge.InterviewId, cancellationToken);
        if (interview is null) return [Reply("That nudge's interview was forgotten, so there is nothing to do.")];
        if (interview.MemberId != turn.Member.Id) return [Reply(NotYours)];

        if (action == NudgeAction.AddNotes) return [await notes.ShowAsync(turn, interview, cancellationToken)];
        if (action == NudgeAction.SetDeadline) return [InterviewDetails.DeadlineForm(interview, null, null)];
        if (nudge.State == NudgeState.Sending)
            return [Reply("That nudge is being delivered right now; press the button again in a moment.")];

        if (outcome is { } recorded) return await OutcomeAsync(turn, nudge, interview, recorded, cancellationToken);
        return action switch
        {
            NudgeAction.Done => await DoneAsync(turn, nudge, interview, cancellationToken),
            NudgeAction.Snooze => await SnoozeAsync(turn, nudge, interview, cancellationToken),
            NudgeAction.Skip => await SkipAsync(turn, nudge, interview, cancellationToken),
            NudgeAction.KeepOpen => await KeepOpenAsync(turn, nudge, interview, cancellationToken),
            _ => [Reply(Unknown)],
        };
    }

    private async Task<IReadOnlyList<OutboundAction>> DoneAsync(Turn turn, Nudge nudge, Interview interview, CancellationToken cancellationToken)
    {
        if (!NudgeBook.Markable.Contains(nudge.State)) return [Update(turn, nudge, interview, AlreadyClosed(nudge))];

        var markDone = new NudgeStateChange(nudge.Id, NudgeBook.Markable, NudgeState.Done, MarkedAt: turn.Now);
        if (nudge.Kind == NudgeKind.FollowUp && interview.IsOpen)
        {
            var logged = await progress.LogFollowUpAsync(turn, interview, [markDone], cancellationToken);
            if (!logged.Applied(nudge.Id)) return [Update(turn, nudge, interview, "That nudge changed meanwhile; nothing to mark.")];
            var updated = logged.Interview;
            var status = updated.FollowUpInvited && updated.FollowUpsLogged < InterviewProgress.MaxInvitedFollowUps
                ? "Done: follow-up logged. They invited weekly check-ins, so the next one counts a week from today."
                : "Done: follow-up logged. That's the one follow-up; now let it rest and keep applying.";
            return [Update(turn, nudge, interview, string.Join('\n', Replanner.Describe(turn, logged).Prepend(status)))];
        }
        if (nudge.Kind is NudgeKind.ThankYou or NudgeKind.ThankYouReminder)
            return await CloseThankYouAsync(turn, nudge, interview, NudgeState.Done, cancellationToken);

        var nudges = await ports.Nudges.ListByInterviewAsync(interview.Id, cancellationToken);
        var result = await book.ApplyAsync(interview, nudges, new NudgeChanges([], [markDone]), cancellationToken);
        return [Update(turn, nudge, interview, result.Changed.Contains(nudge.Id) ? "Done." : "That nudge changed meanwhile; nothing to mark.")];
    }

    /// <summary>
    /// Done or Skip on a thank-you, or on its reminder (which answers for the thank-you it asks about: Done there means
    /// the note went out), then a re-plan: the reminder closes and, once every thank-you is closed, the follow-up counts
    /// from the last one sent (R4: a week after the thank-you).
    /// </summary>
    private async Task<IReadOnlyList<OutboundAction>> CloseThankYouAsync(Turn turn, Nudge nudge, Interview interview, NudgeState to,
        CancellationToken cancellationToken)
    {
        var nudges = await ports.Nudges.ListByInterviewAsync(interview.Id, cancellationToken);
        var changes = new List<NudgeStateChange> { new(nudge.Id, NudgeBook.Markable, to, MarkedAt: turn.Now) };
        if (nudge.Kind == NudgeKind.ThankYouReminder)
            changes.AddRange(nudges.Where(n => n.Kind == NudgeKind.ThankYou && n.Interviewer == nudge.Interviewer && NudgeBook.Markable.Contains(n.State))
                .Select(n => new NudgeStateChange(n.Id, NudgeBook.Markable, to, MarkedAt: turn.Now)));
        var replanned = await replanner.ReplanAsync(turn, interview, changes, cancellationToken);
        if (!replanned.Applied(nudge.Id))
            return [Update(turn, nudge, interview, $"That nudge changed meanwhile; nothing {(to == NudgeState.Done ? "to mark" : "skipped")}.")];

        var status = to == NudgeState.Skipped ? "Skipped."
            : nudge.Kind == NudgeKind.ThankYouReminder ? $"Done: your thank-you to {nudge.Interviewer} counts as sent."
            : "Done.";
        // With every thank-you closed, when the follow-up comes is the news (R4: a week after the thank-you); this
        // interviewer's reminder closing goes without saying.
        var closing = changes.Select(c => c.NudgeId).ToHashSet();
        var allClosed = !nudges.Any(n => n.Kind == NudgeKind.ThankYou && !closing.Contains(n.Id) &&
                                         n.State is NudgeState.Pending or NudgeState.Snoozed or NudgeState.Sending or NudgeState.Sent or NudgeState.Failed);
        if (allClosed && replanned.Waiting.FirstOrDefault(n => n.Kind == NudgeKind.FollowUp && n.Sequence <= 1) is { } followUp)
            status += $" All thank-yous are {(to == NudgeState.Done ? "sent" : "closed")}, so your follow-up is now planned for {turn.Local(followUp.DueAt)}.";
        var rest = replanned with
        {
            Moved = replanned.Moved.Where(m => !(m.Nudge.Kind == NudgeKind.FollowUp && m.Nudge.Sequence <= 1)).ToList(),
            Added = replanned.Added.Where(n => !(n.Kind == NudgeKind.FollowUp && n.Sequence <= 1)).ToList(),
            Cancelled = replanned.Cancelled.Where(n => !(n.Kind == NudgeKind.ThankYouReminder && n.Interviewer == nudge.Interviewer)).ToList(),
        };
        return [Update(turn, nudge, interview, string.Join('\n', Replanner.Describe(turn, rest).Prepend(status)))];
    }

    private async Task<IReadOnlyList<OutboundAction>> SnoozeAsync(Turn turn, Nudge nudge, Interview interview, CancellationToken cancellationToken)
    {
        if (!NudgeBook.Markable.Contains(nudge.State)) return [Update(turn, nudge, interview, AlreadyClosed(nudge))];
        var due = await replanner.SpacedAsync(turn, nudge,
            ports.Planner.SnoozedUntil(nudge.Kind, turn.Now + ports.Planner.Playbook.SnoozeFor, turn.Planning), cancellationToken);
        var nudges = await ports.Nudges.ListByInterviewAsync(interview.Id, cancellationToken);
        var result = await book.ApplyAsync(interview, nudges,
            new NudgeChanges([], [new NudgeStateChange(nudge.Id, NudgeBook.Markable, NudgeState.Snoozed, due)]), cancellationToken);
        return result.Changed.Contains(nudge.Id)
            ? [Update(turn, nudge, interview, $"Snoozed: I'll remind you again {turn.Local(due)}.")]
            : [Update(turn, nudge, interview, "That nudge changed meanwhile; nothing snoozed.")];
    }

    private async Task<IReadOnlyList<OutboundAction>> SkipAsync(Turn turn, Nudge nudge, Interview interview, CancellationToken cancellationToken)
    {
        if (!NudgeBook.Markable.Contains(nudge.State)) return [Update(turn, nudge, interview, AlreadyClosed(nudge))];
        // Skipping a thank-you (or its reminder) also silences the reminder: the member decided not to send it.
        if (nudge.Kind is NudgeKind.ThankYou or NudgeKind.ThankYouReminder)
            return await CloseThankYouAsync(turn, nudge, interview, NudgeState.Skipped, cancellationToken);
        var nudges = await ports.Nudges.ListByInterviewAsync(interview.Id, cancellationToken);
        var result = await book.ApplyAsync(interview, nudges,
            new NudgeChanges([], [new NudgeStateChange(nudge.Id, NudgeBook.Markable, NudgeState.Skipped, MarkedAt: turn.Now)]), cancellationToken);
        return [Update(turn, nudge, interview, result.Changed.Contains(nudge.Id) ? "Skipped." : "That nudge changed meanwhile; nothing skipped.")];
    }

    private async Task<IReadOnlyList<OutboundAction>> OutcomeAsync(Turn turn, Nudge nudge, Interview interview, Outcome outcome,
        CancellationToken cancellationToken)
    {
        var rounds = await progress.ProcessRoundsAsync(interview, cancellationToken);
        var current = rounds[^1];
        if (current.Id != interview.Id)
            return [Update(turn, nudge, interview, $"{Wording.Short(interview)} is round {interview.Round} of your {interview.Company} application, which " +
                                             $"went on to {Wording.Short(current)} (round {current.Round}); record its outcome there. Nothing changed.")];
        if (!interview.IsOpen)
            return [Update(turn, nudge, interview, $"The outcome is already recorded ({interview.Stage.Describe()}); nothing changed.")];
        if (InterviewCommands.OutcomeProblem(interview, outcome) is { } problem) return [Update(turn, nudge, interview, problem)];
        IReadOnlyList<NudgeStateChange> markDone = NudgeBook.Markable.Contains(nudge.State)
            ? [new NudgeStateChange(nudge.Id, NudgeBook.Markable, NudgeState.Done, MarkedAt: turn.Now)]
            : [];
        var recorded = await progress.RecordOutcomeAsync(turn, interview, outcome, markDone, cancellationToken);
        var answer = progress.DescribeOutcome(turn, recorded, outcome);
        return [Update(turn, nudge, interview, answer.Text, answer.Buttons)];
    }

    /// <summary>"Keep it open" on let_it_rest: the nudge is done, the process stays where it is.</summary>
    private async Task<IReadOnlyList<OutboundAction>> KeepOpenAsync(Turn turn, Nudge nudge, Interview interview, CancellationToken cancellationToken)
    {
        if (!NudgeBook.Markable.Contains(nudge.State)) return [Update(turn, nudge, interview, AlreadyClosed(nudge))];
        var nudges = await ports.Nudges.ListByInterviewAsync(interview.Id, cancellationToken);
        var result = await book.ApplyAsync(interview, nudges,
            new NudgeChanges([], [new NudgeStateChange(nudge.Id, NudgeBook.Markable, NudgeState.Done, MarkedAt: turn.Now)]), cancellationToken);
        return [Update(turn, nudge, interview, result.Changed.Contains(nudge.Id)
            ? $"Kept {Wording.Short(interview)} open; I won't ask again. /interview outcome id:{interview.Number} records news when it comes."
            : "That nudge changed meanwhile; nothing to do.")];
    }

    private static string AlreadyClosed(Nudge nudge) => nudge.State switch
    {
        NudgeState.Done => "Already marked done.",
        NudgeState.Skipped => "This one was skipped, so there is nothing to do.",
        _ => "This one was closed (the interview moved on), so there is nothing to do.",
    };

    /// <summary>The nudge's own text (as worded when it went out) with a status line; its buttons replaced by
    /// <paramref name="buttons"/> (none by default).</summary>
    private Message Compose(Turn turn, Nudge nudge, Interview interview, string status, IReadOnlyList<Button>? buttons)
    {
        var original = ports.Composer.Compose(nudge, interview, late: false, new DeliveryMoment(nudge.SentAt ?? turn.Now, turn.Planning)).Text;
        var room = Message.MaxTextLength - 1 - status.Length - 2;
        return new Message(Wording.Fit(original, Math.Max(room, 200)) + "\n\n" + status, buttons ?? []);
    }

    private UpdateMessage Update(Turn turn, Nudge nudge, Interview interview, string status, IReadOnlyList<Button>? buttons = null) =>
        new(Compose(turn, nudge, interview, status, buttons));

    private static Reply Reply(string text) => new(new Message(text));
}
