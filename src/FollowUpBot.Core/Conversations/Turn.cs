using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Planning;
using FollowUpBot.Core.Playbooks;

namespace FollowUpBot.Core.Conversations;

/// <summary>One event being handled: who, in which zone and holiday calendar, the moment it arrived, and the playbook
/// that words what the answer lists.</summary>
internal sealed record Turn(Member Member, TimeZoneInfo Zone, DateTimeOffset Now, Playbook Playbook, HolidayCalendar? Holidays = null)
{
    public PlanningContext Planning => new(Zone, Member.QuietHours, Holidays);

    /// <summary>A time as the member reads it: "Fri 4 Dec 18:00".</summary>
    public string Local(DateTimeOffset instant) => Wording.LocalTime(instant, Zone);

    /// <summary>What a nudge will ask of the member, as the playbook's one-line summary of its step.</summary>
    public string Describe(Nudge nudge) => Describe(nudge.Kind, nudge.Interviewer, nudge.Sequence);

    public string Describe(NudgeKind kind, string? interviewer, int sequence) => Playbook.Step(kind).Summarize(interviewer, sequence);
}
