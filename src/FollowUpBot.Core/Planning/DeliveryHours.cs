using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Playbooks;

namespace FollowUpBot.Core.Planning;

/// <summary>
/// When a step may reach the member: outside their quiet hours (unless the step ignores them) and, for
/// employer-facing steps, within business hours. Times move forward only, to the next allowed slot.
/// </summary>
internal static class DeliveryHours
{
    public static DateTimeOffset NextAllowed(PlaybookStep step, BusinessHours businessHours, DateTimeOffset proposed, PlanningContext context)
    {
        var local = ZonedClock.ToLocal(proposed, context.Zone);
        var moved = false;
        // Quiet and business hours can push each other around (odd custom quiet hours); a few rounds settle it.
        for (var round = 0; round < 16; round++)
        {
            var before = local;
            if (step.QuietHoursApply && context.QuietHours.Contains(TimeOnly.FromDateTime(local)))
                local = EndOfQuietHours(local, context.QuietHours);
            if (step.BusinessHoursApply)
                local = businessHours.NextOpen(local, context.Calendar);
            if (local == before) break;
            moved = true;
        }
        if (!moved) return ZonedClock.InZone(proposed, context.Zone);
        var instant = ZonedClock.ToInstant(local, context.Zone);
        return instant > proposed ? instant : ZonedClock.InZone(proposed, context.Zone);
    }

    private static DateTime EndOfQuietHours(DateTime local, QuietHours quiet)
    {
        var date = DateOnly.FromDateTime(local);
        var time = TimeOnly.FromDateTime(local);
        var wrapsAndStartedToday = quiet.Start > quiet.End && time >= quiet.Start;
        return (wrapsAndStartedToday ? date.AddDays(1) : date).ToDateTime(quiet.End);
    }
}
