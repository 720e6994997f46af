using System.Globalization;

namespace FollowUpBot.Core.Input;

/// <summary>
/// When the next round takes place: a local date and time ("2026-12-15T10:00", "2026-12-15 10:00"), read in the
/// member's zone. It must lie ahead (a round already over is recorded with /interview done) and within a year.
/// </summary>
public static class NextRoundText
{
    public const string Example = "2026-12-15T10:00";

    public static bool TryParse(string? text, DateTimeOffset now, TimeZoneInfo zone, out DateTimeOffset at, out string? error)
    {
        at = default;
        error = null;
        var t = DecisionDateText.Normalize(text).ToUpperInvariant();
        string[] formats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'H:mm", "yyyy-MM-dd H:mm"];
        var example = ZonedTime.LocalNow(now, zone).Date.AddDays(7).AddHours(10).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        if (!DateTime.TryParseExact(t, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            error = $"I couldn't read \"{text?.Trim()}\" as the next round's date and time. Give both, in your time, for example {example}.";
            return false;
        }
        var instant = ZonedTime.ToInstant(local, zone);
        if (instant <= now)
        {
            error = $"The next round's time {local:yyyy-MM-dd HH:mm} has already passed (it is {ZonedTime.LocalNow(now, zone):yyyy-MM-dd HH:mm} " +
                    $"where you are). Once it is over, record it with /interview done; for a round still ahead, give its time, for example {example}.";
            return false;
        }
        if (instant - now > TimeSpan.FromDays(DecisionDateText.MaxDaysAhead))
        {
            error = $"The next round's time {local:yyyy-MM-dd HH:mm} is more than a year away. Check the year, for example {example}.";
            return false;
        }
        at = instant;
        return true;
    }
}
