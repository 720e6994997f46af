using FollowUpBot.Core.Delivery;

namespace FollowUpBot.Testing.Slack;

/// <summary>The Slack IChatPlatform as the rest of the bot finds it (by name, through the directory).</summary>
public sealed class SlackChatPlatformAccessor(IEnumerable<IChatPlatform> platforms)
{
    public IChatPlatform Platform { get; } = platforms.Single(p => p.Name == "slack");
}
