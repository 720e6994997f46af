using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Planning;

namespace FollowUpBot.Core.Conversations;

/// <summary>One event being handled: who, in which zone and holiday calendar, and the moment it arrived.</summary>
internal sealed record Turn(Member Member, TimeZoneInfo Zone, DateTimeOffset Now, HolidayCalendar? Holidays = null)
{
    public PlanningContext Planning => new(Zone, Member.QuietHours, Holidays);

    /// <summary>A time as the member reads it: "Fri 4 Dec 18:00".</summary>
    public string Local(DateTimeOffset instant) => Wording.LocalTime(instant, Zone);
}
