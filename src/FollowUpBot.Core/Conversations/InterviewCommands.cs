using System.Globalization;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Planning;

namespace FollowUpBot.Core.Conversations;

/// <summary><c>/interview list</c>, <c>show</c>, <c>outcome</c>, <c>followup</c> and <c>forget</c>.</summary>
internal sealed class InterviewCommands(EnginePorts ports, InterviewProgress progress)
{

    /// <summary>Each open application with its stage and next nudge; closed ones only while nudges are still to come.</summary>
    public async Task<IReadOnlyList<OutboundAction>> ListAsync(Turn turn, CancellationToken cancellationToken)
    {
        var all = await ports.Interviews.ListAsync(turn.Member.Id, openOnly: false, cancellationToken);
        var lines = new List<string>();
        var closing = new List<string>();
        var failures = new List<string>();
        foreach (var process in InterviewProcess.Of(all))
        {
            var nudges = await NudgesOfAsync(process, cancellationToken);
            var next = nudges.Where(n => n.IsScheduled).OrderBy(n => n.DueAt).ThenBy(n => n.Id).FirstOrDefault();
            var line = $"{Headline(process)}: " + (next is null ? "nothing pending" : $"next, {turn.Describe(next)}, {turn.Local(next.DueAt)}");
            if (process.IsOpen) lines.Add(line);
            else if (next is not null) closing.Add(line);
            failures.AddRange(nudges.Where(n => n.State == NudgeState.Failed).Select(n =>
                $"{Wording.Short(process.Rounds.Single(r => r.Id == n.InterviewId))}: {turn.Describe(n)} ({turn.Local(n.DueAt)}): {n.LastError ?? "no reason given"}"));
        }
        lines.Insert(0, lines.Count == 0
            ? "You have no open interviews. Record one with /interview done."
            : $"Your open applications (your time, {turn.Zone.Id}):");
        if (closing.Count > 0)
        {
            lines.Add("Closed, with nudges still to come:");
            lines.AddRange(closing);
        }
        if (failures.Count > 0)
        {
            lines.Add("Could not be delivered:");
            lines.AddRange(failures);
        }
        if (lines.Count > 1) lines.Add("/interview show id:N shows the whole plan of one.");
        return [Reply(string.Join('\n', lines))];
    }

    /// <summary>"#2 Acme (Backend Engineer), round 2, interviewing".</summary>
    private static string Headline(InterviewProcess process) =>
        Wording.Name(process.Current) + (process.Current.Round > 1 ? $", round {process.Current.Round}" : "") + $", {process.Stage.Describe()}";

    private async Task<List<Nudge>> NudgesOfAsync(InterviewProcess process, CancellationToken cancellationToken)
    {
        var nudges = new List<Nudge>();
        foreach (var round in process.Rounds) nudges.AddRange(await ports.Nudges.ListByInterviewAsync(round.Id, cancellationToken));
        return nudges;
    }

    /// <summary>
    /// <c>/interview show</c>: one application whole: its rounds, its stage, every nudge still to come with its time
    /// (those about an outcome included, after a close too), and the details still unanswered, with their buttons.
    /// </summary>
    public async Task<IReadOnlyList<OutboundAction>> ShowAsync(Turn turn, IReadOnlyDictionary<string, string> options,
        CancellationToken cancellationToken)
    {
        var (interview, problem) = await ResolveAsync(turn, options, "show", "/interview show id:2", cancellationToken);
        if (interview is null) return [Reply(problem!)];
        var all = await ports.Interviews.ListAsync(turn.Member.Id, openOnly: false, cancellationToken);
        var process = InterviewProcess.Containing(interview, all);
        var nudges = await NudgesOfAsync(process, cancellationToken);

        var lines = new List<string> { $"{Headline(process)}." };
        if (process.Rounds.Count > 1)
            lines.Add("Rounds: " + string.Join("; ", process.Rounds.Select(r =>
                $"{r.Round}. {Wording.Short(r)}, {r.Format.ToString().ToLowerInvariant()}, {turn.Local(r.EndedAt)}")) + ".");
        var current = process.Current;
        if (current.NextRoundAt is { } at && current.Stage == ProcessStage.NextRound)
            lines.Add($"Round {current.Round + 1}: {turn.Local(at)}.");
        if (current.OfferDeadline is { } day && current.Stage == ProcessStage.Offer)
            lines.Add($"They would like your answer by {Wording.Day(day)}.");
        var scheduled = nudges.Where(n => n.IsScheduled).OrderBy(n => n.DueAt).ThenBy(n => n.Id).ToList();
        if (scheduled.Count == 0) lines.Add("Nothing more is planned.");
        else
        {
            lines.Add($"Still to come (your time, {turn.Zone.Id}):");
            lines.AddRange(scheduled.Select(n => $"• {turn.Local(n.DueAt)}: {turn.Describe(n)}" +
                                                 (process.Rounds.Count > 1 ? $" (round {process.Rounds.Single(r => r.Id == n.InterviewId).Round})" : "") +
                                                 (n.State == NudgeState.Snoozed ? " (snoozed)" : "")));
        }
        var text = string.Join('\n', lines);
        var questions = InterviewDetails.Questions(current, "Still open, whenever you like:");
        return [new Reply(questions is null ? new Message(text) : questions with { Text = text + "\n" + questions.Text })];
    }

