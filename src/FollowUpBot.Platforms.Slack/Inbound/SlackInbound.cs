using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Ports;
using FollowUpBot.Platforms.Slack.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Slack.Inbound;

/// <summary>
/// What Slack delivers, by Socket Mode envelope or HTTP request alike, translated to engine events. Each call
/// returns the ack payload no later than <see cref="SlackOptions.AckBudget"/>: the engine's answer when it is that
/// quick (a command reply, a modal's inline errors), otherwise nothing, and the answer follows by response_url.
/// Malformed payloads are logged and acked empty; they never reach the engine.
/// </summary>
public sealed class SlackInbound(
    IConversationEngine engine,
    SlackMembers members,
    SlackResponder responder,
    RedeliveryFilter redeliveries,
    FatalStop fatalStop,
    IOptions<SlackOptions> options,
    TransportClock time,
    IServiceProvider services,
    ILogger<SlackInbound> logger)
{
    private const string Platform = "slack";

    // The shared record of handled interactions; absent when the adapter runs without the bot's storage.
    private readonly IHandledInteractions? _handled = services.GetService<IHandledInteractions>();

    public const string SlashCommands = "slash_commands";
    public const string Interactive = "interactive";
    public const string EventsApi = "events_api";

    private readonly BackgroundWork _running = new(); // answers still going out after the ack
    private readonly CancellationTokenSource _shutdown = new();

    /// <summary>
    /// Handles one delivery; <paramref name="deliveryId"/> (the envelope id) is the fallback redelivery key. When
    /// <paramref name="ackCarriesPayload"/> is false (Socket Mode's accepts_response_payload), every answer goes by
    /// response_url or the Web API instead. <paramref name="retryAttempt"/> is Slack's count of earlier deliveries
    /// whose ack did not arrive in time (Socket Mode's retry_attempt).
    /// </summary>
    public async Task<JsonObject?> ReceiveAsync(string kind, JsonElement payload, string? deliveryId, bool ackCarriesPayload,
        int retryAttempt, CancellationToken cancellationToken)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            logger.DeliveryWithoutPayload(kind);
            return null;
        }
        var key = Str(payload, "event_id") ?? Str(payload, "trigger_id") ?? deliveryId;
        if (key is not null && !redeliveries.IsFirst(key))
        {
            logger.RedeliveryAlreadyHandled(kind, key);
            return null;
        }
        var interactionKey = kind is SlashCommands or Interactive ? InteractionKeyOf(kind, payload, deliveryId) : null;
        if (retryAttempt > 0 && kind is SlashCommands or Interactive)
        {
            // The first delivery reached one of this app's connections, possibly on another instance, which may have
            // died before its ack. Its effects and its key were committed together or not at all: the key says whether
            // it ran. Events are safe to repeat and always go through.
            if (_handled is null || interactionKey is null)
            {
                logger.RedeliveryNotRunWithoutRecord(kind, key ?? "(no key)", retryAttempt);
                return null;
            }
            if (await _handled.IsHandledAsync(Platform, interactionKey, cancellationToken).ConfigureAwait(false))
            {
                logger.RedeliveryRanAlready(kind, interactionKey, retryAttempt);
                return null;
            }
            logger.RedeliveryRunsNow(kind, interactionKey, retryAttempt);
        }

        // The work started below (Task.Run) carries the key with it: storage writes it with the effects.
        using var scope = interactionKey is null ? null : InteractionKey.Enter(Platform, interactionKey, time.GetUtcNow());
        try
        {
            return kind switch
            {
                SlashCommands => await SlashCommandAsync(payload, ackCarriesPayload).ConfigureAwait(false),
                Interactive => await InteractionAsync(payload, ackCarriesPayload).ConfigureAwait(false),
                EventsApi => Event(payload),
                _ => Ignore($"a delivery of type {kind}"),
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or FormatException)
        {
            logger.MalformedPayload(kind, ex.Message);
            return null;
        }
    }

    /// <summary>
    /// What identifies one delivery of a command or interaction whatever connection, instance or attempt it arrives
    /// on: its trigger_id (new for each press or command a member makes, so a deliberate retry runs again). A slash
    /// command without one is named by team, user, command, text and the minute it arrived.
    /// </summary>
    private string? InteractionKeyOf(string kind, JsonElement payload, string? deliveryId)
    {
        if (Str(payload, "trigger_id") is { Length: > 0 } trigger) return "trigger:" + trigger;
        if (kind == SlashCommands)
        {
            var now = time.GetUtcNow();
            var minute = now.ToUnixTimeSeconds() / 60;
            var identity = string.Join('\n', Str(payload, "team_id"), Str(payload, "user_id"), Str(payload, "command"), Str(payload, "text"),
                minute.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return "command:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32];
        }
        return deliveryId is null ? null : "envelope:" + deliveryId;
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) for answers still being delivered, at shutdown.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        try
        {
            await _running.DrainAsync().WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _shutdown.Cancel();
        }
    }

    private async Task<JsonObject?> SlashCommandAsync(JsonElement payload, bool ackCarriesPayload)
    {
        var teamId = Required(payload, "team_id");
        var userId = Required(payload, "user_id");
        var command = Required(payload, "command");
        var origin = new SlackOrigin(teamId, userId, Str(payload, "channel_id"), Str(payload, "response_url"), Str(payload, "trigger_id"));

        var work = Start(async cancellationToken =>
        {
            var from = await members.ContextAsync(teamId, userId, cancellationToken).ConfigureAwait(false);
            // Slack hands over "/interview" and "done company:..." apart; Core's parser reads them as typed.
            if (!CommandText.TryParse(command, SlackCommandText.Unescape(Str(payload, "text")), from, out var parsed, out var error))
                return [new Reply(new Message(error ?? "I didn't understand that command. Try /followup help."))];
            if (CoachChannelProblem(parsed!) is { } problem) return [new Reply(new Message(problem))];
            return await engine.HandleAsync(parsed!, cancellationToken).ConfigureAwait(false);
        });

        var actions = ackCarriesPayload ? await WithinBudgetAsync(work).ConfigureAwait(false) : null;
        if (actions is null)
        {
            Continue(work, origin);
            return null;
        }
        // The first reply rides on the ack; forms and anything else go out at once (the trigger is 3 s old at most).
        var first = actions.OfType<Reply>().FirstOrDefault();
        var rest = actions.Where(a => !ReferenceEquals(a, first)).ToList();
        if (rest.Count > 0) _running.Track(responder.RenderAsync(rest, origin, _shutdown.Token));
        return first is null ? null : SlackResponder.ReplyPayload(first.Message, first.Ephemeral);
    }

    /// <summary>
    /// Digests are posted by channel id; a channel typed as plain text ("#career-room" that Slack did not turn into a
    /// channel reference) cannot be posted to, so the coach hears how to pick it before anything is stored.
    /// </summary>
    private static string? CoachChannelProblem(SlashCommand command)
    {
        if (command.Name != CommandCatalog.CohortCreate || !command.From.IsCoach) return null;
        if (!command.Options.TryGetValue("channel", out var channel)) return null;
        var typed = channel.Trim().TrimStart('#');
        if (typed.Length == 0 || SlackIds.IsChannelId(typed)) return null;
        return $"I can't find the channel \"#{BlockKit.Cut(typed, 80)}\" on Slack. Type # and pick the channel from Slack's list " +
               "(so it turns into a link), for example: /cohort create name:\"Fall 2026\" channel:#career-room. " +
               "For a private channel, invite me to it first (/invite @FollowUpBot). Nothing was created.";
    }

    private async Task<JsonObject?> InteractionAsync(JsonElement payload, bool ackCarriesPayload)
    {
        return Str(payload, "type") switch
        {
            "block_actions" => BlockActions(payload),
            "view_submission" => await ViewSubmissionAsync(payload, ackCarriesPayload).ConfigureAwait(false),
            "view_closed" => null,
            var other => Ignore($"an interaction of type {other ?? "(none)"}"),
        };
    }

    private JsonObject? BlockActions(JsonElement payload)
    {
        var user = Object(payload, "user");
        var userId = Required(user, "id");
        var teamId = TeamOf(payload, user);
        if (!payload.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array || actions.GetArrayLength() == 0)
            throw new InvalidOperationException("block_actions without actions");
        var action = actions[0];
        var buttonId = Required(action, "action_id");

        string? channel = null, ts = null;
        var ephemeral = false;
        if (payload.TryGetProperty("container", out var container) && container.ValueKind == JsonValueKind.Object)
        {
            channel = Str(container, "channel_id");
            ts = Str(container, "message_ts");
            ephemeral = container.TryGetProperty("is_ephemeral", out var e) && e.ValueKind == JsonValueKind.True;
        }
        channel ??= payload.TryGetProperty("channel", out var ch) && ch.ValueKind == JsonValueKind.Object ? Str(ch, "id") : null;
        var origin = new SlackOrigin(teamId, userId, channel, Str(payload, "response_url"), Str(payload, "trigger_id"), ts, ephemeral);

        // Nothing rides on a block_actions ack: ack now, answer by chat.update / response_url / views.open.
        Continue(Start(async cancellationToken =>
        {
            var from = await members.ContextAsync(teamId, userId, cancellationToken).ConfigureAwait(false);
            return await engine.HandleAsync(new ButtonPressed(from, buttonId), cancellationToken).ConfigureAwait(false);
        }), origin);
        return null;
    }

    private async Task<JsonObject?> ViewSubmissionAsync(JsonElement payload, bool ackCarriesPayload)
    {
        var user = Object(payload, "user");
        var userId = Required(user, "id");
        var teamId = TeamOf(payload, user);
        var view = Object(payload, "view");
        var context = FormModal.ReadMetadata(Str(view, "private_metadata"));
        if (context is null)
        {
            // Not one of ours (or tampered with): close it with nothing stored.
            logger.ViewWithoutFormId();
            return null;
        }
        var values = FormModal.Values(view);
        var inputBlocks = FormModal.InputBlockIds(view);
        var origin = new SlackOrigin(teamId, userId, context.ChannelId, context.ResponseUrl, Str(payload, "trigger_id"));

        var work = Start(async cancellationToken =>
        {
            var from = await members.ContextAsync(teamId, userId, cancellationToken).ConfigureAwait(false);
            return await engine.HandleAsync(new FormSubmitted(from, context.FormId, values), cancellationToken).ConfigureAwait(false);
        });
        var actions = ackCarriesPayload ? await WithinBudgetAsync(work).ConfigureAwait(false) : null;
        if (actions is null)
        {
            Continue(work, origin);
            return null;
        }

        var form = actions.OfType<ShowForm>().FirstOrDefault();
        var rest = actions.Where(a => !ReferenceEquals(a, form)).ToList();
        if (rest.Count > 0) _running.Track(responder.RenderAsync(rest, origin, _shutdown.Token));
        if (form is null) return null; // closes the modal

        var errors = form.Form.Fields.Where(f => f.Error is not null).ToList();
        if (errors.Count > 0 && errors.All(f => inputBlocks.Contains(f.Name)))
        {
            var byBlock = new JsonObject();
            foreach (var field in errors) byBlock[field.Name] = BlockKit.Cut(field.Error!, 2000);
            return new JsonObject { ["response_action"] = "errors", ["errors"] = byBlock };
        }
        return new JsonObject
        {
            ["response_action"] = "update",
            ["view"] = FormModal.View(form.Form, context with { FormId = form.Form.Id }),
        };
    }

    private JsonObject? Event(JsonElement payload)
    {
        var type = payload.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.Object ? Str(e, "type") : null;
        if (type is "tokens_revoked" or "app_uninstalled")
            fatalStop.Stop($"Slack reports {type}: this app's tokens no longer work in the workspace. Reinstall the app and update Slack:BotToken.");
        else
            logger.EventIgnored(type ?? "(none)");
        return null;
    }

    private JsonObject? Ignore(string what)
    {
        logger.NothingToDo(what);
        return null;
    }

    private Task<IReadOnlyList<OutboundAction>> Start(Func<CancellationToken, Task<IReadOnlyList<OutboundAction>>> work)
    {
        return _running.Run(() => work(_shutdown.Token));
    }

    /// <summary>The engine's answer if it comes within the ack budget, else null (and the work goes on).</summary>
    private async Task<IReadOnlyList<OutboundAction>?> WithinBudgetAsync(Task<IReadOnlyList<OutboundAction>> work)
    {
        try
        {
            return await work.WaitAsync(options.Value.AckBudget).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
        catch (Exception ex)
        {
            logger.InteractionFailed(ex);
            return [new Reply(new Message("Sorry, something went wrong on my side. Please try again in a moment."))];
        }
    }

    /// <summary>Renders the actions when the work finishes (after the ack went out).</summary>
    private void Continue(Task<IReadOnlyList<OutboundAction>> work, SlackOrigin origin) => _running.Track(ContinueAsync(work, origin));

    private async Task ContinueAsync(Task<IReadOnlyList<OutboundAction>> work, SlackOrigin origin)
    {
        IReadOnlyList<OutboundAction> actions;
        try
        {
            actions = await work.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception ex)
        {
            logger.InteractionFailed(ex);
            actions = [new Reply(new Message("Sorry, something went wrong on my side. Please try again in a moment."))];
        }
        await responder.RenderAsync(actions, origin, _shutdown.Token).ConfigureAwait(false);
    }

    private static string TeamOf(JsonElement payload, JsonElement user) =>
        (payload.TryGetProperty("team", out var team) && team.ValueKind == JsonValueKind.Object ? Str(team, "id") : null)
        ?? Str(user, "team_id")
        ?? throw new InvalidOperationException("no team id");

    private static JsonElement Object(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value : throw new InvalidOperationException($"no {name} object");

    private static string Required(JsonElement parent, string name) =>
        Str(parent, name) is { Length: > 0 } value ? value : throw new InvalidOperationException($"no {name}");

    private static string? Str(JsonElement element, string name) => FormModal.Str(element, name);
}
