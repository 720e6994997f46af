namespace FollowUpBot.Platforms.Discord.Rest;

/// <summary>
/// One REST call. <see cref="Template"/> names the route for rate limiting ("POST /channels/{channel_id}/messages");
/// <see cref="MajorParameter"/> is the id Discord keys its buckets by (channel, guild or webhook).
/// <see cref="GlobalExempt"/> is set for interaction callbacks and webhooks, which the global limit does not cover.
/// </summary>
public sealed record DiscordRoute(HttpMethod Method, string Template, string MajorParameter, string Path, bool GlobalExempt = false)
{
    /// <summary>The bucket key before Discord tells the shared bucket hash.</summary>
    public string RouteKey => $"{Method.Method} {Template}:{MajorParameter}";

    /// <summary>Safe to log: interaction and webhook tokens only ever sit in <see cref="Path"/>.</summary>
    public override string ToString() => $"{Method.Method} {Template}";
}

/// <summary>The routes the adapter uses.</summary>
public static class DiscordRoutes
{
    public static DiscordRoute GatewayBot() => new(HttpMethod.Get, "/gateway/bot", "", "gateway/bot");

    public static DiscordRoute CurrentApplication() => new(HttpMethod.Get, "/applications/@me", "", "applications/@me");

    public static DiscordRoute OverwriteGlobalCommands(string applicationId) =>
        new(HttpMethod.Put, "/applications/{application_id}/commands", "", $"applications/{applicationId}/commands");

    public static DiscordRoute OverwriteGuildCommands(string applicationId, string guildId) =>
        new(HttpMethod.Put, "/applications/{application_id}/guilds/{guild_id}/commands", guildId,
            $"applications/{applicationId}/guilds/{guildId}/commands");

    public static DiscordRoute CreateDirectMessageChannel() => new(HttpMethod.Post, "/users/@me/channels", "", "users/@me/channels");

    public static DiscordRoute CreateMessage(string channelId) =>
        new(HttpMethod.Post, "/channels/{channel_id}/messages", channelId, $"channels/{Uri.EscapeDataString(channelId)}/messages");

    public static DiscordRoute RecentMessages(string channelId, int limit) =>
        new(HttpMethod.Get, "/channels/{channel_id}/messages", channelId, $"channels/{Uri.EscapeDataString(channelId)}/messages?limit={limit}");

    public static DiscordRoute InteractionCallback(string interactionId, string token) =>
        new(HttpMethod.Post, "/interactions/{interaction_id}/{token}/callback", interactionId,
            $"interactions/{Uri.EscapeDataString(interactionId)}/{Uri.EscapeDataString(token)}/callback", GlobalExempt: true);

    public static DiscordRoute EditOriginalResponse(string applicationId, string token) =>
        new(HttpMethod.Patch, "/webhooks/{application_id}/{token}/messages/@original", applicationId + token,
            $"webhooks/{applicationId}/{Uri.EscapeDataString(token)}/messages/@original", GlobalExempt: true);

    public static DiscordRoute CreateFollowUp(string applicationId, string token) =>
        new(HttpMethod.Post, "/webhooks/{application_id}/{token}", applicationId + token,
            $"webhooks/{applicationId}/{Uri.EscapeDataString(token)}", GlobalExempt: true);
}
