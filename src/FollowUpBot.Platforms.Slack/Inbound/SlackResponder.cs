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
            try
            {
                await RenderAsync(action, origin, cancellationToken).ConfigureAwait(false);
            }
            catch (SlackApiException ex)
            {
                logger.LogWarning("Could not show the answer ({Action}) to {User}: {Error}", action.GetType().Name, origin.UserId, ex.Error);
            }
        }
    }

    private async Task RenderAsync(OutboundAction action, SlackOrigin origin, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case Reply reply:
                await ReplyAsync(reply.Message, reply.Ephemeral, origin, cancellationToken).ConfigureAwait(false);
                break;
            case ShowForm show:
                await OpenFormAsync(show.Form, origin, cancellationToken).ConfigureAwait(false);
                break;
            case UpdateMessage update:
                await UpdateAsync(update.Message, origin, cancellationToken).ConfigureAwait(false);
                break;
            case SendDirectMessage dm when dm.To.Platform == SlackMembers.Platform:
                var sent = await platform.SendAsync(dm.To.UserId, dm.Message, cancellationToken).ConfigureAwait(false);
                // The engine's reply already said "sent"; a member left waiting for a file that never comes deserves to know.
                if (sent.Status != Core.Delivery.DeliveryStatus.Delivered && dm.To.UserId == origin.UserId)
                    await ReplyAsync(new Message(sent.Status == Core.Delivery.DeliveryStatus.RetryLater
                        ? "Sorry, Slack didn't let me send that direct message just now. Please run the command again in a few minutes."
                        : "Sorry, I couldn't send you that direct message. Check that direct messages from apps are allowed, then run the command again."),
                        true, origin, cancellationToken).ConfigureAwait(false);
                break;
            case PostToChannel post:
                await platform.PostToChannelAsync(new Core.Delivery.ChannelPostRequest(origin.TeamId, post.ChannelId, post.Message),
                    cancellationToken).ConfigureAwait(false);
                break;
            default:
                logger.CannotRender(action.GetType().Name);
                break;
        }
    }

    /// <summary>The ack body of a slash command that answers at once.</summary>
    public static JsonObject ReplyPayload(Message message, bool ephemeral)
    {
        var body = BlockKit.MessageBody(message);
        body["response_type"] = ephemeral ? "ephemeral" : "in_channel";
        return body;
    }

    private async Task ReplyAsync(Message message, bool ephemeral, SlackOrigin origin, CancellationToken cancellationToken)
    {
        if (origin.ResponseUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var responseUrl))
        {
            var body = ReplyPayload(message, ephemeral);
            body["replace_original"] = false;
            await api.PostToResponseUrlAsync(responseUrl, body, cancellationToken).ConfigureAwait(false);
        }
        else if (origin.ChannelId is { } channel && !channel.StartsWith('D'))
        {
            var body = BlockKit.MessageBody(message);
            body["channel"] = channel;
            if (ephemeral)
            {
                body["user"] = origin.UserId;
                await api.PostJsonAsync("chat.postEphemeral", body, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await api.PostJsonAsync("chat.postMessage", body, cancellationToken, paceChannel: channel).ConfigureAwait(false);
            }
        }
        else
        {
            await platform.SendAsync(origin.UserId, message, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task OpenFormAsync(Form form, SlackOrigin origin, CancellationToken cancellationToken)
    {
        if (origin.TriggerId is null)
        {
            await ReplyAsync(new Message("I need to ask you a few questions, but I can only open a form right after a command " +
                "or a button. Please run the command again."), true, origin, cancellationToken).ConfigureAwait(false);
            return;
        }
        var view = FormModal.View(form, new FormContext(form.Id, origin.ChannelId, origin.ResponseUrl));
        try
        {
            await api.PostJsonAsync("views.open", new JsonObject { ["trigger_id"] = origin.TriggerId, ["view"] = view },
                cancellationToken).ConfigureAwait(false);
        }
        catch (SlackApiException ex) when (TriggerErrors.Contains(ex.Error))
        {
            // Slack's trigger lives three seconds and works once; tell the member rather than leave them waiting.
            await ReplyAsync(new Message("Sorry, I was too slow to open the form. Please run the command again; " +
                "what you typed so far is kept."), true, origin with { TriggerId = null }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task UpdateAsync(Message message, SlackOrigin origin, CancellationToken cancellationToken)
    {
        if (origin is { ChannelId: { } channel, MessageTs: { } ts, MessageIsEphemeral: false })
        {
            var body = BlockKit.MessageBody(message);
            body["channel"] = channel;
            body["ts"] = ts;
            // chat.update keeps old blocks unless told otherwise: no buttons must mean no buttons.
            body["blocks"] = BlockKit.Blocks(message);
            await api.PostJsonAsync("chat.update", body, cancellationToken).ConfigureAwait(false);
        }
        else if (origin.ResponseUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var responseUrl))
        {
            var body = BlockKit.MessageBody(message);
            body["replace_original"] = true;
            await api.PostToResponseUrlAsync(responseUrl, body, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ReplyAsync(message, true, origin, cancellationToken).ConfigureAwait(false);
        }
    }
}
