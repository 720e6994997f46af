using System.Text.Json.Nodes;

namespace FollowUpBot.Testing.Slack;

// Payloads shaped as Slack sends them (slack.md sections 2 and 3), with fresh trigger ids and response_urls.
public sealed partial class FakeSlack
{
    public JsonObject SlashCommand(string userId, string command, string text, string channel = "C1") => new()
    {
        ["token"] = "deprecated-verification-token",
        ["team_id"] = TeamId,
        ["team_domain"] = "fake",
        ["channel_id"] = channel,
        ["channel_name"] = "job-hunt",
        ["user_id"] = userId,
        ["user_name"] = userId.ToLowerInvariant(),
        ["command"] = command,
        ["text"] = text,
        ["api_app_id"] = "A0FAKE",
        ["is_enterprise_install"] = "false",
        ["response_url"] = NewResponseUrl(),
        ["trigger_id"] = NewTriggerId(),
    };

    /// <summary>A click on the button with <paramref name="actionId"/> of <paramref name="message"/>, by <paramref name="userId"/>.</summary>
    public JsonObject BlockAction(string userId, PostedMessage message, string actionId)
    {
        var button = message.Blocks?.OfType<JsonObject>().Where(b => (string?)b["type"] == "actions")
            .SelectMany(b => b["elements"]!.AsArray().OfType<JsonObject>().Select(e => (Block: b, Element: e)))
            .FirstOrDefault(p => (string?)p.Element["action_id"] == actionId)
            ?? throw new InvalidOperationException($"The message has no button {actionId}.");
        var responseUrl = NewResponseUrl();
        _responseUrlMessages[responseUrl[(responseUrl.LastIndexOf('/') + 1)..]] = message;
        return new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = userId, ["username"] = userId.ToLowerInvariant(), ["team_id"] = TeamId },
            ["team"] = new JsonObject { ["id"] = TeamId, ["domain"] = "fake" },
            ["api_app_id"] = "A0FAKE",
            ["trigger_id"] = NewTriggerId(),
            ["container"] = new JsonObject
            {
                ["type"] = "message", ["message_ts"] = message.Ts, ["channel_id"] = message.Channel, ["is_ephemeral"] = false,
            },
            ["channel"] = new JsonObject { ["id"] = message.Channel, ["name"] = "directmessage" },
            ["message"] = new JsonObject { ["type"] = "message", ["ts"] = message.Ts, ["text"] = message.Text },
            ["response_url"] = responseUrl,
            ["state"] = new JsonObject { ["values"] = new JsonObject() },
            ["actions"] = new JsonArray(new JsonObject
            {
                ["action_id"] = actionId,
                ["block_id"] = button.Block["block_id"]?.DeepClone(),
                ["type"] = "button",
                ["value"] = button.Element["value"]?.DeepClone(),
                ["text"] = button.Element["text"]?.DeepClone(),
                ["action_ts"] = NextTs(),
            }),
        };
    }

    /// <summary>
    /// Submits <paramref name="view"/> with <paramref name="answers"/> by block_id: the text typed, the option value
    /// chosen, the date picked (YYYY-MM-DD) or, for checkboxes, the value of the box ticked. Unanswered inputs are
    /// null, as Slack sends them.
    /// </summary>
    public JsonObject ViewSubmission(string userId, OpenedView view, IReadOnlyDictionary<string, string> answers)
    {
        var values = new JsonObject();
        foreach (var block in view.View["blocks"]!.AsArray().OfType<JsonObject>().Where(b => (string?)b["type"] == "input"))
        {
            var blockId = (string)block["block_id"]!;
            var element = (JsonObject)block["element"]!;
            var type = (string)element["type"]!;
            var answer = answers.GetValueOrDefault(blockId);
            var state = new JsonObject { ["type"] = type };
            switch (type)
            {
                case "plain_text_input":
                    state["value"] = answer;
                    break;
                case "datepicker":
                    state["selected_date"] = answer;
                    break;
                case "static_select":
                    state["selected_option"] = answer is null ? null
                        : element["options"]!.AsArray().OfType<JsonObject>().FirstOrDefault(o => (string?)o["value"] == answer)?.DeepClone()
                          ?? throw new InvalidOperationException($"{blockId} has no option {answer}.");
                    break;
                case "checkboxes":
                    state["selected_options"] = new JsonArray(element["options"]!.AsArray().OfType<JsonObject>()
                        .Where(o => (string?)o["value"] == answer).Select(o => (JsonNode)o.DeepClone()).ToArray());
                    break;
            }
            values[blockId] = new JsonObject { [(string)element["action_id"]!] = state };
        }

        return new JsonObject
        {
            ["type"] = "view_submission",
            ["team"] = new JsonObject { ["id"] = TeamId, ["domain"] = "fake" },
            ["user"] = new JsonObject { ["id"] = userId, ["username"] = userId.ToLowerInvariant(), ["team_id"] = TeamId },
            ["api_app_id"] = "A0FAKE",
            ["trigger_id"] = NewTriggerId(),
            ["view"] = new JsonObject
            {
                ["id"] = view.ViewId,
                ["team_id"] = TeamId,
                ["type"] = "modal",
                ["blocks"] = view.View["blocks"]!.DeepClone(),
                ["callback_id"] = view.View["callback_id"]?.DeepClone(),
                ["private_metadata"] = view.View["private_metadata"]?.DeepClone() ?? "",
                ["hash"] = "1700000000.abcdef",
                ["root_view_id"] = view.ViewId,
                ["state"] = new JsonObject { ["values"] = values },
            },
        };
    }

    /// <summary>
    /// A click on a button of an ephemeral answer (a slash command's reply, which lives in no channel history): the
    /// returned message stands for it on the member's screen and records the replacement sent to the response_url.
    /// </summary>
    public (JsonObject Payload, PostedMessage Shown) EphemeralBlockAction(string userId, JsonObject answer, string actionId, string channel = "C1")
    {
        var shown = new PostedMessage(channel, NextTs(), (string?)answer["text"], answer["blocks"]?.DeepClone().AsArray(), null);
        var payload = BlockAction(userId, shown, actionId);
        payload["container"]!["is_ephemeral"] = true;
        return (payload, shown);
    }
}
