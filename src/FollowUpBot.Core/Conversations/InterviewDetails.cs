using System.Globalization;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Core.Conversations;

/// <summary>
/// What the member adds to a stored interview with buttons (<c>interview:{id}:{action}[:{value}]</c>) and small forms:
/// the details a one-line <c>/interview done</c> skipped (decision date, follow-up invited, references), the next
/// round's date and the date an offer needs an answer by. Each answer re-plans what depends on it and says what moved.
/// </summary>
internal sealed class InterviewDetails(EnginePorts ports, InterviewProgress progress, Replanner replanner)
{
    private const string NextRoundField = "next-round";
    private const string DeadlineField = "deadline";

    /// <summary>
    /// The short message with buttons asking what a one-line /interview done left out; null when nothing is open. One line
    /// per question (the playbook's longer wording of them belongs to the form, which has room for it).
    /// </summary>
    public static Message? Questions(Interview interview, string intro)
    {
        if (interview.OpenQuestions.Count == 0) return null;
        var lines = new List<string> { intro };
        var buttons = new List<Button>();
        var id = interview.Id;
        foreach (var question in interview.OpenQuestions)
        {
            switch (question)
            {
                case DetailQuestion.DecisionDate:
                    lines.Add("• When did they say they would decide? (It times your follow-up.)");
                    buttons.Add(new Button(Ask(id, InterviewAction.Decision, "this-week"), "Deciding this week"));
                    buttons.Add(new Button(Ask(id, InterviewAction.Decision, "next-week"), "Deciding next week"));
                    buttons.Add(new Button(Ask(id, InterviewAction.Decision, "not-said"), "Decision date not said"));
                    buttons.Add(new Button(Ask(id, InterviewAction.Decision, "other"), "Other date…"));
                    break;
                case DetailQuestion.FollowUpInvited:
                    lines.Add("• Did they invite you outright to check in with the hiring manager yourself? (Only then weekly check-ins.)");
                    buttons.Add(new Button(Ask(id, InterviewAction.Invited, "yes"), "Invited to follow up"));
                    buttons.Add(new Button(Ask(id, InterviewAction.Invited, "no"), "Not invited"));
                    break;
                default:
                    lines.Add("• Might they call references? (I remind you to brief them, then to thank them.)");
                    buttons.Add(new Button(Ask(id, InterviewAction.References, "none"), "No references"));
                    buttons.Add(new Button(Ask(id, InterviewAction.References, "add"), "Add references…"));
                    break;
            }
        }
        return new Message(string.Join('\n', lines), buttons);
    }

    private static string Ask(long interviewId, InterviewAction action, string value) =>
        new InterviewButton(interviewId, action, value).Format();

    /// <summary>A press of an <c>interview:{id}:...</c> button.</summary>
    public async Task<IReadOnlyList<OutboundAction>> PressAsync(Turn turn, InterviewButton button, CancellationToken cancellationToken)
    {
        var (interview, problem) = await OwnAsync(turn, button.InterviewId, cancellationToken);
        if (interview is null) return [problem!];
        var value = button.Value;
        switch (button.Action, value)
        {
            case (InterviewAction.RoundDate, null):
                return [RoundForm(interview, null, null)];
            case (InterviewAction.Deadline, null):
                return [DeadlineForm(interview, null, null)];
            case (InterviewAction.Decision, "other"):
                return [DetailsForm(interview, InterviewForm.DecisionDate, null, null)];
            case (InterviewAction.References, "add"):
                return [DetailsForm(interview, InterviewForm.References, null, null)];
            case (InterviewAction.Decision, "this-week" or "next-week" or "not-said"):
                var today = ZonedTime.Today(turn.Now, turn.Zone);
                DateOnly? date = value switch
                {
                    "this-week" => EndOfWeek(today),
                    "next-week" => EndOfWeek(today).AddDays(7),
                    _ => null,
                };
                return [Answered(await AnswerAsync(turn, interview, DetailQuestion.DecisionDate, i => i with { DecisionDate = date }, cancellationToken), update: true)];
            case (InterviewAction.Invited, "yes" or "no"):
                return [Answered(await AnswerAsync(turn, interview, DetailQuestion.FollowUpInvited, i => i with { FollowUpInvited = value == "yes" }, cancellationToken), update: true)];
            case (InterviewAction.References, "none"):
                return [Answered(await AnswerAsync(turn, interview, DetailQuestion.References, i => i with { References = [] }, cancellationToken), update: true)];
            default:
                return [Reply(ButtonRouting.Unknown)];
        }
    }

