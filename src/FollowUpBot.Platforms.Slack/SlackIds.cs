using System.Text.RegularExpressions;

namespace FollowUpBot.Platforms.Slack;

/// <summary>The shapes of Slack's ids: users U…/W… (Enterprise Grid), channels C… (public and newer private), G… (older private).</summary>
public static partial class SlackIds
{
    public static bool IsUserId(string? id) => id is not null && UserId().IsMatch(id);

    public static bool IsChannelId(string? id) => id is not null && ChannelId().IsMatch(id);

    [GeneratedRegex("^[UW][A-Z0-9]{1,20}$")]
    private static partial Regex UserId();

    [GeneratedRegex("^[CG][A-Z0-9]{1,20}$")]
    private static partial Regex ChannelId();
}
