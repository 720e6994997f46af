using System.Text.Json.Nodes;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Slack.Outbound;
using FollowUpBot.Platforms.Slack.Rendering;
using FollowUpBot.Platforms.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Platforms.Slack.Inbound;

/// <summary>Where an interaction happened: what the engine's answers can be delivered through.</summary>
public sealed record SlackOrigin(
    string TeamId,
    string UserId,
    string? ChannelId,
    string? ResponseUrl,
    string? TriggerId,
    string? MessageTs = null,
    bool MessageIsEphemeral = false);

/// <summary>Renders the engine's actions on Slack after the ack: response_url, views.open, chat.update, DMs.</summary>
public sealed class SlackResponder(SlackApiClient api, SlackChatPlatform platform, ILogger<SlackResponder> logger)
{
    private static readonly HashSet<string> TriggerErrors = new(StringComparer.Ordinal)
    {
        "expired_trigger_id", "exchanged_trigger_id", "invalid_trigger_id",
    };

    public async Task RenderAsync(IEnumerable<OutboundAction> actions, SlackOrigin origin, CancellationToken cancellationToken)
    {
        foreach (var action in actions)
        {
            var shown = await RenderAsync(action, origin, cancellationToken).ConfigureAwait(false);
            if (shown.Error is { } error)
                logger.AnswerNotShown(action.GetType().Name, origin.UserId, error.Summary);
        }
    }

    // What an action that needs no call of its own (or reports through a DeliveryResult) comes to.
    private static readonly PlatformCallResult Done = PlatformCallResult.Success(0, null);

    private async Task<PlatformCallResult> RenderAsync(OutboundAction action, SlackOrigin origin, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case Reply reply:
                return await ReplyAsync(reply.Message, reply.Ephemeral, origin, cancellationToken).ConfigureAwait(false);
            case ShowForm show:
                return await OpenFormAsync(show.Form, origin, cancellationToken).ConfigureAwait(false);
            case UpdateMessage update:
                return await UpdateAsync(update.Message, origin, cancellationToken).ConfigureAwait(false);
            case SendDirectMessage dm when dm.To.Platform == SlackMembers.Platform:
                var sent = await platform.SendAsync(dm.To.UserId, dm.Message, cancellationToken).ConfigureAwait(false);
                // The engine's reply already said "sent"; a member left waiting for a file that never comes deserves to know.
                if (sent.Status != Core.Delivery.DeliveryStatus.Delivered && dm.To.UserId == origin.UserId)
                    return await ReplyAsync(new Message(sent.Status == Core.Delivery.DeliveryStatus.RetryLater
                        ? "Sorry, Slack didn't let me send that direct message just now. Please run the command again in a few minutes."
                        : "Sorry, I couldn't send you that direct message. Check that direct messages from apps are allowed, then run the command again."),
                        true, origin, cancellationToken).ConfigureAwait(false);
                return Done;
            case PostToChannel post:
                await platform.PostToChannelAsync(new Core.Delivery.ChannelPostRequest(origin.TeamId, post.ChannelId, post.Message),
                    cancellationToken).ConfigureAwait(false);
                return Done;
            default:
                logger.CannotRender(action.GetType().Name);
                return Done;
        }
    }

    /// <summary>The ack body of a slash command that answers at once.</summary>
    public static JsonObject ReplyPayload(Message message, bool ephemeral)
    {
        var body = BlockKit.MessageBody(message);
        body["response_type"] = ephemeral ? "ephemeral" : "in_channel";
        return body;
    }

    private async Task<PlatformCallResult> ReplyAsync(Message message, bool ephemeral, SlackOrigin origin, CancellationToken cancellationToken)
    {
        if (origin.ResponseUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var responseUrl))
        {
            var body = ReplyPayload(message, ephemeral);
            body["replace_original"] = false;
            return await api.PostToResponseUrlAsync(responseUrl, body, cancellationToken).ConfigureAwait(false);
        }
        else if (origin.ChannelId is { } channel && !channel.StartsWith('D'))
        {
            var body = BlockKit.MessageBody(message);
            body["channel"] = channel;
            if (ephemeral)
            {
                body["user"] = origin.UserId;
                return await api.PostJsonAsync("chat.postEphemeral", body, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                return await api.PostJsonAsync("chat.postMessage", body, cancellationToken, paceChannel: channel).ConfigureAwait(false);
            }
        }
        // The DM reports (and logs) through its DeliveryResult.
        await platform.SendAsync(origin.UserId, message, cancellationToken).ConfigureAwait(false);
        return Done;
    }

    private async Task<PlatformCallResult> OpenFormAsync(Form form, SlackOrigin origin, CancellationToken cancellationToken)
    {
        if (origin.TriggerId is null)
        {
            return await ReplyAsync(new Message("I need to ask you a few questions, but I can only open a form right after a command " +
                "or a button. Please run the command again."), true, origin, cancellationToken).ConfigureAwait(false);
        }
        var view = FormModal.View(form, new FormContext(form.Id, origin.ChannelId, origin.ResponseUrl));
        var opened = await api.PostJsonAsync("views.open", new JsonObject { ["trigger_id"] = origin.TriggerId, ["view"] = view },
            cancellationToken).ConfigureAwait(false);
        if (opened.Error is not { } error || !TriggerErrors.Contains(error.Code)) return opened;
        // Slack's trigger lives three seconds and works once; tell the member rather than leave them waiting.
        return await ReplyAsync(new Message("Sorry, I was too slow to open the form. Please run the command again; " +
            "what you typed so far is kept."), true, origin with { TriggerId = null }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<PlatformCallResult> UpdateAsync(Message message, SlackOrigin origin, CancellationToken cancellationToken)
    {
        if (origin is { ChannelId: { } channel, MessageTs: { } ts, MessageIsEphemeral: false })
        {
            var body = BlockKit.MessageBody(message);
            body["channel"] = channel;
            body["ts"] = ts;
            // chat.update keeps old blocks unless told otherwise: no buttons must mean no buttons.
            body["blocks"] = BlockKit.Blocks(message);
            return await api.PostJsonAsync("chat.update", body, cancellationToken).ConfigureAwait(false);
        }
        else if (origin.ResponseUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var responseUrl))
        {
            var body = BlockKit.MessageBody(message);
            body["replace_original"] = true;
            return await api.PostToResponseUrlAsync(responseUrl, body, cancellationToken).ConfigureAwait(false);
        }
        return await ReplyAsync(message, true, origin, cancellationToken).ConfigureAwait(false);
    }
}