    public async Task<IReadOnlyList<OutboundAction>> OutcomeAsync(Turn turn, IReadOnlyDictionary<string, string> options,
        CancellationToken cancellationToken)
    {
        const string example = "/interview outcome id:2 result:offer";
        var resultText = options.GetValueOrDefault("result")?.Trim().ToLowerInvariant() ?? "";
        if (resultText.Length == 0)
            return [Reply($"Which result? Add result: with one of {Results}. For example: {example}")];
        if (!TryParseOutcome(resultText, out var outcome))
            return [Reply($"The result must be one of {Results} (you wrote {Wording.Quote(resultText)}). For example: {example}")];

        var outcomeDetails = OutcomeDetails.None;
        if (options.TryGetValue(NextRoundOption, out var nextRoundText))
        {
            if (outcome != Outcome.NextRound)
                return [Reply($"next-round: gives the date of a next round, so it goes with result:next-round. For example: /interview outcome id:2 result:next-round next-round:{NextRoundText.Example}")];
            if (!NextRoundText.TryParse(nextRoundText, turn.Now, turn.Zone, out var at, out var error)) return [Reply(error! + " Nothing changed.")];
            outcomeDetails = new OutcomeDetails(NextRoundAt: at);
        }
        if (options.TryGetValue(DeadlineOption, out var deadlineText))
        {
            if (outcome != Outcome.Offer)
                return [Reply("deadline: is the day an offer needs your answer by, so it goes with result:offer. For example: /interview outcome id:2 result:offer deadline:friday")];
            if (!InterviewDetails.TryReadDeadline(deadlineText, turn, out var day, out var error)) return [Reply(error! + " Nothing changed.")];
            outcomeDetails = new OutcomeDetails(OfferDeadline: day);
        }

        var (interview, problem) = await ResolveAsync(turn, options, "record an outcome for", example, cancellationToken);
        if (interview is null) return [Reply(problem!)];
        // An outcome belongs to the application: an earlier round's number means its latest round.
        var current = (await progress.ProcessRoundsAsync(interview, cancellationToken))[^1];
        if (!current.IsOpen)
            return [Reply($"{Wording.Short(current)} already has its outcome ({current.Stage.Describe()}), so I changed nothing.")];
        if (OutcomeProblem(current, outcome) is { } notNow) return [Reply(notNow)];

        var recorded = await progress.RecordOutcomeAsync(turn, current, outcome, [], cancellationToken, outcomeDetails);
        return [new Reply(progress.DescribeOutcome(turn, recorded, outcome))];
    }

    public const string NextRoundOption = "next-round";
    public const string DeadlineOption = "deadline";

    private const string Results =
        "offer, next-round, rejected, waiting (they replied, still deciding), no-reply (no answer to your follow-up), withdrawn, " +
        "accepted (you took their offer) or closed (no reply, stop following it)";

    /// <summary>
    /// Why an outcome cannot follow the current stage, or null. With an offer on the table, what comes next is the
    /// member's answer (accepted, or withdrawn when they decline) or the employer taking it back (rejected).
    /// </summary>
    public static string? OutcomeProblem(Interview current, Outcome outcome) =>
        current.Stage == ProcessStage.Offer && outcome is not (Outcome.Offer or Outcome.Accepted or Outcome.Withdrawn or Outcome.Rejected)
            ? $"{Wording.Short(current)} has an offer on the table: record accepted, withdrawn (you declined it) or rejected (they took it back). Nothing changed."
            : null;

    public async Task<IReadOnlyList<OutboundAction>> FollowUpAsync(Turn turn, IReadOnlyDictionary<string, string> options,
        CancellationToken cancellationToken)
    {
        var (interview, problem) = await ResolveAsync(turn, options, "log a follow-up for", "/interview followup id:2", cancellationToken);
        if (interview is null) return [Reply(problem!)];
        interview = (await progress.ProcessRoundsAsync(interview, cancellationToken))[^1];
        if (interview.Stage is not (ProcessStage.Interviewing or ProcessStage.Waiting or ProcessStage.NoReply))
            return [Reply($"{Wording.Short(interview)} is past that ({interview.Stage.Describe()}); no follow-up needed.")];

        var opens = ports.Planner.FollowUpWindowOpensAt(InterviewFacts.From(interview), turn.Planning);
        if (turn.Now < opens)
        {
            return [Reply($"It's too soon to follow up on {Wording.Short(interview)}: chasing a decision this early can look pushy. " +
                          $"The window opens {turn.Local(opens)} (your time). Until then, keep applying elsewhere. I logged nothing.")];
        }

        var replanned = await progress.LogFollowUpAsync(turn, interview, [], cancellationToken);
        return [Reply(InterviewProgress.DescribeFollowUp(turn, replanned))];
    }

