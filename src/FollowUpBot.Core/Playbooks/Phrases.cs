using FollowUpBot.Core.Domain;

namespace FollowUpBot.Core.Playbooks;

/// <summary>
/// What is true at the moment a nudge reaches the member, in their local time. Phrases use these to fit the
/// wording to the moment ("tonight" only in the evening, "Monday" when tomorrow is a day off).
/// </summary>
public enum Moment
{
    /// <summary>Before the playbook's <see cref="DayParts.Afternoon"/>.</summary>
    Morning,
    /// <summary>From <see cref="DayParts.Afternoon"/> until <see cref="DayParts.Evening"/>.</summary>
    Afternoon,
    /// <summary>From <see cref="DayParts.Evening"/> on.</summary>
    Evening,
    /// <summary>The next day is no business day (a weekend, a public holiday): mail sent now is read later.</summary>
    NextDayOff,
    /// <summary>On the day the interview ended.</summary>
    InterviewDay,
    /// <summary>On the day after the interview.</summary>
    DayAfterInterview,
    /// <summary>Two or more days after the interview.</summary>
    DaysAfterInterview,
    /// <summary>The first (or only) nudge of a repeated step.</summary>
    FirstInSeries,
    /// <summary>The second or a later nudge of a repeated step (weekly check-ins 2-5).</summary>
    LaterInSeries,
    /// <summary>A thank-you nudge of this interview reached the member (or still will).</summary>
    ThanksPrompted,
    /// <summary>No thank-you nudge of this interview reached the member or will (all too late or closed unsent).</summary>
    ThanksNotPrompted,
}

/// <summary>Where the day parts begin, local time: morning until <see cref="Afternoon"/>, evening from <see cref="Evening"/>.</summary>
public sealed record DayParts(TimeOnly Afternoon, TimeOnly Evening)
{
    public static DayParts Default { get; } = new(new TimeOnly(12, 0), new TimeOnly(17, 0));
}

/// <summary>
/// One wording of a step's phrase: used when every fact in <see cref="When"/> holds for the interview and every
/// moment in <see cref="At"/> holds at delivery. A step's phrase is the first of its choices that fits; when none
/// does, the line using it is left out.
/// </summary>
public sealed record PhraseChoice(IReadOnlyList<PlanCondition> When, IReadOnlyList<Moment> At, string Text);

public static class Moments
{
    public static IReadOnlyDictionary<string, Moment> Names { get; } = new Dictionary<string, Moment>(StringComparer.Ordinal)
    {
        ["morning"] = Moment.Morning,
        ["afternoon"] = Moment.Afternoon,
        ["evening"] = Moment.Evening,
        ["next_day_off"] = Moment.NextDayOff,
        ["interview_day"] = Moment.InterviewDay,
        ["day_after_interview"] = Moment.DayAfterInterview,
        ["days_after_interview"] = Moment.DaysAfterInterview,
        ["first_in_series"] = Moment.FirstInSeries,
        ["later_in_series"] = Moment.LaterInSeries,
        ["thanks_prompted"] = Moment.ThanksPrompted,
        ["thanks_not_prompted"] = Moment.ThanksNotPrompted,
    };

    /// <summary>True when a phrase of <paramref name="step"/> depends on whether its interview's thanks were prompted,
    /// so the deliverer must look at the interview's other nudges.</summary>
    public static bool NeedsThanksHistory(PlaybookStep step) =>
        step.Phrases.Values.SelectMany(c => c).SelectMany(c => c.At).Any(m => m is Moment.ThanksPrompted or Moment.ThanksNotPrompted);
}
