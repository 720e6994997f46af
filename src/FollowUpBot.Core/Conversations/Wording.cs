using System.Globalization;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Core.Conversations;

/// <summary>The small pieces of wording the engine's answers share.</summary>
internal static class Wording
{
    public static string LocalTime(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture);

    public static string Day(DateOnly day) => day.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture);

    public static string Name(Interview interview) =>
        $"#{interview.Number} {interview.Company}" + (string.IsNullOrWhiteSpace(interview.Role) ? "" : $" ({interview.Role})");

    public static string Short(Interview interview) => $"#{interview.Number} {interview.Company}";

    public static string FormatName(InterviewFormat format) => format.ToString().ToLowerInvariant();

    public static string Count(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{n} {many}";

    public static string Thousands(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Keeps a message under <see cref="Message.MaxTextLength"/>, cutting at a line end where it can.</summary>
    public static string Fit(string text, int max = Message.MaxTextLength - 1)
    {
        if (text.Length <= max) return text;
        var cut = text[..(max - 1)];
        var lastLine = cut.LastIndexOf('\n');
        if (lastLine > max / 2) cut = cut[..lastLine] + "\n";
        return cut + "…";
    }

    /// <summary>A quoted value cut to <paramref name="max"/> characters, so an error can show it without growing.</summary>
    public static string Quote(string value, int max = 40) => "\"" + Cut(value, max) + "\"";

    /// <summary>A value cut to <paramref name="max"/> characters, for showing what was typed without quotes.</summary>
    public static string Cut(string value, int max = 40) => value.Length <= max ? value : value[..(max - 1)] + "…";

    public static Message Fit(Message message) =>
        message.Text.Length < Message.MaxTextLength ? message : message with { Text = Fit(message.Text) };

    public static OutboundAction Fit(OutboundAction action) => action switch
    {
        Reply r => r with { Message = Fit(r.Message) },
        UpdateMessage u => u with { Message = Fit(u.Message) },
        SendDirectMessage d => d with { Message = Fit(d.Message) },
        PostToChannel p => p with { Message = Fit(p.Message) },
        _ => action,
    };
}