    public async Task<IReadOnlyList<OutboundAction>> ForgetAsync(Turn turn, IReadOnlyDictionary<string, string> options,
        CancellationToken cancellationToken)
    {
        if (!options.ContainsKey("id"))
            return [Reply("Which interview should I forget? Give its number, for example /interview forget id:2 (/interview list shows them).")];
        var (interview, problem) = await ResolveAsync(turn, options, "forget", "/interview forget id:2", cancellationToken);
        if (interview is null) return [Reply(problem!)];

        var nudges = await ports.Nudges.ListByInterviewAsync(interview.Id, cancellationToken);
        return
        [
            new Reply(new Message(
                $"Forget {Wording.Name(interview)} and its {Wording.Count(nudges.Count, "nudge", "nudges")}? This cannot be undone.",
                [
                    new Button(new ConfirmButton(ConfirmationKind.Forget, interview.Id, Yes: true), "Yes, forget it", ButtonStyle.Danger),
                    new Button(new ConfirmButton(ConfirmationKind.Forget, interview.Id, Yes: false), "No, keep it"),
                ])),
        ];
    }

    /// <summary>The confirmation's answer; the interview must belong to the member who pressed.</summary>
    public async Task<IReadOnlyList<OutboundAction>> ConfirmForgetAsync(Turn turn, long interviewId, bool yes, CancellationToken cancellationToken)
    {
        var interview = await ports.Interviews.GetAsync(interviewId, cancellationToken);
        if (interview is null) return [new UpdateMessage(new Message("That interview is already gone; nothing to do."))];
        if (interview.MemberId != turn.Member.Id) return [Reply(ButtonRouting.NotYours)];
        if (!yes) return [new UpdateMessage(new Message($"Kept {Wording.Name(interview)}; nothing changed."))];

        var removed = await ports.Interviews.DeleteAsync(interview.Id, cancellationToken);
        if (removed.Count > 0) await ports.Scheduler.UnscheduleAsync(removed, cancellationToken);
        return [new UpdateMessage(new Message($"Forgot {Wording.Name(interview)} and its {Wording.Count(removed.Count, "nudge", "nudges")}."))];
    }

    /// <summary>The words members type for an outcome (still-deciding, no reply, closed ...), or the stored names.</summary>
    private static bool TryParseOutcome(string text, out Outcome outcome)
    {
        var word = string.Join('_', text.Trim().ToLowerInvariant().Split([' ', '-', '_'], StringSplitOptions.RemoveEmptyEntries));
        word = word switch
        {
            "still_deciding" or "deciding" => "waiting",
            "noreply" or "silence" => "no_reply",
            "nextround" or "next" => "next_round",
            "closed" or "close" or "closed_noreply" => "closed_no_reply",
            "declined" => "withdrawn",
            _ => word,
        };
        return Outcomes.TryParse(word, out outcome);
    }

    /// <summary>
    /// The interview an <c>id:N</c> option names (the member's own number), or the latest round of the only open
    /// application when no id was given; otherwise a polite question listing the candidates.
    /// </summary>
    internal async Task<(Interview? Interview, string? Problem)> ResolveAsync(Turn turn, IReadOnlyDictionary<string, string> options,
        string doWhat, string example, CancellationToken cancellationToken)
    {
        var all = await ports.Interviews.ListAsync(turn.Member.Id, openOnly: false, cancellationToken);
        var open = InterviewProcess.Of(all).Where(p => p.IsOpen).Select(p => p.Current).ToList();
        var candidates = open.Count == 0 ? "" : " Your open ones: " + string.Join(", ", open.Select(Wording.Short)) + ".";

        if (options.TryGetValue("id", out var idText))
        {
            var digits = idText.Trim().TrimStart('#');
            if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
                return (null, $"id should be the interview's number, like id:2 (you wrote {Wording.Quote(idText)}).{candidates}");
            var found = await ports.Interviews.FindByNumberAsync(turn.Member.Id, number, cancellationToken);
            return found is null
                ? (null, $"You have no interview #{number}.{(candidates.Length > 0 ? candidates : " You have no open interviews.")}")
                : (found, null);
        }

        return open.Count switch
        {
            0 => (null, "You have no open interviews. Record one with /interview done."),
            1 => (open[0], null),
            _ => (null, $"Which interview do you want to {doWhat}? You have {open.Count} open:\n" +
                        string.Join('\n', open.Select(i => "• " + Wording.Name(i))) +
                        $"\nAdd its number, for example: {example.Replace("id:2", $"id:{open[0].Number}")}"),
        };
    }

    private static Reply Reply(string text) => new(new Message(text));
}