    /// <summary>"This week": the Friday of the current week, or today once that has passed (a weekend).</summary>
    private static DateOnly EndOfWeek(DateOnly today)
    {
        var ahead = ((int)DayOfWeek.Friday - (int)today.DayOfWeek + 7) % 7;
        return today.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? today : today.AddDays(ahead);
    }

    /// <summary>The submit of one of this class's forms.</summary>
    public async Task<IReadOnlyList<OutboundAction>> SubmitAsync(Turn turn, FormId formId, IReadOnlyDictionary<string, string> values,
        CancellationToken cancellationToken)
    {
        var (interview, problem) = await OwnAsync(turn, formId.InterviewId, cancellationToken);
        if (interview is null) return [problem!];
        return formId.Kind switch
        {
            FormKind.NextRound => await SubmitRoundAsync(turn, interview, values.GetValueOrDefault(NextRoundField) ?? "", cancellationToken),
            FormKind.OfferDeadline => await SubmitDeadlineAsync(turn, interview, values.GetValueOrDefault(DeadlineField) ?? "", cancellationToken),
            _ => await SubmitDetailsAsync(turn, interview, values, cancellationToken),
        };
    }

    private async Task<IReadOnlyList<OutboundAction>> SubmitDetailsAsync(Turn turn, Interview interview, IReadOnlyDictionary<string, string> values,
        CancellationToken cancellationToken)
    {
        if (values.TryGetValue(InterviewForm.DecisionDate, out var dateText))
        {
            var today = ZonedTime.Today(turn.Now, turn.Zone);
            var interviewDay = ZonedTime.Today(interview.EndedAt, turn.Zone);
            if (!DecisionDateText.TryParse(dateText, today, out var date, out var error))
                return [DetailsForm(interview, InterviewForm.DecisionDate, dateText, error)];
            if (date is { } d && d < interviewDay)
                return [DetailsForm(interview, InterviewForm.DecisionDate, dateText,
                    $"The decision date {d:yyyy-MM-dd} is before the interview day ({interviewDay:yyyy-MM-dd}). Give a later date, or not said.")];
            return [Answered(await AnswerAsync(turn, interview, DetailQuestion.DecisionDate, i => i with { DecisionDate = date }, cancellationToken), update: false)];
        }
        var text = values.GetValueOrDefault(InterviewForm.References)?.Trim() ?? "";
        if (text.Length == 0)
            return [DetailsForm(interview, InterviewForm.References, null, "Name them separated by commas, for example Kim Lee, Sam Park, or none.")];
        var references = InterviewForm.ReadReferences(text, out var referencesError);
        if (referencesError is not null) return [DetailsForm(interview, InterviewForm.References, text, referencesError)];
        return [Answered(await AnswerAsync(turn, interview, DetailQuestion.References, i => i with { References = references }, cancellationToken), update: false)];
    }

    /// <summary>Stores one answer, closes that question, re-plans what depends on it and words what moved.</summary>
    private async Task<(Interview Interview, string Status)> AnswerAsync(Turn turn, Interview interview, DetailQuestion question,
        Func<Interview, Interview> answer, CancellationToken cancellationToken)
    {
        var updated = answer(interview) with { OpenQuestions = interview.OpenQuestions.Where(q => q != question).ToList() };
        var replanned = await replanner.ReplanAsync(turn, updated, [], cancellationToken);
        var saved = question switch
        {
            DetailQuestion.DecisionDate => updated.DecisionDate is { } d ? $"they plan to decide by {Wording.Day(d)}" : "decision date not said",
            DetailQuestion.FollowUpInvited => updated.FollowUpInvited ? "direct follow-up invited (weekly check-ins, five at most)" : "no direct follow-up invited",
            _ => updated.References.Count == 0 ? "no references" : "references " + string.Join(", ", updated.References),
        };
        return (updated, string.Join('\n', Replanner.Describe(turn, replanned).Prepend($"Saved for {Wording.Short(updated)}: {saved}.")));
    }

    private OutboundAction Answered((Interview Interview, string Status) answered, bool update)
    {
        var rest = Questions(answered.Interview, "Still open, whenever you like:");
        var message = rest is null ? new Message(answered.Status) : rest with { Text = answered.Status + "\n" + rest.Text };
        return update ? new UpdateMessage(message) : new Reply(message);
    }

