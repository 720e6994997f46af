using System.Text.Json;
using System.Text.Json.Nodes;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Slack.Inbound;
using FollowUpBot.Platforms.Slack.Rendering;
using FollowUpBot.Platforms.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Slack.Outbound;

/// <summary>
/// Messages the engine starts, delivered as Slack DMs and channel posts. Every DM carries its delivery key in the
/// message metadata, so a send that may have happened before a crash is looked up in the DM's history first
/// instead of being sent twice. Results are only reported: marking members unreachable is the engine's job.
/// </summary>
public sealed class SlackChatPlatform(
    SlackApiClient api,
    DirectMessageChannels channels,
    SlackFileUploads uploads,
    IOptions<SlackOptions> options,
    ILogger<SlackChatPlatform> logger) : IChatPlatform
{
    public const string MetadataEventType = "followupbot_delivery";

    // Errors about the member rather than the message: Core's Unreachable makes the engine mark the member and
    // tell them once, the next time they use the bot, why nudges stopped arriving.
    private static readonly HashSet<string> MemberUnreachable = new(StringComparer.Ordinal)
    {
        "channel_not_found", "user_not_found", "user_not_visible", "user_disabled", "cannot_dm_bot", "is_archived",
    };

    public string Name => SlackMembers.Platform;

    public Task<DeliveryResult> SendDirectMessageAsync(DirectMessageRequest request, CancellationToken cancellationToken) =>
        DeliverAsync(request.To.Key.UserId, request.Message, request.DeliveryKey, request.PossibleRepeat, cancellationToken);

    /// <summary>A DM outside the nudge pipeline (an engine action such as an export): no delivery key to track.</summary>
    internal Task<DeliveryResult> SendAsync(string userId, Message message, CancellationToken cancellationToken) =>
        DeliverAsync(userId, message, null, false, cancellationToken);

    private async Task<DeliveryResult> DeliverAsync(string userId, Message message, string? deliveryKey, bool possibleRepeat,
        CancellationToken cancellationToken)
    {
        try
        {
            var channel = await channels.OpenAsync(userId, cancellationToken).ConfigureAwait(false);
            if (deliveryKey is not null && possibleRepeat
                && await AlreadyDeliveredAsync(channel, deliveryKey, cancellationToken).ConfigureAwait(false))
            {
                logger.LogInformation("Delivery {DeliveryKey} is already in the DM of {User}; not sending it again", deliveryKey, userId);
                return DeliveryResult.Delivered;
            }

            try
            {
                if (message.Attachment is { } file)
                {
                    // The text rides along as the file's comment: one message in the DM, the file inside it.
                    await uploads.ShareAsync(channel, file, BlockKit.Escape(message.Text), cancellationToken).ConfigureAwait(false);
                    return DeliveryResult.Delivered;
                }
                var bodies = BlockKit.MessageBodies(message);
                for (var i = 0; i < bodies.Count; i++)
                {
                    var body = bodies[i];
                    body["channel"] = channel;
                    body["unfurl_links"] = false;
                    // The first piece carries the key: finding it is what makes a repeat unnecessary.
                    if (deliveryKey is not null && i == 0)
                        body["metadata"] = new JsonObject
                        {
                            ["event_type"] = MetadataEventType,
                            ["event_payload"] = new JsonObject { ["delivery_key"] = deliveryKey },
                        };
                    await api.PostJsonAsync("chat.postMessage", body, cancellationToken, paceChannel: channel).ConfigureAwait(false);
                }
            }
            catch (SlackApiException ex) when (ex.Error == "channel_not_found")
            {
                // The cached DM may be stale; the next attempt opens it afresh.
                channels.Forget(userId);
                throw;
            }
            return DeliveryResult.Delivered;
        }
        catch (SlackApiException ex)
        {
            return Result(ex, $"DM {deliveryKey} to {userId}", toMember: true);
        }
    }

    public async Task<DeliveryResult> PostToChannelAsync(ChannelPostRequest request, CancellationToken cancellationToken)
    {
        try
        {
            // Pieces go in order, each paced per channel; the engine already splits long digests into pages.
            foreach (var body in BlockKit.MessageBodies(request.Message))
            {
                body["channel"] = request.ChannelId;
                body["unfurl_links"] = false;
                await api.PostJsonAsync("chat.postMessage", body, cancellationToken, paceChannel: request.ChannelId).ConfigureAwait(false);
            }
            if (request.Message.Attachment is { } file) return await ShareInChannelAsync(request.ChannelId, file, cancellationToken).ConfigureAwait(false);
            return DeliveryResult.Delivered;
        }
        catch (SlackApiException ex)
        {
            return Result(ex, $"post to {request.ChannelId}", toMember: false);
        }
    }

    /// <summary>
    /// A channel post's file (the digest's chart) is shared right below its text, through the three-step upload.
    /// The text is already posted: a file that cannot be shared is logged and left out rather than failing the post.
    /// </summary>
    private async Task<DeliveryResult> ShareInChannelAsync(string channelId, Core.Messages.Attachment file, CancellationToken cancellationToken)
    {
        try
        {
            await uploads.ShareAsync(channelId, file, comment: null, cancellationToken).ConfigureAwait(false);
            return DeliveryResult.Delivered;
        }
        catch (SlackApiException ex)
        {
            logger.LogWarning("Slack: the file {File} for channel {Channel} could not be shared ({Error}); the message itself was posted " +
                              "(the files:write scope is needed)", file.FileName, channelId, ex.Error);
            return DeliveryResult.Delivered with { Detail = $"file not shared: {ex.Error}" };
        }
    }

    private async Task<bool> AlreadyDeliveredAsync(string channel, string deliveryKey, CancellationToken cancellationToken)
    {
        JsonElement history;
        try
        {
            history = await api.PostFormAsync("conversations.history", new Dictionary<string, string>
            {
                ["channel"] = channel,
                ["limit"] = options.Value.RepeatSearchDepth.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["include_all_metadata"] = "true",
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (SlackApiException ex) when (ex.Kind == SlackErrorKind.Permanent)
        {
            // Cannot look (e.g. im:history missing): a possible repeat beats a nudge that never arrives.
            logger.LogWarning("Could not check the DM history for delivery {DeliveryKey} ({Error}); sending it", deliveryKey, ex.Error);
            return false;
        }

        if (!history.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array) return false;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind == JsonValueKind.Object
                && message.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
                && FormModal.Str(metadata, "event_type") == MetadataEventType
                && metadata.TryGetProperty("event_payload", out var payload)
                && FormModal.Str(payload, "delivery_key") == deliveryKey)
                return true;
        }
        return false;
    }

    private DeliveryResult Result(SlackApiException ex, string what, bool toMember)
    {
        switch (ex)
        {
            case SlackRetryLaterException later:
                logger.LogWarning("Slack {What}: {Error}, will retry later", what, later.Error);
                return new DeliveryResult(DeliveryStatus.RetryLater, later.Error, later.RetryAfter);
            case { Kind: SlackErrorKind.Auth } or { Error: "adapter_stopped" }:
                // The adapter has stopped and alerted; the send stays pending until the token is fixed.
                return new DeliveryResult(DeliveryStatus.RetryLater, ex.Error);
            case { Kind: SlackErrorKind.Retryable }:
                return new DeliveryResult(DeliveryStatus.RetryLater, ex.Error);
            case { Error: "not_in_channel" } when !toMember:
                logger.LogWarning("Slack {What} failed: the bot is not in that channel. Invite it (/invite @FollowUpBot) or add the chat:write.public scope", what);
                return new DeliveryResult(DeliveryStatus.PermanentFailure, ex.Error);
            case var _ when toMember && MemberUnreachable.Contains(ex.Error):
                logger.LogWarning("Slack {What}: the member cannot be messaged ({Error})", what, ex.Error);
                return new DeliveryResult(DeliveryStatus.Unreachable, ex.Error);
            default:
                logger.LogWarning("Slack {What} failed for good: {Error}", what, ex.Error);
                return new DeliveryResult(DeliveryStatus.PermanentFailure, ex.Error);
        }
    }
}
