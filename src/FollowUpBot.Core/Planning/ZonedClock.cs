namespace FollowUpBot.Core.Planning;

/// <summary>
/// Local wall-clock time in one zone. Planning happens in local time; turning it back into an instant
/// follows one rule: a local time inside a DST gap moves forward to the end of the gap (the first instant
/// the clock shows a later time), and an ambiguous local time takes its earlier instant.
/// </summary>
internal static class ZonedClock
{
    public static DateTime ToLocal(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).DateTime;

    public static DateTimeOffset InZone(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone);

    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Transitions fall on whole minutes: the first valid minute is where the gap ends.
            var probe = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, DateTimeKind.Unspecified);
            for (var i = 0; i < 48 * 60 && zone.IsInvalidTime(probe); i++) probe = probe.AddMinutes(1);
            local = probe;
        }
        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            return new DateTimeOffset(local, offsets.Max());
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
