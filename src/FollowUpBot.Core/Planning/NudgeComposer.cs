using System.Globalization;
using System.Text;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Playbooks;

namespace FollowUpBot.Core.Planning;

/// <summary>
/// When a message is read: the moment of delivery in the member's frame, and whether the interview's thank-yous
/// were prompted (a card suggested "on top of your emailed thanks" needs them to have been).
/// </summary>
public sealed record DeliveryMoment(DateTimeOffset At, PlanningContext Context, bool ThanksPrompted = true)
{
    /// <summary>A thank-you nudge of the interview reached the member, or still will.</summary>
    public static bool AnyThanksPrompted(IEnumerable<Nudge> nudges) => nudges.Any(n =>
        n.Kind == NudgeKind.ThankYou && (n.Deliveries > 0 || n.IsScheduled || n.State is NudgeState.Sending or NudgeState.Sent));
}

/// <summary>
/// What a message may draw on beyond its own interview: the member's zone (for times), the rounds of its process (for
/// their debrief notes) and the companies of the member's other open processes.
/// </summary>
public sealed record NudgeContext(TimeZoneInfo Zone, IReadOnlyList<Interview> ProcessRounds, IReadOnlyList<string> OtherOpenCompanies)
{
    public static NudgeContext Of(TimeZoneInfo zone, Interview interview, IReadOnlyList<Interview> memberInterviews)
    {
        var processes = InterviewProcess.Of(memberInterviews.Where(i => i.Id != interview.Id).Append(interview));
        var own = processes.Single(p => p.Rounds.Any(r => r.Id == interview.Id));
        var others = processes.Where(p => p != own && p.IsOpen).Select(p => p.Company)
            .Where(c => !string.Equals(c, interview.Company, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new NudgeContext(zone, own.Rounds.Where(r => r.Round <= interview.Round).ToList(), others);
    }
}

/// <summary>
/// Writes a nudge's message from the playbook's wording, with its buttons (see <see cref="ButtonId"/>). Phrases of
/// a step are chosen for the moment the message arrives (<see cref="DeliveryMoment"/>): "tonight" only in the evening.
/// </summary>
public sealed class NudgeComposer(Playbook playbook)
{
    public const string DoneLabel = "Done";
    public const string SkipLabel = "Skip";
    public const string AddNotesLabel = "Add notes";

    /// <summary>The label of the Snooze button, e.g. "Snooze 1 day".</summary>
    public string SnoozeLabel => "Snooze " + Describe(playbook.SnoozeFor);

    /// <summary>
    /// The DM for a stored nudge read at <paramref name="moment"/>: phrases are worded for it. <paramref name="late"/>
    /// switches to the step's late wording. Without a <paramref name="context"/>, lines about the member's other
    /// processes, their whole process's notes or a time of day are left out (see <see cref="NeedsContext"/>).
    /// </summary>
    public Message Compose(Nudge nudge, Interview interview, bool late, DeliveryMoment moment, NudgeContext? context = null)
    {
        var step = playbook.Step(nudge.Kind);
        var facts = InterviewFacts.From(interview);
        var values = Values(step, facts, interview.Company, interview.Role, nudge.Interviewer, nudge.Sequence);
        AddProcessValues(values, interview, context);
        AddMomentValues(values, step, facts, nudge.Sequence, moment);
        var text = Render(late ? step.LateText : step.Text, values, interview.Notes);
        return new Message(text, Buttons(nudge, step));
    }

    private static readonly string[] ContextPlaceholders =
        [MessageTemplate.OtherCompanies, MessageTemplate.ProcessNotes, MessageTemplate.NextRoundAt];

    /// <summary>Whether this kind's wording draws on a <see cref="NudgeContext"/> (worth reading the member's other interviews).</summary>
    public bool NeedsContext(NudgeKind kind)
    {
        var step = playbook.Step(kind);
        return ContextPlaceholders.Any(p => step.Text.Contains('{' + p + '}') || step.LateText.Contains('{' + p + '}'));
    }

    private void AddProcessValues(Dictionary<string, string?> values, Interview interview, NudgeContext? context)
    {
        values[MessageTemplate.NextRound] = (interview.Round + 1).ToString(CultureInfo.InvariantCulture);
        values[MessageTemplate.OfferDeadline] = interview.OfferDeadline?.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);
        values[MessageTemplate.NextRoundAt] = interview.NextRoundAt is { } at && context is not null
            ? TimeZoneInfo.ConvertTime(at, context.Zone).ToString("dddd d MMMM 'at' HH:mm", CultureInfo.InvariantCulture)
            : null;
        values[MessageTemplate.OtherCompanies] = context is null ? null : Companies(context.OtherOpenCompanies);
        var notes = (context?.ProcessRounds ?? []).Where(r => Clean(r.Notes) is not null).ToList();
        values[MessageTemplate.ProcessNotes] = notes.Count switch
        {
            0 => null,
            1 => Shorten(Clean(notes[0].Notes)!, playbook.NotesExcerptMaxLength),
            _ => Shorten(string.Join(" / ", notes.Select(r => $"round {r.Round}: {Clean(r.Notes)}")), playbook.NotesExcerptMaxLength),
        };
    }

    /// <summary>The text alone, for a planned (not yet stored) nudge read when due, as the plan command prints it.</summary>
    public string Describe(PlannedNudge planned, InterviewFacts facts, PlanningContext context, string? company = null, string? role = null)
    {
        var step = playbook.Step(planned.Kind);
        var values = Values(step, facts, company, role, planned.Interviewer, planned.Sequence);
        AddMomentValues(values, step, facts, planned.Sequence, new DeliveryMoment(planned.DueAt, context));
        return Render(step.Text, values, notes: null);
    }

    /// <summary>The label of the outcome button meaning "they replied and are still deciding" (not silence: that is No reply yet).</summary>
    public const string StillDecidingLabel = "Replied: still deciding";

    /// <summary>The step's buttons (the playbook says which), each labelled within every platform's limit (75 characters).</summary>
    private IReadOnlyList<Button> Buttons(Nudge nudge, PlaybookStep step) => step.Buttons.Select(b => b switch
    {
        StepButton.AddNotes => new Button(new NudgeButton(nudge.Id, NudgeAction.AddNotes), AddNotesLabel, ButtonStyle.Primary),
        StepButton.Done => new Button(new NudgeButton(nudge.Id, NudgeAction.Done), DoneLabel, ButtonStyle.Success),
        StepButton.Snooze => new Button(new NudgeButton(nudge.Id, NudgeAction.Snooze), SnoozeLabel),
        StepButton.Skip => new Button(new NudgeButton(nudge.Id, NudgeAction.Skip), SkipLabel),
        StepButton.Offer => new Button(new NudgeOutcomeButton(nudge.Id, Outcome.Offer), "Offer", ButtonStyle.Success),
        StepButton.NextRound => new Button(new NudgeOutcomeButton(nudge.Id, Outcome.NextRound), "Next round", ButtonStyle.Success),
        StepButton.Rejected => new Button(new NudgeOutcomeButton(nudge.Id, Outcome.Rejected), "Rejected"),
        StepButton.Withdrawn => new Button(new NudgeOutcomeButton(nudge.Id, Outcome.Withdrawn), "Withdrawn"),
        StepButton.Waiting => new Button(new NudgeOutcomeButton(nudge.Id, Outcome.Waiting), StillDecidingLabel, ButtonStyle.Primary),
        StepButton.NoReply => new Button(new NudgeOutcomeButton(nudge.Id, Outcome.NoReply), "No reply yet"),
        StepButton.Accepted => new Button(new NudgeOutcomeButton(nudge.Id, Outcome.Accepted), "I accepted", ButtonStyle.Success),
        StepButton.Declined => new Button(new NudgeButton(nudge.Id, NudgeAction.Declined), "I declined"),
        StepButton.SetDeadline => new Button(new NudgeButton(nudge.Id, NudgeAction.SetDeadline), "Answer deadline…", ButtonStyle.Primary),
        StepButton.CloseProcess => new Button(new NudgeOutcomeButton(nudge.Id, Outcome.ClosedNoReply), "Close it"),
        _ => new Button(new NudgeButton(nudge.Id, NudgeAction.KeepOpen), "Keep it open"),
    }).ToList();

    /// <summary>The moment's own values (the next business day) and the step's phrases, worded for it from the values so far.</summary>
    private void AddMomentValues(Dictionary<string, string?> values, PlaybookStep step, InterviewFacts facts, int sequence, DeliveryMoment moment)
    {
        var local = TimeZoneInfo.ConvertTime(moment.At, moment.Context.Zone).DateTime;
        var day = DateOnly.FromDateTime(local);
        values[MessageTemplate.NextBusinessDay] = playbook.BusinessHours.NextBusinessDay(day, moment.Context.Calendar)
            .DayOfWeek.ToString();
        var moments = MomentsAt(local, facts, sequence, moment);
        // A phrase is worded by its first fitting choice, itself a template of the values above.
        foreach (var (name, choices) in step.Phrases)
        {
            var choice = choices.FirstOrDefault(c => facts.HoldsAll(c.When) && c.At.All(moments.Contains));
            var text = choice is null ? null : MessageTemplate.Render(choice.Text, values);
            // A choice whose own placeholder has no value says nothing, and so does the line using it; "" is a deliberate nothing.
            values[name] = text is "" && choice!.Text.Length > 0 ? null : text;
        }
    }

    private HashSet<Moment> MomentsAt(DateTime local, InterviewFacts facts, int sequence, DeliveryMoment moment)
    {
        var time = TimeOnly.FromDateTime(local);
        var day = DateOnly.FromDateTime(local);
        var interviewDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(facts.EndedAt, moment.Context.Zone).DateTime);
        var moments = new HashSet<Moment>
        {
            time < playbook.DayParts.Afternoon ? Moment.Morning : time < playbook.DayParts.Evening ? Moment.Afternoon : Moment.Evening,
            (day.DayNumber - interviewDay.DayNumber) switch { <= 0 => Moment.InterviewDay, 1 => Moment.DayAfterInterview, _ => Moment.DaysAfterInterview },
            sequence >= 2 ? Moment.LaterInSeries : Moment.FirstInSeries,
            moment.ThanksPrompted ? Moment.ThanksPrompted : Moment.ThanksNotPrompted,
        };
        if (!playbook.BusinessHours.IsBusinessDay(day.AddDays(1), moment.Context.Calendar)) moments.Add(Moment.NextDayOff);
        return moments;
    }

