using FollowUpBot.Hosting;
using FollowUpBot.Platforms.Discord;
using FollowUpBot.Platforms.Slack;

namespace FollowUpBot.Host;

/// <summary>The chat platforms <c>followupbot run</c> knows: one line per platform (docs/extending.md).</summary>
public static class PlatformModules
{
    public static readonly IReadOnlyList<IPlatformModule> All =
    [
        new DiscordModule(),
        new SlackModule(),
    ];
}
