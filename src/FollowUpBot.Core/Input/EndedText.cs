using System.Globalization;
using System.Text.RegularExpressions;

namespace FollowUpBot.Core.Input;

/// <summary>
/// When the interview ended: an ISO local date-time ("2026-12-04T16:30" or "2026-12-04 16:30"), "HH:mm" (today),
/// "yesterday HH:mm", or empty/"now" for now. Read in the member's zone; a time in the future or more than
/// <see cref="MaxDaysAgo"/> days back is refused with a message saying so.
/// </summary>
public static partial class EndedText
{
    public const string Example = "16:30, yesterday 16:30 or 2026-12-04 16:30";
    public const int MaxDaysAgo = 30;

    /// <summary>A clock a few minutes fast on the member's side is not an error.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    public static bool TryParse(string? text, DateTimeOffset now, TimeZoneInfo zone, out DateTimeOffset ended, out string? error)
    {
        ended = now;
        error = null;
        var t = DecisionDateText.Normalize(text);
        if (t is "" or "now" or "just now") return true;

        var localNow = ZonedTime.LocalNow(now, zone);
        DateTime local;
        string[] dateTimeFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'H:mm", "yyyy-MM-dd H:mm",
            "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss"];
        if (DateTime.TryParseExact(t.ToUpperInvariant(), dateTimeFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var full))
        {
            local = full;
        }
        else if (ClockTime().Match(t) is { Success: true } m &&
                 TimeOnly.TryParseExact(m.Groups["time"].Value, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            var day = DateOnly.FromDateTime(localNow);
            if (m.Groups["day"].Value == "yesterday") day = day.AddDays(-1);
            local = day.ToDateTime(time);
        }
        else
        {
            error = $"I couldn't read \"{text?.Trim()}\" as the time the interview ended. Try {Example} (your local time).";
            return false;
        }

        var instant = ZonedTime.ToInstant(local, zone);
        if (instant - now > FutureTolerance)
        {
            error = $"The end time {local:yyyy-MM-dd HH:mm} is in the future (it is {localNow:yyyy-MM-dd HH:mm} where you are). " +
                    $"Give the time it actually ended, for example {Example}.";
            return false;
        }
        if (now - instant > TimeSpan.FromDays(MaxDaysAgo))
        {
            error = $"The end time {local:yyyy-MM-dd HH:mm} is more than {MaxDaysAgo} days ago, too long ago to plan nudges for. " +
                    $"Check the date, for example {localNow.AddDays(-1):yyyy-MM-dd} 16:30.";
            return false;
        }
        ended = instant > now ? now : instant;
        return true;
    }

    [GeneratedRegex(@"^(?:(?<day>today|yesterday) (?:at )?)?(?<time>[0-9]{1,2}:[0-9]{2})$")]
    private static partial Regex ClockTime();
}
