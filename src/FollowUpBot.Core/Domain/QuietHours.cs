namespace FollowUpBot.Core.Domain;

/// <summary>Local wall-clock hours in which no nudge (except the debrief) is delivered. May wrap midnight.</summary>
public sealed record QuietHours(TimeOnly Start, TimeOnly End)
{
    public static QuietHours Default { get; } = new(new TimeOnly(21, 0), new TimeOnly(8, 0));

    public bool Contains(TimeOnly localTime) =>
        Start == End ? false
        : Start < End ? localTime >= Start && localTime < End
        : localTime >= Start || localTime < End;

    public override string ToString() => $"{Start:HH\\:mm}-{End:HH\\:mm}";

    /// <summary>Parses "21:00-08:00". Returns false on anything else.</summary>
    public static bool TryParse(string? text, out QuietHours quietHours)
    {
        quietHours = Default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Trim().Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2) return false;
        if (!TimeOnly.TryParseExact(parts[0], ["HH:mm", "H:mm"], out var start)) return false;
        if (!TimeOnly.TryParseExact(parts[1], ["HH:mm", "H:mm"], out var end)) return false;
        quietHours = new QuietHours(start, end);
        return true;
    }
}
