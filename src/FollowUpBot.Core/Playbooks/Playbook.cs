using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Planning;

namespace FollowUpBot.Core.Playbooks;

/// <summary>
/// docs/advice.md as data: one step per nudge kind, loaded from bot-config/playbook.json and validated at load.
/// </summary>
public sealed record Playbook(string Version, IReadOnlyList<PlaybookStep> Steps)
{
    /// <summary>When employer-facing steps may fall (Mon-Fri 09:00-17:00 in the shipped playbook).</summary>
    public BusinessHours BusinessHours { get; init; } = BusinessHours.Default;

    /// <summary>Quiet hours for members who did not choose their own.</summary>
    public QuietHours DefaultQuietHours { get; init; } = QuietHours.Default;

    /// <summary>How far the Snooze button pushes a nudge (before quiet and business hours apply).</summary>
    public TimeSpan SnoozeFor { get; init; } = TimeSpan.FromDays(1);

    /// <summary>No two nudges of different kinds reach a member closer than this, across all their interviews
    /// (the thank-yous of one interview may arrive together).</summary>
    public TimeSpan Spacing { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Where morning, afternoon and evening begin, for wording that fits the moment.</summary>
    public DayParts DayParts { get; init; } = DayParts.Default;

    /// <summary>The longest quote of the member's debrief notes a message may carry.</summary>
    public int NotesExcerptMaxLength { get; init; } = 280;

    /// <summary>The wording of the questions the engine asks after an interview (R8: the decision date).</summary>
    public IReadOnlyList<PlaybookQuestion> Questions { get; init; } = [];

    /// <summary>How long after "no reply yet" is recorded the bot asks whether to close the process (let_it_rest).</summary>
    public PlaybookDuration CloseAfterNoReply { get; init; } = new(21, TimeSpan.Zero);

    /// <summary>Advice that goes with the answer when the member records an outcome (withdrawing politely, ...).</summary>
    public IReadOnlyDictionary<Outcome, PlaybookNote> OutcomeNotes { get; init; } = new Dictionary<Outcome, PlaybookNote>();

    public PlaybookStep Step(NudgeKind kind) =>
        Steps.FirstOrDefault(s => s.Kind == kind)
        ?? throw new InvalidOperationException($"The playbook has no step for '{kind.Name()}'.");

    /// <summary>A question by id, e.g. <see cref="PlaybookQuestion.DecisionDate"/>.</summary>
    public PlaybookQuestion Question(string id) =>
        Questions.FirstOrDefault(q => q.Id == id)
        ?? throw new InvalidOperationException($"The playbook has no question '{id}'.");

    /// <summary>Parses and validates playbook JSON; throws <see cref="PlaybookException"/> naming the problem.</summary>
    public static Playbook Parse(string json) => PlaybookReader.Read(json);
}

/// <summary>
/// One rule of the playbook. Scheduling details (anchor, delay, time of day, conditions, repeats) are
/// added by the planner's design; the members below are the ones other layers rely on.
/// </summary>
public sealed record PlaybookStep(
    NudgeKind Kind,
    string Rule,
    IReadOnlyList<string> Sources,
    TimeSpan MaxLateness,
    bool QuietHoursApply,
    string Text,
    string LateText)
{
    /// <summary>One nudge per interview, or one per interviewer (thank-yous).</summary>
    public StepScope OnePer { get; init; } = StepScope.Interview;

    /// <summary>Employer-facing: only on business days within business hours.</summary>
    public bool BusinessHoursApply { get; init; }

    /// <summary>All must hold for the step to be planned at all.</summary>
    public IReadOnlyList<PlanCondition> When { get; init; } = [];

    /// <summary>Alternatives; the first whose conditions hold and whose anchor is known decides the due time.</summary>
    public IReadOnlyList<StepTiming> Timing { get; init; } = [];

    /// <summary>Lower bounds: the due time is at least the latest of these.</summary>
    public IReadOnlyList<TimeBound> NotBefore { get; init; } = [];

    /// <summary>Upper bounds: a nudge that would fall at or after one of these is not planned (a hold-off on the
    /// decision date would say something untrue).</summary>
    public IReadOnlyList<TimeBound> OnlyBefore { get; init; } = [];

    /// <summary>Named phrases the step's text uses as {name}, worded for the moment of delivery.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PhraseChoice>> Phrases { get; init; } =
        new Dictionary<string, IReadOnlyList<PhraseChoice>>();

    /// <summary>For follow-ups: before the latest of these, following up is too soon (R3).</summary>
    public IReadOnlyList<TimeBound> WindowOpens { get; init; } = [];

    public StepRepeat? Repeat { get; init; }

    /// <summary>
    /// Still delivered once the round has an outcome that ends it (offer, rejected, ...): the steps about the outcome
    /// itself. Others are cancelled as moot then.
    /// </summary>
    public bool SurvivesOutcome { get; init; }

    /// <summary>
    /// Outcomes that keep the process open (still deciding, next round, no reply yet) but stop this step: the chasing
    /// (follow-ups, the check-in) ends with any of them, the hold-off unless they are still deciding.
    /// </summary>
    public IReadOnlyList<Outcome> CancelledBy { get; init; } = [];

    /// <summary>The buttons under the nudge, in order (Done, Snooze, Skip when the playbook names none).</summary>
    public IReadOnlyList<StepButton> Buttons { get; init; } = [StepButton.Done, StepButton.Snooze, StepButton.Skip];

    /// <summary>What the nudge asks of the member as a short phrase, for lists ("/interview list", "Next: ...", what
    /// moved): "thank {interviewer}". <see cref="LaterSummary"/>, when given, words the second and later nudges of a
    /// repeated series ("follow up (weekly, {sequence} of {sequence_total})").</summary>
    public string Summary { get; init; } = "";

    public string? LaterSummary { get; init; }

    /// <summary>The summary of one nudge of this step: <paramref name="interviewer"/> for steps per interviewer,
    /// <paramref name="sequence"/> (1-based) in a repeated series.</summary>
    public string Summarize(string? interviewer, int sequence = 0)
    {
        var template = sequence > 1 && LaterSummary is { } later ? later : Summary;
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [MessageTemplate.Interviewer] = interviewer ?? "your interviewer",
            [MessageTemplate.Sequence] = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [MessageTemplate.SequenceTotal] = (Repeat?.Total ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return MessageTemplate.Render(template, values);
    }
}

public enum StepScope { Interview, Interviewer }

/// <summary>The buttons a step may put under its nudge; the engine knows what each does.</summary>
public enum StepButton
{
    AddNotes, Done, Snooze, Skip,
    /// <summary>Outcome buttons: each records that outcome.</summary>
    Offer, NextRound, Rejected, Withdrawn, Waiting, NoReply, Accepted,
    /// <summary>Declining an offer: recorded as withdrawn.</summary>
    Declined,
    /// <summary>Asks for the date by which the employer wants an answer to their offer.</summary>
    SetDeadline,
    /// <summary>Closes a process that never replied (closed_no_reply).</summary>
    CloseProcess,
    /// <summary>Keeps a silent process open; the nudge counts as done.</summary>
    KeepOpen,
}

/// <summary>A piece of advice that goes with an answer, not with a nudge (e.g. when an outcome is recorded).</summary>
public sealed record PlaybookNote(string Rule, IReadOnlyList<string> Sources, string Text);

/// <summary>What a timing counts from.</summary>
public enum PlanAnchor
{
    /// <summary>T0, when the interview ended.</summary>
    InterviewEnd,
    /// <summary>The thank-you: its planned due time, or when the member marked it sent.</summary>
    ThankYou,
    /// <summary>00:00 local on the decision date the employer named.</summary>
    DecisionDate,
    /// <summary>The first follow-up's due time.</summary>
    FirstFollowUp,
    /// <summary>When the member recorded an outcome.</summary>
    OutcomeRecorded,
    /// <summary>When the next round takes place (given with the next-round outcome).</summary>
    NextRound,
    /// <summary>00:00 local on the day the employer wants an answer to their offer.</summary>
    OfferDeadline,
    /// <summary>The playbook's closeAfterNoReply after "no reply yet" was recorded.</summary>
    CloseAfterNoReply,
}

public static class PlanAnchors
{
    /// <summary>Anchors known only once an outcome is recorded: timings on them list the outcomes they answer.</summary>
    public static bool CountsFromOutcome(this PlanAnchor anchor) =>
        anchor is PlanAnchor.OutcomeRecorded or PlanAnchor.NextRound or PlanAnchor.OfferDeadline or PlanAnchor.CloseAfterNoReply;
}

/// <summary>Facts about an interview a step can depend on.</summary>
public enum PlanCondition
{
    FormatPhone,
    FormatVideo,
    FormatOnsite,
    ReferencesNamed,
    NoReferences,
    DecisionDateGiven,
    NoDecisionDate,
    FollowUpInvited,
    FollowUpNotInvited,
}

/// <summary>
/// A delay in local wall-clock terms: <see cref="Days"/> are calendar days (the local time of day is kept
/// across DST changes), <see cref="Time"/> is elapsed time added after that.
/// </summary>
public readonly record struct PlaybookDuration(int Days, TimeSpan Time)
{
    public static PlaybookDuration Zero => default;

    /// <summary>Counts back from its anchor ("-P1D": the day before the next round).</summary>
    public bool IsNegative => Days < 0 || Time < TimeSpan.Zero;

    public TimeSpan ToTimeSpan() => TimeSpan.FromDays(Days) + Time;

    public override string ToString() => Iso8601Duration.Format(this);
}

/// <summary>
/// When a step falls, counted from <see cref="Anchor"/>: either <see cref="Delay"/> or <see cref="BusinessDays"/>
/// later, at local time <see cref="At"/> when given. Outcome-anchored timings name the outcomes they answer.
/// </summary>
public sealed record StepTiming(
    PlanAnchor Anchor,
    IReadOnlyList<PlanCondition> When,
    PlaybookDuration Delay,
    int? BusinessDays,
    TimeOnly? At,
    IReadOnlyList<Outcome> Outcomes);

/// <summary>A bound counted from an anchor: <see cref="Delay"/> later, at local time <see cref="At"/> when given.</summary>
public sealed record TimeBound(PlanAnchor Anchor, PlaybookDuration Delay, TimeOnly? At = null);

/// <summary>Repeats of a step (weekly follow-ups when invited): <see cref="Total"/> in all, one every <see cref="Every"/>.</summary>
public sealed record StepRepeat(IReadOnlyList<PlanCondition> When, PlaybookDuration Every, int Total);

/// <summary>
/// Business days and hours, in the member's local time. Employer-facing steps fall from <see cref="Start"/> to
/// <see cref="ClosingMargin"/> before <see cref="End"/> (16:00 with 09:00-17:00 and an hour's margin), on business
/// days: the listed <see cref="Days"/> that are not public holidays in the member's calendar.
/// </summary>
public sealed record BusinessHours(IReadOnlySet<DayOfWeek> Days, TimeOnly Start, TimeOnly End)
{
    public static BusinessHours Default { get; } = new(
        new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday },
        new TimeOnly(9, 0), new TimeOnly(17, 0));

    /// <summary>How long before <see cref="End"/> the last employer-facing step may fall: a note just before closing
    /// is read tomorrow, after the day's mail.</summary>
    public TimeSpan ClosingMargin { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The latest local time an employer-facing step may fall on a business day.</summary>
    public TimeOnly Latest => End.Add(-ClosingMargin);

    public bool IsBusinessDay(DateOnly date, HolidayCalendar? holidays = null) =>
        Days.Contains(date.DayOfWeek) && holidays?.IsHoliday(date) != true;

    public bool IsOpen(DateTime local, HolidayCalendar? holidays = null) =>
        IsBusinessDay(DateOnly.FromDateTime(local), holidays) && TimeOnly.FromDateTime(local) is var t && t >= Start && t <= Latest;

    /// <summary>The earliest local time at or after <paramref name="local"/> within business hours.</summary>
    public DateTime NextOpen(DateTime local, HolidayCalendar? holidays = null)
    {
        if (IsOpen(local, holidays)) return local;
        var date = DateOnly.FromDateTime(local);
        if (IsBusinessDay(date, holidays) && TimeOnly.FromDateTime(local) < Start) return date.ToDateTime(Start);
        // A year of holidays cannot close every business day (a calendar that did would be a bug worth hearing of).
        for (var i = 0; i < 366; i++)
        {
            date = date.AddDays(1);
            if (IsBusinessDay(date, holidays)) return date.ToDateTime(Start);
        }
        throw new InvalidOperationException("Business hours name no business day.");
    }

    /// <summary><paramref name="count"/> business days after <paramref name="date"/>.</summary>
    public DateOnly AddBusinessDays(DateOnly date, int count, HolidayCalendar? holidays = null)
    {
        for (var added = 0; added < count;)
        {
            date = date.AddDays(1);
            if (IsBusinessDay(date, holidays)) added++;
        }
        return date;
    }

    /// <summary>The first business day after <paramref name="date"/>.</summary>
    public DateOnly NextBusinessDay(DateOnly date, HolidayCalendar? holidays = null) => AddBusinessDays(date, 1, holidays);
}

/// <summary>A question the engine asks, worded by the playbook (R8 asks for the decision date).</summary>
public sealed record PlaybookQuestion(string Id, string Rule, IReadOnlyList<string> Sources, string Text, string? Hint)
{
    public const string DecisionDate = "decision-date";
    public const string FollowUpInvited = "follow-up-invited";
    public const string References = "references";
}

public sealed class PlaybookException(string message) : Exception(message);
