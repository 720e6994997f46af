using System.Text.Json;
using System.Text.Json.Nodes;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Discord.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Discord.Interactions;

/// <summary>
/// Turns one interaction into an engine event and the engine's actions into Discord answers, always inside
/// Discord's 3-second window: when the engine is slow the interaction is deferred and answered later.
/// Forms are split into modals and a panel by <see cref="FormSession"/>.
/// </summary>
public sealed class InteractionHandler(
    IServiceScopeFactory scopes,
    DiscordRestClient rest,
    DiscordApplication application,
    DiscordChatPlatform platform,
    FormSessions forms,
    CoachRule coaches,
    TransportClock clock,
    IOptions<DiscordOptions> options,
    ILogger<InteractionHandler> logger)
{
    private const string SorryText = "Sorry, something went wrong on our side. Nothing was changed; please try again in a minute.";
    private readonly BackgroundWork _running = new();

    /// <summary>Handles the interaction in the background (the gateway must keep reading), tracked until done.</summary>
    public Task Start(JsonElement interaction, IInitialResponder responder) =>
        _running.Run(() => HandleAsync(interaction, responder, CancellationToken.None));

    /// <summary>Interactions still being answered (waited for at shutdown).</summary>
    public Task DrainAsync() => _running.DrainAsync();

    public async Task HandleAsync(JsonElement json, IInitialResponder responder, CancellationToken cancellationToken)
    {
        var interaction = DiscordInteraction.Parse(json, out var problem);
        if (interaction is null)
        {
            logger.InteractionUnreadable(problem);
            return;
        }
        var reply = new InteractionReply(interaction, responder, rest, application);
        try
        {
            await RouteAsync(reply, cancellationToken).ConfigureAwait(false);
            await reply.FinishAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.InteractionFailed(e, interaction.Id, interaction.Type);
            try
            {
                await reply.MessageAsync(new JsonObject { ["content"] = SorryText }, ephemeral: true, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception inner) when (inner is not OperationCanceledException)
            {
                logger.FailureNotShown(inner);
            }
        }
    }

    private async Task RouteAsync(InteractionReply reply, CancellationToken cancellationToken)
    {
        var interaction = reply.Interaction;
        switch ((InteractionType)interaction.Type)
        {
            case InteractionType.Ping:
                await reply.FirstPongAsync(cancellationToken).ConfigureAwait(false);
                return;
            case InteractionType.Autocomplete:
                await reply.EmptyAutocompleteAsync(cancellationToken).ConfigureAwait(false);
                return;
        }
        if (interaction.UserId is null)
        {
            logger.InteractionWithoutUser(interaction.Id);
            await reply.MessageAsync(new JsonObject { ["content"] = "Sorry, I could not tell who you are." }, true, cancellationToken).ConfigureAwait(false);
            return;
        }
        switch ((InteractionType)interaction.Type)
        {
            case InteractionType.ApplicationCommand:
                if (InteractionTranslator.Command(interaction, coaches.IsCoach(interaction)) is { } command)
                    await RunEngineAsync(reply, command, fromPanel: false, cancellationToken).ConfigureAwait(false);
                else
                    await reply.MessageAsync(new JsonObject { ["content"] = "Sorry, I could not read that command. Nothing was changed; please try again." },
                        ephemeral: true, cancellationToken).ConfigureAwait(false);
                break;
            case InteractionType.MessageComponent when interaction.CustomId is { } customId:
                if (FormCommand.Parse(customId) is { } formCommand)
                    await FormAsync(reply, formCommand, cancellationToken).ConfigureAwait(false);
                else
                {
                    var (engineId, workspace) = InteractionTranslator.Unwrap(customId);
                    var pressed = new ButtonPressed(InteractionTranslator.Invoker(interaction, workspace, coaches.IsCoach(interaction)), engineId);
                    await RunEngineAsync(reply, pressed, fromPanel: false, cancellationToken).ConfigureAwait(false);
                }
                break;
            case InteractionType.ModalSubmit when interaction.CustomId is { } modalId:
                if (FormCommand.Parse(modalId) is { Kind: FormCommandKind.ModalSubmitted } modal)
                    await FormAsync(reply, modal, cancellationToken).ConfigureAwait(false);
                else
                {
                    var submitted = new FormSubmitted(InteractionTranslator.Invoker(interaction, isCoach: coaches.IsCoach(interaction)), modalId,
                        InteractionTranslator.ModalValues(interaction));
                    await RunEngineAsync(reply, submitted, fromPanel: false, cancellationToken).ConfigureAwait(false);
                }
                break;
            default:
                logger.InteractionTypeIgnored(interaction.Id, interaction.Type);
                break;
        }
    }

    private async Task FormAsync(InteractionReply reply, FormCommand command, CancellationToken cancellationToken)
    {
        var interaction = reply.Interaction;
        var session = forms.Find(command.SessionId);
        if (session is null)
        {
            await reply.MessageAsync(new JsonObject { ["content"] = "This form has expired. Please run the command again; what you already saved is kept." },
                ephemeral: true, cancellationToken).ConfigureAwait(false);
            return;
        }
        // Discord user ids are global: a form opened from a DM button belongs to the member as the server knows them.
        var from = InteractionTranslator.Invoker(interaction, isCoach: coaches.IsCoach(interaction)) with { Key = session.Owner };
        if (session.Owner.UserId != interaction.UserId)
        {
            await reply.MessageAsync(new JsonObject { ["content"] = "This form belongs to someone else. Run the command yourself to get your own." },
                ephemeral: true, cancellationToken).ConfigureAwait(false);
            return;
        }
        var onPanel = interaction.MessageId is not null;
        switch (command.Kind)
        {
            case FormCommandKind.OpenPart when command.Index < session.ModalParts.Count:
                await reply.ModalAsync(session.Modal(command.Index), cancellationToken).ConfigureAwait(false);
                return;
            case FormCommandKind.Choice:
                var chosen = InteractionTranslator.SelectedValue(interaction);
                var notice = chosen is not null && session.Choose(command.Index, chosen) ? null : "That choice is not one of the options.";
                await reply.UpdateAsync(session.Panel(notice), cancellationToken).ConfigureAwait(false);
                return;
            case FormCommandKind.ModalSubmitted when command.Index < session.ModalParts.Count:
                session.Answer(command.Index, InteractionTranslator.ModalValues(interaction));
                if (session.AllPartsAnswered && session.PanelFields.Count == 0) break; // nothing else to ask: submit
                if (onPanel) await reply.UpdateAsync(session.Panel(), cancellationToken).ConfigureAwait(false);
                else await reply.MessageAsync(session.Panel(), ephemeral: true, cancellationToken).ConfigureAwait(false);
                return;
            case FormCommandKind.Submit:
                break;
            default:
                await reply.MessageAsync(new JsonObject { ["content"] = "Sorry, I did not understand that." }, true, cancellationToken).ConfigureAwait(false);
                return;
        }
        forms.Close(session);
        await RunEngineAsync(reply, new FormSubmitted(from, session.Form.Id, session.Values()), fromPanel: onPanel, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task RunEngineAsync(InteractionReply reply, InboundEvent inbound, bool fromPanel, CancellationToken cancellationToken)
    {
        var engineTask = AskEngineAsync(inbound, cancellationToken);
        var window = Task.Delay(options.Value.DeferAfter, clock.Time, cancellationToken);
        if (await Task.WhenAny(engineTask, window).ConfigureAwait(false) != engineTask)
            await reply.DeferAsync(cancellationToken).ConfigureAwait(false);
        var actions = await engineTask.ConfigureAwait(false);
        await RenderAsync(reply, inbound, actions, fromPanel, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<OutboundAction>> AskEngineAsync(InboundEvent inbound, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var engine = scope.ServiceProvider.GetRequiredService<IConversationEngine>();
            return await engine.HandleAsync(inbound, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.EngineFailed(e, inbound.GetType().Name);
            return [new Reply(new Message(SorryText))];
        }
    }

    private async Task RenderAsync(InteractionReply reply, InboundEvent inbound, IReadOnlyList<OutboundAction> actions, bool fromPanel,
        CancellationToken cancellationToken)
    {
        var from = inbound.From;
        foreach (var action in actions)
        {
            switch (action)
            {
                case Reply { Message: var message, Ephemeral: var ephemeral }:
                    var bodies = DiscordMessages.Bodies(message);
                    for (var i = 0; i < bodies.Count; i++)
                    {
                        if (i == bodies.Count - 1 && message.Attachment is { } file)
                            await reply.FileAsync(bodies[i], file, ephemeral, cancellationToken).ConfigureAwait(false);
                        else if (i == 0 && fromPanel && !reply.OriginalWritten) await reply.UpdateAsync(bodies[i], cancellationToken).ConfigureAwait(false);
                        else await reply.MessageAsync(bodies[i], ephemeral, cancellationToken).ConfigureAwait(false);
                    }
                    break;
                case UpdateMessage { Message: var message }:
                    var updated = DiscordMessages.Bodies(message, WrapFor(reply));
                    var replaces = reply.IsComponent || (reply.Interaction.MessageId is not null && reply.Interaction.Type == (int)InteractionType.ModalSubmit);
                    for (var i = 0; i < updated.Count; i++)
                    {
                        // Parts beyond the first cannot replace anything: they follow, visible only to the member.
                        if (i == 0 && replaces) await reply.UpdateAsync(updated[i], cancellationToken).ConfigureAwait(false);
                        else await reply.MessageAsync(updated[i], ephemeral: true, cancellationToken).ConfigureAwait(false);
                    }
                    break;
                case ShowForm { Form: var form }:
                    var session = forms.Open(from.Key, form);
                    if (reply.CanOpenModal && session.ModalParts.Count > 0)
                        await reply.ModalAsync(session.Modal(0), cancellationToken).ConfigureAwait(false);
                    else if (fromPanel && !reply.OriginalWritten) await reply.UpdateAsync(session.Panel(), cancellationToken).ConfigureAwait(false);
                    else await reply.MessageAsync(session.Panel(), ephemeral: true, cancellationToken).ConfigureAwait(false);
                    break;
                case SendDirectMessage { To: var to, Message: var message }:
                    var sent = await platform.SendToMemberAsync(to, message, deliveryKey: null, cancellationToken).ConfigureAwait(false);
                    if (sent.Status != Core.Delivery.DeliveryStatus.Delivered)
                        logger.DirectMessageNotDelivered(sent.Status);
                    break;
                case PostToChannel { ChannelId: var channelId, Message: var message }:
                    await platform.PostAsync(channelId, message, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>A message updated in a DM keeps the server its buttons belong to.</summary>
    private static Func<string, string>? WrapFor(InteractionReply reply)
    {
        if (reply.Interaction.GuildId is not null) return null;
        var (_, workspace) = InteractionTranslator.Unwrap(reply.Interaction.CustomId ?? "");
        return workspace is null ? null : id => InteractionTranslator.WrapForDirectMessage(id, workspace);
    }
}
