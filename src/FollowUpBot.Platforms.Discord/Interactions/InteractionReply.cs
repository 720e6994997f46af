using System.Text.Json.Nodes;
using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Discord.Rest;

namespace FollowUpBot.Platforms.Discord.Interactions;

/// <summary>
/// The answers to one interaction, in Discord's order: exactly one first response (message, update, modal or
/// a deferral), then edits of the original response and follow-ups through the interaction's webhook.
/// </summary>
public sealed class InteractionReply(DiscordInteraction interaction, IInitialResponder initial, DiscordRestClient rest, DiscordApplication application)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public DiscordInteraction Interaction { get; } = interaction;

    public bool Acknowledged { get; private set; }

    public bool Deferred { get; private set; }

    public bool OriginalWritten { get; private set; }

    public bool IsComponent => Interaction.Type == (int)InteractionType.MessageComponent;

    /// <summary>Loading state: type 6 on a component (the message stays), otherwise type 5 (ephemeral).</summary>
    public Task DeferAsync(CancellationToken cancellationToken) => FirstAsync(
        IsComponent || (Interaction.Type == (int)InteractionType.ModalSubmit && Interaction.MessageId is not null)
            ? new JsonObject { ["type"] = 6 }
            : new JsonObject { ["type"] = 5, ["data"] = new JsonObject { ["flags"] = DiscordMessages.EphemeralFlag } },
        deferral: true, cancellationToken);

    /// <summary>A new message (type 4), or after a deferral the original response edited, or else a follow-up.</summary>
    public async Task MessageAsync(JsonObject body, bool ephemeral, CancellationToken cancellationToken)
    {
        if (ephemeral) body["flags"] = DiscordMessages.EphemeralFlag;
        if (!Acknowledged)
        {
            await FirstAsync(new JsonObject { ["type"] = 4, ["data"] = body }, false, cancellationToken).ConfigureAwait(false);
            OriginalWritten = true;
        }
        else if (Deferred && !OriginalWritten && !(IsComponent || Interaction.MessageId is not null))
        {
            body.Remove("flags"); // the deferral fixed the visibility
            await EditOriginalAsync(body, cancellationToken).ConfigureAwait(false);
        }
        else await FollowUpAsync(body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A message with a file. Files cannot ride in the first response's JSON (nor in an HTTP-mode answer), so the
    /// interaction is deferred and the file follows through the webhook, as the original response or a follow-up.
    /// </summary>
    public async Task FileAsync(JsonObject body, Attachment file, bool ephemeral, CancellationToken cancellationToken)
    {
        if (!Acknowledged) await DeferAsync(cancellationToken).ConfigureAwait(false);
        var appId = await ApplicationIdAsync(cancellationToken).ConfigureAwait(false);
        if (Deferred && !OriginalWritten && !IsComponent && Interaction.MessageId is null)
        {
            OriginalWritten = true;
            await rest.SendAsync(DiscordRoutes.EditOriginalResponse(appId, Interaction.Token), body, cancellationToken, file).ConfigureAwait(false);
            return;
        }
        if (ephemeral) body["flags"] = DiscordMessages.EphemeralFlag;
        await rest.SendAsync(DiscordRoutes.CreateFollowUp(appId, Interaction.Token), body, cancellationToken, file).ConfigureAwait(false);
    }

    /// <summary>Replaces the message the component is on (type 7, or an edit after a deferral).</summary>
    public async Task UpdateAsync(JsonObject body, CancellationToken cancellationToken)
    {
        body.Remove("flags");
        // An edit keeps whatever it does not mention: a status page replaced by plain text must drop its embeds.
        body["embeds"] ??= new JsonArray();
        if (!Acknowledged) await FirstAsync(new JsonObject { ["type"] = 7, ["data"] = body }, false, cancellationToken).ConfigureAwait(false);
        else await EditOriginalAsync(body, cancellationToken).ConfigureAwait(false);
        OriginalWritten = true;
    }

    public Task ModalAsync(JsonObject modal, CancellationToken cancellationToken) =>
        FirstAsync(new JsonObject { ["type"] = 9, ["data"] = modal }, false, cancellationToken);

    public Task FirstPongAsync(CancellationToken cancellationToken) =>
        FirstAsync(new JsonObject { ["type"] = 1 }, false, cancellationToken);

    public Task EmptyAutocompleteAsync(CancellationToken cancellationToken) =>
        FirstAsync(new JsonObject { ["type"] = 8, ["data"] = new JsonObject { ["choices"] = new JsonArray() } }, false, cancellationToken);

    public bool CanOpenModal =>
        !Acknowledged && Interaction.Type is (int)InteractionType.ApplicationCommand or (int)InteractionType.MessageComponent;

    /// <summary>An interaction left without any visible answer still needs one, or Discord shows an error.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        if (!Acknowledged)
        {
            if (IsComponent) await FirstAsync(new JsonObject { ["type"] = 6 }, false, cancellationToken).ConfigureAwait(false);
            else await MessageAsync(new JsonObject { ["content"] = "Done." }, ephemeral: true, cancellationToken).ConfigureAwait(false);
        }
        else if (Deferred && !OriginalWritten && !IsComponent && Interaction.MessageId is null)
            await EditOriginalAsync(new JsonObject { ["content"] = "Done." }, cancellationToken).ConfigureAwait(false);
    }

    private async Task FirstAsync(JsonObject callback, bool deferral, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Acknowledged) return;
            Acknowledged = true;
            Deferred = deferral;
            await initial.RespondAsync(Interaction, callback, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task EditOriginalAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var appId = await ApplicationIdAsync(cancellationToken).ConfigureAwait(false);
        await rest.SendAsync(DiscordRoutes.EditOriginalResponse(appId, Interaction.Token), body, cancellationToken).ConfigureAwait(false);
        OriginalWritten = true;
    }

    private async Task FollowUpAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var appId = await ApplicationIdAsync(cancellationToken).ConfigureAwait(false);
        await rest.SendAsync(DiscordRoutes.CreateFollowUp(appId, Interaction.Token), body, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> ApplicationIdAsync(CancellationToken cancellationToken) =>
        Interaction.ApplicationId ?? application.Id ?? await application.WaitAsync(cancellationToken).ConfigureAwait(false);
}
