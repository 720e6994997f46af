using System.Globalization;
using System.Text.RegularExpressions;

namespace FollowUpBot.Core.Input;

/// <summary>
/// What the employer said about when they will decide: an ISO date, a weekday (the next one, never today),
/// "tomorrow", "next week", "in 2 weeks", "in 3 days", or "not said" (also empty). Read in the member's zone.
/// </summary>
public static partial class DecisionDateText
{
    public const string NotSaid = "not said";
    public const string Example = "2026-12-08, friday, tomorrow, next week, in 2 weeks or not said";

    /// <summary>How far ahead a decision date may lie; further is almost certainly a typo.</summary>
    public const int MaxDaysAhead = 366;

    /// <summary><paramref name="date"/> is null for "not said".</summary>
    public static bool TryParse(string? text, DateOnly today, out DateOnly? date, out string? error)
    {
        date = null;
        error = null;
        var t = Normalize(text);
        if (t is "" or NotSaid or "not-said" or "none" or "no" or "unknown" or "-") return true;

        if (DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso))
            date = iso;
        else if (t == "today") date = today;
        else if (t == "tomorrow") date = today.AddDays(1);
        else if (t == "next week") date = today.AddDays(7);
        else if (InCount().Match(t) is { Success: true } m)
        {
            var n = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            date = m.Groups["unit"].Value.StartsWith("week", StringComparison.Ordinal) ? today.AddDays(7 * n) : today.AddDays(n);
        }
        else if (TryWeekday(t, out var weekday))
        {
            var ahead = ((int)weekday - (int)today.DayOfWeek + 7) % 7;
            date = today.AddDays(ahead == 0 ? 7 : ahead);
        }
        else
        {
            error = $"I couldn't read \"{text?.Trim()}\" as a decision date. Try {Example}.";
            return false;
        }

        if (date.Value.DayNumber - today.DayNumber > MaxDaysAhead)
        {
            error = $"The decision date {date.Value:yyyy-MM-dd} is more than a year away. Check the year, for example {today.AddDays(14):yyyy-MM-dd}.";
            date = null;
            return false;
        }
        return true;
    }

    internal static string Normalize(string? text) =>
        string.Join(' ', (text ?? "").Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static bool TryWeekday(string text, out DayOfWeek day)
    {
        var word = text.StartsWith("next ", StringComparison.Ordinal) ? text[5..] : text;
        word = word.StartsWith("on ", StringComparison.Ordinal) ? word[3..] : word;
        foreach (var candidate in Enum.GetValues<DayOfWeek>())
        {
            var name = candidate.ToString().ToLowerInvariant();
            if (word == name || word == name[..3])
            {
                day = candidate;
                return true;
            }
        }
        day = default;
        return false;
    }

    [GeneratedRegex(@"^in (?<n>[1-9][0-9]?) (?<unit>days?|weeks?)$")]
    private static partial Regex InCount();
}
