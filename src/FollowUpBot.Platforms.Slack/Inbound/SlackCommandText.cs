using System.Text.RegularExpressions;

namespace FollowUpBot.Platforms.Slack.Inbound;

/// <summary>
/// A slash command's text as Slack escapes it, turned back into what the member meant. With should_escape on (the
/// /cohort command), a channel picked with # arrives as <c>&lt;#C0123|career-room&gt;</c> (newer clients leave the
/// name empty): the engine gets the channel id, which is what chat.postMessage needs. User mentions become
/// <c>@name</c>, links their URL, and Slack's HTML entities (&amp;amp; &amp;lt; &amp;gt;) the characters typed.
/// </summary>
public static partial class SlackCommandText
{
    public static string Unescape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var plain = Escape().Replace(text, match =>
        {
            var target = match.Groups["target"].Value;
            var label = match.Groups["label"].Success ? match.Groups["label"].Value : "";
            return target[0] switch
            {
                '#' => target[1..],
                '@' => "@" + (label.Length > 0 ? label : target[1..]),
                '!' => label.Length > 0 ? label : "@" + target[1..].Split('^')[0],
                _ => target,
            };
        });
        return plain.Replace("&lt;", "<").Replace("&gt;", ">").Replace("&amp;", "&");
    }

    [GeneratedRegex(@"<(?<target>[#@!][^<>|\s]+|[a-z][a-z0-9+.-]*:[^<>|\s]+)(\|(?<label>[^<>]*))?>", RegexOptions.IgnoreCase)]
    private static partial Regex Escape();
}