    private async Task<IReadOnlyList<OutboundAction>> SubmitRoundAsync(Turn turn, Interview interview, string text, CancellationToken cancellationToken)
    {
        if (interview.Stage != ProcessStage.NextRound)
            return [Reply($"{Wording.Short(interview)} is no longer waiting for a next round ({interview.Stage.Describe()}), so I changed nothing.")];
        if (!NextRoundText.TryParse(text, turn.Now, turn.Zone, out var at, out var error)) return [RoundForm(interview, text, error)];
        var recorded = await progress.RecordOutcomeAsync(turn, interview, Outcome.NextRound, [], cancellationToken, new OutcomeDetails(NextRoundAt: at));
        return [new Reply(progress.DescribeOutcome(turn, recorded, Outcome.NextRound))];
    }

    private async Task<IReadOnlyList<OutboundAction>> SubmitDeadlineAsync(Turn turn, Interview interview, string text, CancellationToken cancellationToken)
    {
        if (interview.Stage != ProcessStage.Offer)
            return [Reply($"{Wording.Short(interview)} has no offer waiting for your answer ({interview.Stage.Describe()}), so I changed nothing.")];
        if (!TryReadDeadline(text, turn, out var day, out var error)) return [DeadlineForm(interview, text, error)];
        var recorded = await progress.RecordOutcomeAsync(turn, interview, Outcome.Offer, [], cancellationToken, new OutcomeDetails(OfferDeadline: day));
        return [new Reply(progress.DescribeOutcome(turn, recorded, Outcome.Offer))];
    }

    /// <summary>A date an offer needs an answer by: a day as the decision date takes it, today or later.</summary>
    public static bool TryReadDeadline(string text, Turn turn, out DateOnly day, out string? error)
    {
        day = default;
        var today = ZonedTime.Today(turn.Now, turn.Zone);
        if (!DecisionDateText.TryParse(text, today, out var date, out error)) return false;
        if (date is not { } d)
        {
            error = $"Give the day they want your answer by, for example {today.AddDays(7):yyyy-MM-dd} or friday.";
            return false;
        }
        if (d < today)
        {
            error = $"{d:yyyy-MM-dd} has already passed. Give the day they want your answer by, for example {today.AddDays(7):yyyy-MM-dd}.";
            return false;
        }
        day = d;
        return true;
    }

    public static ShowForm DeadlineForm(Interview interview, string? value, string? error) =>
        new(new Form(new FormId(FormKind.OfferDeadline, interview.Id).Format(), "Answer deadline",
        [
            new FormField(DeadlineField, "Answer them by (date)", FormFieldKind.Date, Required: true, Value: value, Error: error,
                Hint: "2026-12-18, friday or next week", MaxLength: 30),
        ], $"By when does {interview.Company} need your answer to their offer? I'll remind you the day before."));

    private static ShowForm RoundForm(Interview interview, string? value, string? error) =>
        new(new Form(new FormId(FormKind.NextRound, interview.Id).Format(), "Next round",
        [
            new FormField(NextRoundField, "Date and time (your time)", FormFieldKind.Text, Required: true, Value: value, Error: error,
                Hint: $"{NextRoundText.Example} or 2026-12-15 10:00", MaxLength: 30),
        ], $"When is round {interview.Round + 1} with {interview.Company}? I'll bring back your debrief notes the evening before."));

    private static ShowForm DetailsForm(Interview interview, string field, string? value, string? error)
    {
        var template = InterviewForm.Fields.Single(f => f.Name == field);
        return new(new Form(new FormId(FormKind.Details, interview.Id).Format(), "Interview details",
            [template with { Required = true, Value = value, Error = error }],
            $"About {Wording.Name(interview)}."));
    }

    private async Task<(Interview? Interview, OutboundAction? Problem)> OwnAsync(Turn turn, long interviewId, CancellationToken cancellationToken)
    {
        var interview = await ports.Interviews.GetAsync(interviewId, cancellationToken);
        if (interview is null) return (null, Reply("That interview is no longer stored, so there is nothing to change. /interview list shows yours."));
        if (interview.MemberId != turn.Member.Id) return (null, Reply(ButtonRouting.NotYours));
        return (interview, null);
    }

    private static Reply Reply(string text) => new(new Message(text));
}
