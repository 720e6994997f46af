using System.Globalization;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Core.Conversations;

/// <summary>
/// Button presses: nudge buttons (done, snooze, skip, notes, outcomes) and confirmations. Every press is checked
/// against the member who pressed; an unknown, stale or someone else's button changes nothing.
/// </summary>
internal sealed class ButtonRouting(EnginePorts ports, NudgeBook book, InterviewProgress progress, InterviewCommands commands, NotesForm notes,
    InterviewDetails details, InterviewRecording recording)
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
        if (parts is ["confirm", InterviewRecording.SameInterviewConfirmation, var earlierText, "yes" or "no"] && TryId(earlierText, out var earlierId))
            return await recording.ConfirmRepeatAsync(turn, earlierId, parts[3] == "yes", cancellationToken);
        if (parts is ["interview", var detailsText, var detailsAction, .. var value] && TryId(detailsText, out var detailsId) && value.Length <= 1)
            return await details.PressAsync(turn, detailsId, detailsAction, value.FirstOrDefault(), cancellationToken);
        return [Reply(Unknown)];
    }

    private async Task<IReadOnlyList<OutboundAction>> NudgeAsync(Turn turn, long nudgeId, string[] action, CancellationToken cancellationToken)
    {
        Outcome outcome = default;
        var known = action switch
        {
            [ButtonIds.Done] or [ButtonIds.Snooze] or [ButtonIds.Skip] or [ButtonIds.AddNotes] or [ButtonIds.Deadline] or [ButtonIds.KeepOpen] => true,
            [ButtonIds.Declined] => true,
            ["outcome", var o] => Outcomes.TryParse(o, out outcome),
            _ => false,
        };
        if (!known) return [Reply(Unknown)];
        // Declining an offer is withdrawing from the process.
        if (action is [ButtonIds.Declined]) outcome = Outcome.Withdrawn;

        var nudge = await ports.Nudges.GetAsync(nudgeId, cancellationToken);
        if (nudge is null) return [Reply("That nudge no longer exists (its interview may have been forgotten), so there is nothing to do.")];
        if (nudge.MemberId != turn.Member.Id) return [Reply(NotYours)];
        var interview = await ports.Interviews.GetAsync(nudge.InterviewId, cancellationToken);
        if (interview is null) return [Reply("That nudge's interview was forgotten, so there is nothing to do.")];
        if (interview.MemberId != turn.Member.Id) return [Reply(NotYours)];

        if (action is [ButtonIds.AddNotes]) return [await notes.ShowAsync(turn, interview, cancellationToken)];
        if (action is [ButtonIds.Deadline]) return [InterviewDetails.DeadlineForm(interview, null, null)];
        if (nudge.State == NudgeState.Sending)
            return [Reply("That nudge is being delivered right now; press the button again in a moment.")];

        return action switch
        {
            [ButtonIds.Done] => await DoneAsync(turn, nudge, interview, cancellationToken),
            [ButtonIds.Snooze] => await SnoozeAsync(turn, nudge, interview, cancellationToken),
            [ButtonIds.Skip] => await SkipAsync(turn, nudge, interview, cancellationToken),
            [ButtonIds.KeepOpen] => await KeepOpenAsync(nudge, interview, cancellationToken),
            _ => await OutcomeAsync(turn, nudge, interview, outcome, cancellationToken),
        };
    }

    private async Task<IReadOnlyList<OutboundAction>> DoneAsync(Turn turn, Nudge nudge, Interview interview, CancellationToken cancellationToken)
    {
        if (!NudgeBook.Markable.Contains(nudge.State)) return [Update(nudge, interview, AlreadyClosed(nudge))];

        var markDone = new NudgeStateChange(nudge.Id, NudgeBook.Markable, NudgeState.Done);
        if (nudge.Kind == NudgeKind.FollowUp && interview.IsOpen)
        {
            var (updated, _) = await progress.LogFollowUpAsync(turn, interview, [markDone], cancellationToken);
            var status = updated.FollowUpInvited && updated.FollowUpsLogged < InterviewProgress.MaxInvitedFollowUps
                ? "Done: follow-up logged. They invited weekly follow-ups, so the next reminder stays."
                : "Done: follow-up logged. That's the one follow-up; now let it rest and keep applying.";
            return [Update(nudge, interview, status)];
        }

        var nudges = await ports.Nudges.ListByInterviewAsync(interview.Id, cancellationToken);
        var changes = new List<NudgeStateChange> { markDone };
        var add = new List<Nudge>();
        var status2 = "Done.";
        if (nudge.Kind == NudgeKind.ThankYou)
        {
            changes.AddRange(InterviewProgress.ThankYouClosed(nudge, nudges));
            if (progress.ShouldReplanFollowUps(interview, nudge, nudges))
            {
                var (cancel, rows) = progress.ReplanFollowUps(turn, interview, nudges);
                changes.AddRange(cancel);
                add.AddRange(rows);
            }
        }
        var result = await book.ApplyAsync(interview, nudges, new NudgeChanges(add, changes), cancellationToken);
        if (!result.Changed.Contains(nudge.Id)) return [Update(nudge, interview, "That nudge changed meanwhile; nothing to mark.")];
        var firstFollowUp = result.Added.Where(n => n.Kind == NudgeKind.FollowUp && n.IsScheduled).MinBy(n => n.DueAt);
        if (firstFollowUp is not null)
            status2 += $" All thank-yous are sent, so your follow-up is now planned for {turn.Local(firstFollowUp.DueAt)}.";
        return [Update(nudge, interview, status2)];
    }

    private async Task<IReadOnlyList<OutboundAction>> SnoozeAsync(Turn turn, Nudge nudge, Interview interview, CancellationToken cancellationToken)
    {
        if (!NudgeBook.Markable.Contains(nudge.State)) return [Update(nudge, interview, AlreadyClosed(nudge))];
        var due = ports.Planner.SnoozedUntil(nudge.Kind, turn.Now + ports.Planner.Playbook.SnoozeFor, turn.Planning);
        var nudges = await ports.Nudges.ListByInterviewAsync(interview.Id, cancellationToken);
        var result = await book.ApplyAsync(interview, nudges,
            new NudgeChanges([], [new NudgeStateChange(nudge.Id, NudgeBook.Markable, NudgeState.Snoozed, due)]), cancellationToken);
        return result.Changed.Contains(nudge.Id)
            ? [Update(nudge, interview, $"Snoozed: I'll remind you again {turn.Local(due)}.")]
            : [Update(nudge, interview, "That nudge changed meanwhile; nothing snoozed.")];
    }

    private async Task<IReadOnlyList<OutboundAction>> SkipAsync(Turn turn, Nudge nudge, Interview interview, CancellationToken cancellationToken)
    {
        if (!NudgeBook.Markable.Contains(nudge.State)) return [Update(nudge, interview, AlreadyClosed(nudge))];
        var nudges = await ports.Nudges.ListByInterviewAsync(interview.Id, cancellationToken);
        var changes = new List<NudgeStateChange> { new(nudge.Id, NudgeBook.Markable, NudgeState.Skipped) };
        // Skipping a thank-you also silences its reminder: the member decided not to send it.
        if (nudge.Kind == NudgeKind.ThankYou) changes.AddRange(InterviewProgress.ThankYouClosed(nudge, nudges));
        var result = await book.ApplyAsync(interview, nudges, new NudgeChanges([], changes), cancellationToken);
        return [Update(nudge, interview, result.Changed.Contains(nudge.Id) ? "Skipped." : "That nudge changed meanwhile; nothing skipped.")];
    }

    private async Task<IReadOnlyList<OutboundAction>> OutcomeAsync(Turn turn, Nudge nudge, Interview interview, Outcome outcome,
        CancellationToken cancellationToken)
    {
        var rounds = await progress.ProcessRoundsAsync(interview, cancellationToken);
        var current = rounds[^1];
        if (current.Id != interview.Id)
            return [Update(nudge, interview, $"{Wording.Short(interview)} is round {interview.Round} of your {interview.Company} application, which " +
                                             $"went on to {Wording.Short(current)} (round {current.Round}); record its outcome there. Nothing changed.")];
        if (!interview.IsOpen)
            return [Update(nudge, interview, $"The outcome is already recorded ({interview.Stage.Describe()}); nothing changed.")];
        if (InterviewCommands.OutcomeProblem(interview, outcome) is { } problem) return [Update(nudge, interview, problem)];
        IReadOnlyList<NudgeStateChange> markDone = NudgeBook.Markable.Contains(nudge.State)
            ? [new NudgeStateChange(nudge.Id, NudgeBook.Markable, NudgeState.Done)]
            : [];
        var recorded = await progress.RecordOutcomeAsync(turn, interview, outcome, markDone, cancellationToken);
        var answer = progress.DescribeOutcome(turn, recorded, outcome);
        return [Update(nudge, interview, answer.Text, answer.Buttons)];
    }

    /// <summary>"Keep it open" on let_it_rest: the nudge is done, the process stays where it is.</summary>
    private async Task<IReadOnlyList<OutboundAction>> KeepOpenAsync(Nudge nudge, Interview interview, CancellationToken cancellationToken)
    {
        if (!NudgeBook.Markable.Contains(nudge.State)) return [Update(nudge, interview, AlreadyClosed(nudge))];
        var nudges = await ports.Nudges.ListByInterviewAsync(interview.Id, cancellationToken);
        var result = await book.ApplyAsync(interview, nudges,
            new NudgeChanges([], [new NudgeStateChange(nudge.Id, NudgeBook.Markable, NudgeState.Done)]), cancellationToken);
        return [Update(nudge, interview, result.Changed.Contains(nudge.Id)
            ? $"Kept {Wording.Short(interview)} open; I won't ask again. /interview outcome id:{interview.Number} records news when it comes."
            : "That nudge changed meanwhile; nothing to do.")];
    }

    private static string AlreadyClosed(Nudge nudge) => nudge.State switch
    {
        NudgeState.Done => "Already marked done.",
        NudgeState.Skipped => "This one was skipped, so there is nothing to do.",
        _ => "This one was closed (the interview moved on), so there is nothing to do.",
    };

    /// <summary>The nudge's own text with a status line; its buttons replaced by <paramref name="buttons"/> (none by default).</summary>
    private Message Compose(Nudge nudge, Interview interview, string status, IReadOnlyList<Button>? buttons)
    {
        var original = ports.Composer.Compose(nudge, interview, late: false).Text;
        var room = Message.MaxTextLength - 1 - status.Length - 2;
        return new Message(Wording.Fit(original, Math.Max(room, 200)) + "\n\n" + status, buttons ?? []);
    }

    private UpdateMessage Update(Nudge nudge, Interview interview, string status, IReadOnlyList<Button>? buttons = null) =>
        new(Compose(nudge, interview, status, buttons));

    private static Reply Reply(string text) => new(new Message(text));

    private static bool TryId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
}
