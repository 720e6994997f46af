using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using FollowUpBot.Core.Domain;

namespace FollowUpBot.Core.Messages;

/// <summary>
/// What a button the engine shows means, typed. <see cref="Format"/> gives its custom id (what the adapters carry
/// to the platform and back, at most 100 characters, routing only, never secrets); <see cref="TryParse"/> reads one
/// back and refuses anything it does not know. The two are written side by side per kind, so a new button cannot
/// be composed one way and parsed another; ids already sent to members keep their shape (see the tests).
/// </summary>
public abstract record ButtonId
{
    private protected const char Separator = ':';

    /// <summary>The custom id, e.g. "nudge:42:done".</summary>
    public abstract string Format();

    public sealed override string ToString() => Format();

    /// <summary>Reads a custom id; false for anything that is not exactly one of the shapes below.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ButtonId? id)
    {
        id = null;
        if (string.IsNullOrEmpty(text) || text.Length > 200) return false;
        var parts = text.Split(Separator);
        id = parts[0] switch
        {
            NudgeButton.Prefix => NudgeButton.Read(parts),
            InterviewButton.Prefix => InterviewButton.Read(parts),
            ConfirmButton.Prefix => ConfirmButton.Read(parts),
            FormChoiceButton.Prefix => FormChoiceButton.Read(parts),
            CohortJoinButton.Prefix => CohortJoinButton.Read(parts) ?? (ButtonId?)CohortStatusButton.Read(parts),
            _ => null,
        };
        return id is not null;
    }

    private protected static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A positive id in plain digits (no sign, no spaces, no leading '+').</summary>
    private protected static bool TryNumber(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;

    /// <summary>One segment of a custom id: non-empty and free of the separator.</summary>
    private protected static bool IsSegment(string? text) => !string.IsNullOrEmpty(text) && !text.Contains(Separator);
}

/// <summary>What a nudge's plain buttons do (its outcome buttons are <see cref="NudgeOutcomeButton"/>).</summary>
public enum NudgeAction
{
    Done,
    Snooze,
    Skip,
    /// <summary>Opens the debrief notes form.</summary>
    AddNotes,
    /// <summary>Asks for the date by which the employer wants an answer to their offer.</summary>
    SetDeadline,
    /// <summary>Keeps a silent process open (let_it_rest).</summary>
    KeepOpen,
    /// <summary>Declines an offer: recorded as withdrawn.</summary>
    Declined,
}

/// <summary>"nudge:42:done", "nudge:42:snooze", "nudge:42:skip", "nudge:42:notes", "nudge:42:deadline", "nudge:42:keep",
/// "nudge:42:declined".</summary>
public sealed record NudgeButton(long NudgeId, NudgeAction Action) : ButtonId
{
    internal const string Prefix = "nudge";

    private static readonly WireNames<NudgeAction> Names = new()
    {
        { NudgeAction.Done, "done" },
        { NudgeAction.Snooze, "snooze" },
        { NudgeAction.Skip, "skip" },
        { NudgeAction.AddNotes, "notes" },
        { NudgeAction.SetDeadline, "deadline" },
        { NudgeAction.KeepOpen, "keep" },
        { NudgeAction.Declined, "declined" },
    };

    public override string Format() => $"{Prefix}:{Number(NudgeId)}:{Names.Name(Action)}";

    internal static ButtonId? Read(string[] parts) => parts switch
    {
        [_, var id, var action] when TryNumber(id, out var nudgeId) && Names.TryParse(action, out var a) => new NudgeButton(nudgeId, a),
        [_, var id, NudgeOutcomeButton.Word, var outcome] when TryNumber(id, out var nudgeId) && NudgeOutcomeButton.TryOutcome(outcome, out var o)
            => new NudgeOutcomeButton(nudgeId, o),
        _ => null,
    };
}

/// <summary>"nudge:42:outcome:offer", "nudge:42:outcome:next_round": an outcome button on a nudge (the outcome check's).</summary>
public sealed record NudgeOutcomeButton(long NudgeId, Outcome Outcome) : ButtonId
{
    internal const string Word = "outcome";

    public override string Format() => $"{NudgeButton.Prefix}:{Number(NudgeId)}:{Word}:{Outcome.Name()}";

    /// <summary>The stored name ("next_round"), or the enum's lower-case name ("nextround") that the first outcome
    /// buttons carried: a check-in sent then still answers.</summary>
    internal static bool TryOutcome(string text, out Outcome outcome)
    {
        if (Outcomes.TryParse(text, out outcome)) return true;
        foreach (var value in Enum.GetValues<Outcome>())
        {
            if (!string.Equals(value.ToString().ToLowerInvariant(), text, StringComparison.Ordinal)) continue;
            outcome = value;
            return true;
        }
        return false;
    }
}

/// <summary>What a button about a stored interview (rather than one nudge) asks.</summary>
public enum InterviewAction
{
    /// <summary>The decision date: this-week, next-week, not-said, other.</summary>
    Decision,
    /// <summary>Direct follow-up invited: yes, no.</summary>
    Invited,
    /// <summary>References: none, add.</summary>
    References,
    /// <summary>Opens the next round's date form.</summary>
    RoundDate,
    /// <summary>Opens the offer's answer-deadline form.</summary>
    Deadline,
}

/// <summary>"interview:42:decision:next-week", "interview:42:round-date": a detail of an interview answered with a
/// button. <see cref="Value"/> is the answer, when the button carries one.</summary>
public sealed record InterviewButton(long InterviewId, InterviewAction Action, string? Value = null) : ButtonId
{
    internal const string Prefix = "interview";

