using System.Globalization;
using System.Text.RegularExpressions;

namespace FollowUpBot.Platforms.Console;

/// <summary>Parses the console's <c>/wait</c> argument: "2d", "20h", "30m" and combinations such as "1d12h".</summary>
public static partial class WaitDuration
{
    /// <summary>Longer waits are almost certainly typos (and would walk the clock through years of triggers).</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(366);

    [GeneratedRegex(@"^(?:(?<d>\d{1,3})d)?(?:(?<h>\d{1,4})h)?(?:(?<m>\d{1,6})m)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var trimmed = (text ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (trimmed.Length == 0) return false;
        var match = Pattern().Match(trimmed);
        if (!match.Success) return false;
        duration = TimeSpan.FromDays(Part(match, "d")) + TimeSpan.FromHours(Part(match, "h")) + TimeSpan.FromMinutes(Part(match, "m"));
        return duration > TimeSpan.Zero && duration <= Longest;
    }

    private static int Part(Match match, string name) =>
        match.Groups[name].Success ? int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
}
