using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FollowUpBot.Core.Playbooks;

/// <summary>
/// ISO-8601 durations as the playbook writes them ("P2D", "PT1H", "P1W", "P1DT12H"). Years and months are
/// refused: their length varies, and a coach should say what they mean in weeks or days. A leading minus
/// ("-P1D", ISO 8601-2) counts back from an anchor; the reader allows it only where that makes sense.
/// </summary>
public static partial class Iso8601Duration
{
    [GeneratedRegex(@"^P(?:(?<w>\d{1,3})W)?(?:(?<d>\d{1,4})D)?(?:T(?:(?<h>\d{1,4})H)?(?:(?<m>\d{1,5})M)?(?:(?<s>\d{1,6})S)?)?$")]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out PlaybookDuration duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var trimmed = text.Trim();
        var sign = trimmed.StartsWith('-') ? -1 : 1;
        if (sign < 0) trimmed = trimmed[1..];
        var match = Pattern().Match(trimmed.ToUpperInvariant());
        if (!match.Success || trimmed.Length == 1 || trimmed.EndsWith('T')) return false;
        int Part(string name) => match.Groups[name].Success ? int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        duration = new PlaybookDuration(
            sign * (Part("w") * 7 + Part("d")),
            sign * new TimeSpan(Part("h"), Part("m"), Part("s")));
        return true;
    }

    public static string Format(PlaybookDuration duration)
    {
        if (duration.IsNegative) return "-" + Format(new PlaybookDuration(-duration.Days, -duration.Time));
        var text = new StringBuilder("P");
        if (duration.Days != 0) text.Append(CultureInfo.InvariantCulture, $"{duration.Days}D");
        var time = duration.Time;
        if (time > TimeSpan.Zero)
        {
            text.Append('T');
            if (time.Days * 24 + time.Hours != 0) text.Append(CultureInfo.InvariantCulture, $"{time.Days * 24 + time.Hours}H");
            if (time.Minutes != 0) text.Append(CultureInfo.InvariantCulture, $"{time.Minutes}M");
            if (time.Seconds != 0) text.Append(CultureInfo.InvariantCulture, $"{time.Seconds}S");
        }
        return text.Length == 1 ? "PT0S" : text.ToString();
    }
}
