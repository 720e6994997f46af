namespace FollowUpBot.Core.Input;

/// <summary>Local wall-clock time in a member's zone, turned into instants the DST-safe way.</summary>
public static class ZonedTime
{
    /// <summary>The member's local date and time now.</summary>
    public static DateTime LocalNow(DateTimeOffset now, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(now, zone).DateTime;

    public static DateOnly Today(DateTimeOffset now, TimeZoneInfo zone) => DateOnly.FromDateTime(LocalNow(now, zone));

    /// <summary>
    /// The instant of a local wall-clock time. A time that does not exist (skipped by a DST change) moves
    /// forward by the gap; a time that happens twice takes the earlier instant.
    /// </summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(local))
        {
            var offset = zone.GetAmbiguousTimeOffsets(local).Max();
            return new DateTimeOffset(local, offset);
        }
        if (zone.IsInvalidTime(local))
        {
            // Read it with the offset in force before the gap, then show it in the zone: 02:30 becomes 03:30.
            var before = Min(zone.GetUtcOffset(local.AddDays(-1)), zone.GetUtcOffset(local.AddDays(1)));
            var instant = new DateTimeOffset(local, before);
            return TimeZoneInfo.ConvertTime(instant, zone);
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Resolves an IANA zone id; false for anything else (or empty).</summary>
    public static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id)) return false;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var found)) return false;
        zone = found;
        return true;
    }
}
