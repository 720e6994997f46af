using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Discord.Interactions;
using FollowUpBot.Platforms.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Platforms.Discord;

/// <summary>
/// Direct messages and channel posts the engine starts. A DM channel is opened once per member and cached;
/// every send carries the delivery key as <c>nonce</c> with <c>enforce_nonce</c>, so a resend after a crash
/// returns the message Discord already has instead of a second one.
/// </summary>
public sealed class DiscordChatPlatform(DiscordRestClient rest, ILogger<DiscordChatPlatform> logger) : IChatPlatform
{
    private readonly ConcurrentDictionary<string, string> _dmChannels = new(StringComparer.Ordinal);

    public string Name => InteractionTranslator.PlatformName;

    public async Task<DeliveryResult> SendDirectMessageAsync(DirectMessageRequest request, CancellationToken cancellationToken)
    {
        if (request.PossibleRepeat && request.Message.Buttons.Count > 0 &&
            await AlreadyDeliveredAsync(request.To.Key, request.DeliveryKey, cancellationToken).ConfigureAwait(false))
        {
            logger.LogInformation("Discord delivery {DeliveryKey} was already in the member's DMs; not sent again", request.DeliveryKey);
            return DeliveryResult.Delivered with { Detail = "found an earlier delivery" };
        }
        return await SendToMemberAsync(request.To.Key, request.Message, request.DeliveryKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// After a crash mid-send: the nonce covers a resend within minutes; beyond that, look for a message whose
    /// buttons carry this delivery key among the DM channel's recent messages.
    /// </summary>
    private async Task<bool> AlreadyDeliveredAsync(MemberKey member, string deliveryKey, CancellationToken cancellationToken)
    {
        if (ButtonKey(deliveryKey) is not { } key) return false;
        var opened = await DirectMessageChannelAsync(member.UserId, cancellationToken).ConfigureAwait(false);
        if (opened.Channel is null) return false;
        var response = await rest.SendAsync(DiscordRoutes.RecentMessages(opened.Channel, 50), null, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess || response.Body is not { ValueKind: JsonValueKind.Array } messages) return false;
        var prefix = InteractionTranslator.DeliveryPrefix(member.Workspace, key);
        foreach (var message in messages.EnumerateArray())
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("components", out var rows) && rows.ValueKind == JsonValueKind.Array)
                foreach (var row in rows.EnumerateArray())
                    if (row.ValueKind == JsonValueKind.Object && row.TryGetProperty("components", out var buttons) && buttons.ValueKind == JsonValueKind.Array)
                        foreach (var button in buttons.EnumerateArray())
                            if (DiscordInteraction.Text(button, "custom_id")?.StartsWith(prefix, StringComparison.Ordinal) == true)
                                return true;
        return false;
    }

    public async Task<DeliveryResult> PostToChannelAsync(ChannelPostRequest request, CancellationToken cancellationToken) =>
        Result(await PostAsync(request.ChannelId, request.Message, cancellationToken).ConfigureAwait(false), toMember: false);

    public async Task<DeliveryResult> SendToMemberAsync(MemberKey member, Message message, string? deliveryKey, CancellationToken cancellationToken)
    {
        if (!member.UserId.All(char.IsAsciiDigit) || member.UserId.Length == 0)
            return new DeliveryResult(DeliveryStatus.PermanentFailure, "not a Discord user id");
        var opened = await DirectMessageChannelAsync(member.UserId, cancellationToken).ConfigureAwait(false);
        if (opened.Channel is null) return Result(opened.Failure!);

        var key = ButtonKey(deliveryKey);
        var bodies = DiscordMessages.Bodies(message, id => InteractionTranslator.WrapForDirectMessage(id, member.Workspace, key));
        PlatformCallResult? response = null;
        for (var i = 0; i < bodies.Count; i++)
        {
            var body = bodies[i];
            if (deliveryKey is { Length: > 0 })
            {
                // Each part of a split message has its own nonce, stable across resends like the key itself.
                body["nonce"] = Nonce(i == 0 ? deliveryKey : $"{deliveryKey}p{i}");
                body["enforce_nonce"] = true;
            }
            response = await rest.SendAsync(DiscordRoutes.CreateMessage(opened.Channel), body, cancellationToken,
                i == bodies.Count - 1 ? message.Attachment : null).ConfigureAwait(false);
            if (!response.IsSuccess) break;
        }
        if (response!.Error.Is(404, DiscordErrors.UnknownChannel)) _dmChannels.TryRemove(member.UserId, out _);
        var result = Result(response);
        if (result.Status == DeliveryStatus.Unreachable)
            logger.LogInformation("Discord member {Member} cannot receive direct messages ({Problem})", member, response.Describe());
        return result;
    }

    /// <summary>
    /// Posts a message to a server channel (a coach's digest), as several messages in order when its embeds need them;
    /// stops at the first part Discord refuses and answers with that refusal.
    /// </summary>
    public async Task<PlatformCallResult> PostAsync(string channelId, Message message, CancellationToken cancellationToken)
    {
        if (channelId.Length == 0 || !channelId.All(char.IsAsciiDigit))
            return PlatformCallResult.Failed(new PlatformNotSent(DiscordErrors.Platform, PlatformErrorKind.Permanent, "not a Discord channel id"));
        var bodies = DiscordMessages.Bodies(message);
        PlatformCallResult? response = null;
        for (var i = 0; i < bodies.Count; i++)
        {
            var file = i == bodies.Count - 1 ? message.Attachment : null;
            response = await rest.SendAsync(DiscordRoutes.CreateMessage(channelId), bodies[i], cancellationToken, file).ConfigureAwait(false);
            if (response.Error.Is(403, DiscordErrors.MissingPermissions) && file is { IsImage: true })
            {
                // A channel that lets the bot post but not attach files (no Attach Files permission): the digest goes
                // without its chart rather than not at all.
                logger.LogWarning("Discord refused the chart {File} in channel {Channel} ({Problem}); posting without it. Give the bot Attach Files there",
                    file.FileName, channelId, response.Describe());
                var plain = DiscordMessages.Bodies(message with { Attachment = null });
                response = await rest.SendAsync(DiscordRoutes.CreateMessage(channelId), plain[i], cancellationToken).ConfigureAwait(false);
            }
            if (!response.IsSuccess) break;
        }
        return response!;
    }

    private async Task<(string? Channel, PlatformCallResult? Failure)> DirectMessageChannelAsync(string userId, CancellationToken cancellationToken)
    {
        if (_dmChannels.TryGetValue(userId, out var cached)) return (cached, null);
        var response = await rest.SendAsync(DiscordRoutes.CreateDirectMessageChannel(), new JsonObject { ["recipient_id"] = userId }, cancellationToken)
            .ConfigureAwait(false);
        if (response.IsSuccess && response.GetString("id") is { Length: > 0 } channelId)
        {
            _dmChannels[userId] = channelId;
            return (channelId, null);
        }
        return (null, response.IsSuccess
            // Discord answered, but not with what every send needs: worth another try rather than a lost nudge.
            ? PlatformCallResult.Failed(new PlatformRefused(DiscordErrors.Platform, PlatformErrorKind.Retryable, response.Status, null, "DM channel without an id"), response.Status)
            : response);
    }

    /// <summary>A delivery key fit to ride in a custom id (short, letters and digits), or null.</summary>
    private static string? ButtonKey(string? deliveryKey) =>
        deliveryKey is { Length: > 0 and <= 30 } && deliveryKey.All(char.IsAsciiLetterOrDigit) ? deliveryKey : null;

    /// <summary>Discord takes nonces of at most 25 characters; longer keys are hashed to fit, stably.</summary>
    private static string Nonce(string deliveryKey)
    {
        if (deliveryKey.Length <= 25) return deliveryKey;
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(deliveryKey));
        return Convert.ToHexString(hash)[..25];
    }

    // Discord's classification is DiscordErrors'; what a retry waits when Discord did not say is this adapter's own.
    private static DeliveryResult Result(PlatformCallResult response, bool toMember = true) =>
        response.ToDeliveryResult(toMember, retryAfter: TimeSpan.FromSeconds(30));
}
