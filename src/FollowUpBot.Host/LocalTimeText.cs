using System.Globalization;
using FollowUpBot.Core.Input;

namespace FollowUpBot.Host;

/// <summary>Reads a date-time option: local wall-clock time in a zone, unless the text carries its own offset.</summary>
public static class LocalTimeText
{
    private static readonly string[] WithOffset =
    [
        "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd HH:mmzzz", "yyyy-MM-dd HH:mm:sszzz",
        "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'",
    ];

    private static readonly string[] Local = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"];

    public const string Example = "2026-12-04T16:30 (or 2026-12-04T16:30-05:00)";

    /// <summary>The instant, shown in <paramref name="zone"/>.</summary>
    public static bool TryParse(string? text, TimeZoneInfo zone, out DateTimeOffset value)
    {
        value = default;
        var trimmed = (text ?? "").Trim();
        if (DateTimeOffset.TryParseExact(trimmed, WithOffset, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var withOffset))
        {
            value = TimeZoneInfo.ConvertTime(withOffset, zone);
            return true;
        }
        if (DateTime.TryParseExact(trimmed, Local, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            value = TimeZoneInfo.ConvertTime(ZonedTime.ToInstant(local, zone), zone);
            return true;
        }
        return false;
    }
}