    private static readonly WireNames<InterviewAction> Names = new()
    {
        { InterviewAction.Decision, "decision" },
        { InterviewAction.Invited, "invited" },
        { InterviewAction.References, "references" },
        { InterviewAction.RoundDate, "round-date" },
        { InterviewAction.Deadline, "deadline" },
    };

    public override string Format() =>
        Value is null ? $"{Prefix}:{Number(InterviewId)}:{Names.Name(Action)}" : $"{Prefix}:{Number(InterviewId)}:{Names.Name(Action)}:{Value}";

    internal static ButtonId? Read(string[] parts) => parts switch
    {
        [_, var id, var action] when TryNumber(id, out var interviewId) && Names.TryParse(action, out var a) => new InterviewButton(interviewId, a),
        [_, var id, var action, var value] when TryNumber(id, out var interviewId) && Names.TryParse(action, out var a) && IsSegment(value)
            => new InterviewButton(interviewId, a, value),
        _ => null,
    };
}

/// <summary>What a confirmation asks before it acts.</summary>
public enum ConfirmationKind
{
    /// <summary>/interview forget: the argument is the interview's id.</summary>
    Forget,
    /// <summary>The same interview typed twice: the argument is the earlier interview's id.</summary>
    SameInterview,
    /// <summary>/followup delete-my-data: the argument is the member's id.</summary>
    DeleteMyData,
}

/// <summary>"confirm:forget:3:yes", "confirm:same-interview:3:no", "confirm:delete-my-data:7:yes".</summary>
public sealed record ConfirmButton(ConfirmationKind Kind, long Id, bool Yes) : ButtonId
{
    internal const string Prefix = "confirm";

    private static readonly WireNames<ConfirmationKind> Names = new()
    {
        { ConfirmationKind.Forget, "forget" },
        { ConfirmationKind.SameInterview, "same-interview" },
        { ConfirmationKind.DeleteMyData, "delete-my-data" },
    };

    public override string Format() => $"{Prefix}:{Names.Name(Kind)}:{Number(Id)}:{(Yes ? "yes" : "no")}";

    internal static ButtonId? Read(string[] parts) => parts switch
    {
        [_, var kind, var id, "yes" or "no"] when Names.TryParse(kind, out var k) && TryNumber(id, out var value) => new ConfirmButton(k, value, parts[3] == "yes"),
        _ => null,
    };
}

/// <summary>"form:{form id}:{field}:{value}": a choice made on a form with a button (platforms that cannot show a select
/// in a modal). The form id may itself hold separators ("interview-details:42"); field and value may not.</summary>
public sealed record FormChoiceButton(string FormId, string Field, string Value) : ButtonId
{
    internal const string Prefix = "form";

    public override string Format() => $"{Prefix}:{FormId}:{Field}:{Value}";

    internal static ButtonId? Read(string[] parts) =>
        parts.Length >= 4 && parts[1..^2].All(IsSegment) && IsSegment(parts[^2]) && IsSegment(parts[^1])
            ? new FormChoiceButton(string.Join(Separator, parts[1..^2]), parts[^2], parts[^1])
            : null;
}

/// <summary>"cohort:join:CODE:status|companies|full|no": a member's answer to a cohort's invitation.</summary>
public sealed record CohortJoinButton(string Code, string Choice) : ButtonId
{
    internal const string Prefix = "cohort";
    private const string Action = "join";

    public override string Format() => $"{Prefix}:{Action}:{Code}:{Choice}";

    internal static CohortJoinButton? Read(string[] parts) => parts switch
    {
        [_, Action, var code, var choice] when IsSegment(code) && IsSegment(choice) => new CohortJoinButton(code, choice),
        _ => null,
    };
}

/// <summary>"cohort:status:12:2": a page of a cohort's status, for its coach.</summary>
public sealed record CohortStatusButton(long CohortId, int Page) : ButtonId
{
    private const string Action = "status";

    public override string Format() =>
        $"{CohortJoinButton.Prefix}:{Action}:{Number(CohortId)}:{Page.ToString(CultureInfo.InvariantCulture)}";

    internal static CohortStatusButton? Read(string[] parts) => parts switch
    {
        [_, Action, var id, var page] when TryNumber(id, out var cohortId) &&
                                           int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0
            => new CohortStatusButton(cohortId, p),
        _ => null,
    };
}

/// <summary>An enum's names on the wire, both ways: each value's name and the value a name reads back as (exactly,
/// case-sensitive). One table per enum, so a name cannot be written one way and read another.</summary>
internal sealed class WireNames<T> : IEnumerable<KeyValuePair<T, string>> where T : struct, Enum
{
    private readonly Dictionary<T, string> _names = [];
    private readonly Dictionary<string, T> _values = new(StringComparer.Ordinal);

    public void Add(T value, string name)
    {
        _names.Add(value, name);
        _values.Add(name, value);
    }

    public string Name(T value) => _names[value];

    public bool TryParse(string? name, out T value) => _values.TryGetValue(name ?? "", out value);

    public IEnumerator<KeyValuePair<T, string>> GetEnumerator() => _names.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