    private static Dictionary<string, string?> Values(
        PlaybookStep step, InterviewFacts facts, string? company, string? role, string? interviewer, int sequence) => new()
    {
        [MessageTemplate.Company] = Clean(company) ?? "the company",
        [MessageTemplate.Role] = Clean(role) ?? "the role",
        [MessageTemplate.TheRole] = Clean(role) is { } named ? $"the {named} role" : "the role",
        [MessageTemplate.Interviewer] = Clean(interviewer),
        [MessageTemplate.Interviewers] = JoinNames(facts.Interviewers),
        [MessageTemplate.References] = JoinNames(facts.References),
        [MessageTemplate.DecisionDate] = facts.DecisionDate?.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture),
        [MessageTemplate.Sequence] = sequence > 0 && RepeatTotal(step, facts) > 1 ? sequence.ToString(CultureInfo.InvariantCulture) : null,
        [MessageTemplate.SequenceTotal] = RepeatTotal(step, facts) is > 1 and var total ? total.ToString(CultureInfo.InvariantCulture) : null,
    };

    private static int RepeatTotal(PlaybookStep step, InterviewFacts facts) =>
        step.Repeat is { } repeat && facts.HoldsAll(repeat.When) ? repeat.Total : 1;

    /// <summary>Fills the template; quoted notes shrink (then go) so the message always fits its platform.</summary>
    private string Render(string template, Dictionary<string, string?> values, string? notes)
    {
        var excerpt = Clean(notes);
        var room = playbook.NotesExcerptMaxLength;
        while (true)
        {
            values[MessageTemplate.NotesExcerpt] = excerpt is null ? null : Shorten(excerpt, room);
            var text = MessageTemplate.Render(template, values);
            if (text.Length <= Message.MaxTextLength) return text;
            if (values[MessageTemplate.NotesExcerpt] is null) return Shorten(text, Message.MaxTextLength);
            room -= text.Length - Message.MaxTextLength;
            if (room < 20) excerpt = null;
        }
    }

    /// <summary>Cuts at a word boundary and marks the cut with an ellipsis; the result never exceeds <paramref name="max"/>.</summary>
    internal static string Shorten(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = text[..Math.Max(0, max - 1)];
        var space = cut.LastIndexOf(' ');
        if (space > max / 2) cut = cut[..space];
        return cut.TrimEnd(' ', ',', ';', '.', ':') + "…";
    }

    /// <summary>One line, single spaces: notes and names are quoted inside a line of the template.</summary>
    private static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var clean = new StringBuilder(text.Length);
        foreach (var part in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (clean.Length > 0) clean.Append(' ');
            clean.Append(part);
        }
        return clean.ToString();
    }

    /// <summary>At most <see cref="MaxCompanies"/> named; the rest counted, so the line fits however many there are.</summary>
    private static string? Companies(IReadOnlyList<string> companies) =>
        companies.Count <= MaxCompanies
            ? JoinNames(companies)
            : string.Join(", ", companies.Take(MaxCompanies).Select(c => Clean(c))) + $" and {companies.Count - MaxCompanies} more";

    public const int MaxCompanies = 5;

    private static string? JoinNames(IReadOnlyList<string> names)
    {
        var clean = names.Select(Clean).OfType<string>().ToList();
        return clean.Count switch
        {
            0 => null,
            1 => clean[0],
            _ => string.Join(", ", clean.Take(clean.Count - 1)) + " and " + clean[^1],
        };
    }

    private static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays % 1 == 0 ? Plural((int)span.TotalDays, "day")
        : span.TotalHours >= 1 && span.TotalHours % 1 == 0 ? Plural((int)span.TotalHours, "hour")
        : Plural((int)Math.Ceiling(span.TotalMinutes), "minute");

    private static string Plural(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";
}
