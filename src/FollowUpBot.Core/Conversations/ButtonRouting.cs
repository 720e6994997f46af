using System.Globalization;
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
    Replanner replanner)
{
    public const string NotYours = "That button belongs to someone else's interview, so I left it alone.";
    private const string Unknown = "I don't recognise that button; it may be from an old message. /interview list shows where things stand.";

    public async Task<IReadOnlyList<OutboundAction>> PressAsync(Turn turn, string buttonId, CancellationToken cancellationToken)
    {
        var parts = (buttonId ?? "").Split(':');
        if (parts is ["nudge", var idText, .. var action] && TryId(idText, out var nudgeId) && action.Length > 0)
            return await NudgeAsync(turn, nudgeId, action, cancellationToken);
        if (parts is ["confirm", InterviewCommands.ForgetConfirmation, var interviewText, "yes" or "no"] && TryId(interviewText, out var interviewId))
            return await commands.ConfirmForgetAsync(turn, interviewId, parts[3] == "yes", cancellationToken);
        return [Reply(Unknown)];
    }

    private async Task<IReadOnlyList<OutboundAction>> NudgeAsync(Turn turn, long nudgeId, string[] action, CancellationToken cancellationToken)
    {
        Outcome outcome = default;
        var known = action switch
        {
            [ButtonIds.Done] or [ButtonIds.Snooze] or [ButtonIds.Skip] or [ButtonIds.AddNotes] => true,
            ["outcome", var o] => Enum.TryParse(o, ignoreCase: true, out outcome) && Enum.IsDefined(outcome) && !int.TryParse(o, out _),
            _ => false,
        };
        if (!known) return [Reply(Unknown)];

        var nudge = await ports.Nudges.GetAsync(nudgeId, cancellationToken);
        if (nudge is null) return [Reply("That nudge no longer exists (its interview may have been forgotten), so there is nothing to do.")];
        if (nudge.MemberId != turn.Member.Id) return [Reply(NotYours)];
        var interview = await ports.Interviews.GetAsync(nudge.InterviewId, cancellationToken);
        if (interview is null) return [Reply("That nudge's interview was forgotten, so there is nothing to do.")];
        if (interview.MemberId != turn.Member.Id) return [Reply(NotYours)];

        if (action is [ButtonIds.AddNotes]) return [await notes.ShowAsync(turn, interview, cancellationToken)];
        if (nudge.State == NudgeState.Sending)
            return [Reply("That nudge is being delivered right now; press the button again in a moment.")];

        return action switch
        {
            [ButtonIds.Done] => await DoneAsync(turn, nudge, interview, cancellationToken),
            [ButtonIds.Snooze] => await SnoozeAsync(turn, nudge, interview, cancellationToken),
            [ButtonIds.Skip] => await SkipAsync(turn, nudge, interview, cancellationToken),
            _ => await OutcomeAsync(turn, nudge, interview, outcome, cancellationToken),
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
        if (!interview.IsOpen)
            return [Update(turn, nudge, interview, $"The outcome is already recorded ({Wording.OutcomeName(interview.Outcome!.Value)}); nothing changed.")];
        IReadOnlyList<NudgeStateChange> markDone = NudgeBook.Markable.Contains(nudge.State)
            ? [new NudgeStateChange(nudge.Id, NudgeBook.Markable, NudgeState.Done)]
            : [];
        var (updated, cancelled, added) = await progress.RecordOutcomeAsync(turn, interview, outcome, markDone, cancellationToken);
        return [Update(turn, nudge, interview, InterviewProgress.DescribeOutcome(turn, updated, outcome, cancelled, added))];
    }

    private static string AlreadyClosed(Nudge nudge) => nudge.State switch
    {
        NudgeState.Done => "Already marked done.",
        NudgeState.Skipped => "This one was skipped, so there is nothing to do.",
        _ => "This one was closed (the interview moved on), so there is nothing to do.",
    };

    /// <summary>The nudge's own text (as worded when it went out) with a status line, buttons removed.</summary>
    private Message Compose(Turn turn, Nudge nudge, Interview interview, string status)
    {
        var original = ports.Composer.Compose(nudge, interview, late: false, new DeliveryMoment(nudge.SentAt ?? turn.Now, turn.Planning)).Text;
        var room = Message.MaxTextLength - 1 - status.Length - 2;
        return new Message(Wording.Fit(original, Math.Max(room, 200)) + "\n\n" + status);
    }

    private UpdateMessage Update(Turn turn, Nudge nudge, Interview interview, string status) => new(Compose(turn, nudge, interview, status));

    private static Reply Reply(string text) => new(new Message(text));

    private static bool TryId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
}
