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

    public string Name => SlackMembers.Platform;

    public Task<DeliveryResult> SendDirectMessageAsync(DirectMessageRequest request, CancellationToken cancellationToken) =>
        DeliverAsync(request.To.Key.UserId, request.Message, request.DeliveryKey, request.PossibleRepeat, cancellationToken);

    /// <summary>A DM outside the nudge pipeline (an engine action such as an export): no delivery key to track.</summary>
    internal Task<DeliveryResult> SendAsync(string userId, Message message, CancellationToken cancellationToken) =>
        DeliverAsync(userId, message, null, false, cancellationToken);

    private async Task<DeliveryResult> DeliverAsync(string userId, Message message, string? deliveryKey, bool possibleRepeat,
        CancellationToken cancellationToken)
    {
        var what = $"DM {deliveryKey} to {userId}";
        var (channel, failure) = await channels.OpenAsync(userId, cancellationToken).ConfigureAwait(false);
        if (channel is null) return Result(failure!, what, toMember: true);
        if (deliveryKey is not null && possibleRepeat)
        {
            var earlier = await AlreadyDeliveredAsync(channel, deliveryKey, cancellationToken).ConfigureAwait(false);
            if (earlier.Failure is { } lookup) return Result(lookup, what, toMember: true);
            if (earlier.Found)
            {
                logger.LogInformation("Delivery {DeliveryKey} is already in the DM of {User}; not sending it again", deliveryKey, userId);
                return DeliveryResult.Delivered;
            }
        }

        PlatformCallResult sent;
        if (message.Attachment is { } file)
        {
            // The text rides along as the file's comment: one message in the DM, the file inside it.
            sent = await uploads.ShareAsync(channel, file, BlockKit.Escape(message.Text), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            sent = PlatformCallResult.Success(0, null);
            var bodies = BlockKit.MessageBodies(message);
            for (var i = 0; i < bodies.Count && sent.IsSuccess; i++)
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
                sent = await api.PostJsonAsync("chat.postMessage", body, cancellationToken, paceChannel: channel).ConfigureAwait(false);
            }
        }
        // The cached DM may be stale; the next attempt opens it afresh.
        if (sent.Error?.Code == "channel_not_found") channels.Forget(userId);
        return Result(sent, what, toMember: true);
    }

    public async Task<DeliveryResult> PostToChannelAsync(ChannelPostRequest request, CancellationToken cancellationToken)
    {
        // Pieces go in order, each paced per channel; the engine already splits long digests into pages.
        foreach (var body in BlockKit.MessageBodies(request.Message))
        {
            body["channel"] = request.ChannelId;
            body["unfurl_links"] = false;
            var posted = await api.PostJsonAsync("chat.postMessage", body, cancellationToken, paceChannel: request.ChannelId).ConfigureAwait(false);
            if (!posted.IsSuccess) return Result(posted, $"post to {request.ChannelId}", toMember: false);
        }
        if (request.Message.Attachment is { } file) return await ShareInChannelAsync(request.ChannelId, file, cancellationToken).ConfigureAwait(false);
        return DeliveryResult.Delivered;
    }

    /// <summary>
    /// A channel post's file (the digest's chart) is shared right below its text, through the three-step upload.
    /// The text is already posted: a file that cannot be shared is logged and left out rather than failing the post.
    /// </summary>
    private async Task<DeliveryResult> ShareInChannelAsync(string channelId, Core.Messages.Attachment file, CancellationToken cancellationToken)
    {
        var shared = await uploads.ShareAsync(channelId, file, comment: null, cancellationToken).ConfigureAwait(false);
        if (shared.IsSuccess) return DeliveryResult.Delivered;
        logger.LogWarning("Slack: the file {File} for channel {Channel} could not be shared ({Error}); the message itself was posted " +
                          "(the files:write scope is needed)", file.FileName, channelId, shared.Error.Summary);
        return DeliveryResult.Delivered with { Detail = $"file not shared: {shared.Error.Summary}" };
    }

    /// <summary>Whether the DM already holds this delivery; a failure when Slack could not be asked now (try later).</summary>
    private async Task<(bool Found, PlatformCallResult? Failure)> AlreadyDeliveredAsync(string channel, string deliveryKey, CancellationToken cancellationToken)
    {
        var history = await api.PostFormAsync("conversations.history", new Dictionary<string, string>
            {
                ["channel"] = channel,
                ["limit"] = options.Value.RepeatSearchDepth.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["include_all_metadata"] = "true",
            }, cancellationToken).ConfigureAwait(false);
        if (history.Error is { Kind: PlatformErrorKind.Permanent or PlatformErrorKind.MemberUnreachable } cannotLook)
        {
            // Cannot look (e.g. im:history missing): a possible repeat beats a nudge that never arrives.
            logger.LogWarning("Could not check the DM history for delivery {DeliveryKey} ({Error}); sending it", deliveryKey, cannotLook.Summary);
            return (false, null);
        }
        if (!history.IsSuccess) return (false, history);

        if (history.Body is not { } root || !root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
            return (false, null);
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind == JsonValueKind.Object
                && message.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
                && FormModal.Str(metadata, "event_type") == MetadataEventType
                && metadata.TryGetProperty("event_payload", out var payload)
                && FormModal.Str(payload, "delivery_key") == deliveryKey)
                return (true, null);
        }
        return (false, null);
    }

    private DeliveryResult Result(PlatformCallResult answer, string what, bool toMember)
    {
        switch (answer.Error)
        {
            case PlatformNotSent or { Kind: PlatformErrorKind.FatalConfiguration }:
                // The adapter has stopped and alerted; the send stays pending until the token is fixed.
                break;
            case { Kind: PlatformErrorKind.Retryable } later:
                logger.LogWarning("Slack {What}: {Error}, will retry later", what, later.Summary);
                break;
            case { Code: "not_in_channel" } when !toMember:
                logger.LogWarning("Slack {What} failed: the bot is not in that channel. Invite it (/invite @FollowUpBot) or add the chat:write.public scope", what);
                break;
            case { Kind: PlatformErrorKind.MemberUnreachable } unreachable when toMember:
                logger.LogWarning("Slack {What}: the member cannot be messaged ({Error})", what, unreachable.Summary);
                break;
            case { } failed:
                logger.LogWarning("Slack {What} failed for good: {Error}", what, failed.Summary);
                break;
        }
        // Slack's own error code is the delivery's detail when Slack answered (channel_not_found, ratelimited, http_503),
        // what was tried and why when it did not.
        return answer.ToDeliveryResult(toMember, error => error.Summary);
    }
}
