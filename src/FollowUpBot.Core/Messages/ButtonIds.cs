using FollowUpBot.Core.Domain;

namespace FollowUpBot.Core.Messages;

/// <summary>
/// The custom ids of every button the engine shows. Adapters pass them through untouched;
/// the engine parses them back and checks them against the member who pressed.
/// </summary>
public static class ButtonIds
{
    public const string Done = "done";
    public const string Snooze = "snooze";
    public const string Skip = "skip";
    public const string AddNotes = "notes";
    /// <summary>Asks for the date by which the employer wants an answer to their offer.</summary>
    public const string Deadline = "deadline";
    /// <summary>Keeps a silent process open (let_it_rest).</summary>
    public const string KeepOpen = "keep";
    /// <summary>Declines an offer: recorded as withdrawn.</summary>
    public const string Declined = "declined";

    /// <summary>"nudge:42:done", "nudge:42:snooze", "nudge:42:skip", "nudge:42:notes".</summary>
    public static string ForNudge(long nudgeId, string action) => $"nudge:{nudgeId}:{action}";

    /// <summary>"nudge:42:outcome:offer", "nudge:42:outcome:next_round" (the outcome check-in's buttons).</summary>
    public static string ForOutcome(long nudgeId, Outcome outcome) => $"nudge:{nudgeId}:outcome:{outcome.Name()}";

    /// <summary>
    /// A button about an interview rather than one nudge: "interview:42:decision:next-week", "interview:42:round-date".
    /// </summary>
    public static string ForInterview(long interviewId, string action, string? value = null) =>
        value is null ? $"interview:{interviewId}:{action}" : $"interview:{interviewId}:{action}:{value}";

    /// <summary>Confirm/cancel buttons of a pending confirmation, e.g. "confirm:forget:3:yes".</summary>
    public static string ForConfirmation(string what, string argument, bool yes) =>
        $"confirm:{what}:{argument}:{(yes ? "yes" : "no")}";

    /// <summary>A choice made on a form with buttons (platforms that cannot show a select in a modal).</summary>
    public static string ForFormChoice(string formId, string field, string value) => $"form:{formId}:{field}:{value}";
}
