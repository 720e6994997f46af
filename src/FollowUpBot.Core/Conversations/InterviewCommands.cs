using System.Globalization;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Planning;

namespace FollowUpBot.Core.Conversations;

/// <summary><c>/interview list</c>, <c>outcome</c>, <c>followup</c> and <c>forget</c>.</summary>
internal sealed class InterviewCommands(EnginePorts ports, InterviewProgress progress)
{
    public const string ForgetConfirmation = "forget";

    public async Task<IReadOnlyList<OutboundAction>> ListAsync(Turn turn, CancellationToken cancellationToken)
    {
        var all = await ports.Interviews.ListAsync(turn.Member.Id, openOnly: false, cancellationToken);
        var open = all.Where(i => i.IsOpen).ToList();
        var lines = new List<string>();
        var failures = new List<string>();
        if (open.Count == 0) lines.Add("You have no open interviews. Record one with /interview done.");
        else lines.Add($"Your open interviews (your time, {turn.Zone.Id}):");

        foreach (var interview in all)
        {
            var nudges = await ports.Nudges.ListByInterviewAsync(interview.Id, cancellationToken);
            if (interview.IsOpen)
            {
                var next = nudges.Where(n => n.IsScheduled).OrderBy(n => n.DueAt).FirstOrDefault();
                var waiting = interview.Outcome == Outcome.Waiting ? " (they are still deciding)" : "";
                lines.Add(next is null
                    ? $"{Wording.Name(interview)}{waiting}: nothing pending"
                    : $"{Wording.Name(interview)}{waiting}: next, {Wording.Describe(next)}, {turn.Local(next.DueAt)}");
            }
            failures.AddRange(nudges.Where(n => n.State == NudgeState.Failed).Select(n =>
                $"{Wording.Short(interview)}: {Wording.Describe(n)} ({turn.Local(n.DueAt)}): {n.LastError ?? "no reason given"}"));
        }
        if (failures.Count > 0)
        {
            lines.Add("Could not be delivered:");
            lines.AddRange(failures);
        }
        return [Reply(string.Join('\n', lines))];
    }

    public async Task<IReadOnlyList<OutboundAction>> OutcomeAsync(Turn turn, IReadOnlyDictionary<string, string> options,
        CancellationToken cancellationToken)
    {
        const string example = "/interview outcome id:2 result:offer";
        var resultText = options.GetValueOrDefault("result")?.Trim().ToLowerInvariant() ?? "";
        if (resultText.Length == 0)
            return [Reply($"Which result? Add result:offer, rejected, withdrawn or waiting (they replied, still deciding). For example: {example}")];
        if (!TryParseOutcome(resultText, out var outcome))
            return [Reply($"The result must be offer, rejected, withdrawn or waiting (you wrote {Wording.Quote(resultText)}). For example: {example}")];

        var (interview, problem) = await ResolveAsync(turn, options, "record an outcome for", example, cancellationToken);
        if (interview is null) return [Reply(problem!)];
        if (!interview.IsOpen)
            return [Reply($"{Wording.Short(interview)} already has its outcome ({Wording.OutcomeName(interview.Outcome!.Value)}), so I changed nothing.")];

        var (updated, cancelled, added) = await progress.RecordOutcomeAsync(turn, interview, outcome, [], cancellationToken);
        return [Reply(InterviewProgress.DescribeOutcome(turn, updated, outcome, cancelled, added))];
    }

    public async Task<IReadOnlyList<OutboundAction>> FollowUpAsync(Turn turn, IReadOnlyDictionary<string, string> options,
        CancellationToken cancellationToken)
    {
        var (interview, problem) = await ResolveAsync(turn, options, "log a follow-up for", "/interview followup id:2", cancellationToken);
        if (interview is null) return [Reply(problem!)];
        if (!interview.IsOpen)
            return [Reply($"{Wording.Short(interview)} already has its outcome ({Wording.OutcomeName(interview.Outcome!.Value)}); no follow-up needed.")];

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
        var id = interview.Id.ToString(CultureInfo.InvariantCulture);
        return
        [
            new Reply(new Message(
                $"Forget {Wording.Name(interview)} and its {Wording.Count(nudges.Count, "nudge", "nudges")}? This cannot be undone.",
                [
                    new Button(ButtonIds.ForConfirmation(ForgetConfirmation, id, yes: true), "Yes, forget it", ButtonStyle.Danger),
                    new Button(ButtonIds.ForConfirmation(ForgetConfirmation, id, yes: false), "No, keep it"),
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

    private static bool TryParseOutcome(string text, out Outcome outcome) =>
        Enum.TryParse(text, ignoreCase: true, out outcome) && Enum.IsDefined(outcome) && !int.TryParse(text, out _);

    /// <summary>
    /// The interview an <c>id:N</c> option names (the member's own number), or the only open one when no id was
    /// given; otherwise a polite question listing the candidates.
    /// </summary>
    internal async Task<(Interview? Interview, string? Problem)> ResolveAsync(Turn turn, IReadOnlyDictionary<string, string> options,
        string doWhat, string example, CancellationToken cancellationToken)
    {
        var open = await ports.Interviews.ListAsync(turn.Member.Id, openOnly: true, cancellationToken);
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
