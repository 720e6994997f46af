using System.Globalization;
using FollowUpBot.Core.Input;

namespace FollowUpBot.Core.Cohorts;

/// <summary>
/// When a cohort's digest goes out: on some days of the week at one local time ("monday 09:00", "mon,thu 17:30",
/// "weekdays 08:00", "daily 09:00"). Turned into a cron expression for the scheduler, which reads it in the
/// cohort's zone, so the local time holds across DST changes.
/// </summary>
public sealed record DigestSchedule(IReadOnlyList<DayOfWeek> Days, TimeOnly At)
{
    public static DigestSchedule Default { get; } = new([DayOfWeek.Monday], new TimeOnly(9, 0));

    public const string Examples = "\"monday 09:00\", \"mon,thu 17:30\", \"weekdays 08:00\" or \"daily 09:00\"";

    private static readonly DayOfWeek[] Week =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    /// <summary>Quartz's cron form: seconds minutes hours day-of-month month day-of-week.</summary>
    public string ToCron() =>
        $"0 {At.Minute} {At.Hour} ? * {string.Join(',', Days.Select(d => d.ToString()[..3].ToUpperInvariant()))}";

    public override string ToString()
    {
        var time = At.ToString("HH:mm", CultureInfo.InvariantCulture);
        if (Days.Count == 7) return $"daily {time}";
        if (Days.Count == 5 && Days.All(d => d is not (DayOfWeek.Saturday or DayOfWeek.Sunday))) return $"weekdays {time}";
        return $"{string.Join(',', Days.Select(d => d.ToString()[..3].ToLowerInvariant()))} {time}";
    }

    /// <summary>"every Monday at 09:00" for people.</summary>
    public string Describe()
    {
        var time = At.ToString("HH:mm", CultureInfo.InvariantCulture);
        if (Days.Count == 7) return $"every day at {time}";
        if (Days.Count == 5 && Days.All(d => d is not (DayOfWeek.Saturday or DayOfWeek.Sunday))) return $"every weekday at {time}";
        return $"every {string.Join(" and ", Days.Select(d => d.ToString()))} at {time}";
    }

    /// <summary>The first digest time after <paramref name="instant"/>, local time read in <paramref name="zone"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var today = TimeZoneInfo.ConvertTime(instant, zone).Date;
        for (var d = 0; d <= 8; d++)
        {
            var day = today.AddDays(d);
            if (!Days.Contains(day.DayOfWeek)) continue;
            var candidate = ZonedTime.ToInstant(day + At.ToTimeSpan(), zone);
            if (candidate > instant) return candidate;
        }
        throw new InvalidOperationException("A digest schedule names at least one day of the week.");
    }

    public static bool TryParse(string? text, out DigestSchedule schedule)
    {
        schedule = Default;
        var words = (text ?? "").Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length != 2) return false;
        if (!TimeOnly.TryParseExact(words[1], ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)) return false;

        List<DayOfWeek> days;
        if (words[0] is "daily" or "everyday") days = [.. Week];
        else if (words[0] is "weekdays") days = [.. Week[..5]];
        else
        {
            days = [];
            foreach (var name in words[0].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (name.Length < 3) return false;
                var day = Week.Where(d => d.ToString().StartsWith(name, StringComparison.OrdinalIgnoreCase)).ToList();
                if (day.Count != 1) return false;
                if (!days.Contains(day[0])) days.Add(day[0]);
            }
            if (days.Count == 0) return false;
            days.Sort((a, b) => Array.IndexOf(Week, a).CompareTo(Array.IndexOf(Week, b)));
        }
        schedule = new DigestSchedule(days, at);
        return true;
    }
}
