using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace FollowUpBot.Testing.Slack;

// Block Kit limits from Slack's reference pages, checked the way Slack would reject a payload.
public sealed partial class FakeSlack
{
    /// <summary>Why the fake rejected blocks or a view (Slack only says invalid_blocks / invalid_arguments).</summary>
    public ConcurrentQueue<string> Problems { get; } = new();

    private string? ViewProblem(JsonObject view)
    {
        string? Fail(string why)
        {
            Problems.Enqueue("view: " + why);
            return "invalid_arguments";
        }

        if ((string?)view["type"] != "modal") return Fail("type must be modal");
        if (PlainText(view["title"], 24) is { } t) return Fail("title " + t);
        if (view["close"] is not null && PlainText(view["close"], 24) is { } c) return Fail("close " + c);
        if (view["submit"] is not null && PlainText(view["submit"], 24) is { } s) return Fail("submit " + s);
        if (view["callback_id"]?.ToString() is { Length: > 255 }) return Fail("callback_id too long");
        if (view["private_metadata"]?.ToString() is { Length: > 3000 }) return Fail("private_metadata too long");
        if (view["blocks"] is not JsonArray blocks) return Fail("no blocks");
        if (blocks.OfType<JsonObject>().Any(b => (string?)b["type"] == "input") && view["submit"] is null)
            return Fail("input blocks need submit");
        return BlockProblem(blocks, maxBlocks: 100) is null ? null : "invalid_arguments";
    }

    private string? BlockProblem(JsonArray blocks, int maxBlocks)
    {
        string? Fail(string why)
        {
            Problems.Enqueue(why);
            return "invalid_blocks";
        }

        if (blocks.Count > maxBlocks) return Fail($"more than {maxBlocks} blocks");
        var blockIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in blocks)
        {
            // Slack: an action_id must be unique among the action_ids of its block.
            var actionIds = new HashSet<string>(StringComparer.Ordinal);
            if (node is not JsonObject block) return Fail("block is not an object");
            if (block["block_id"]?.ToString() is { } blockId && (blockId.Length > 255 || !blockIds.Add(blockId)))
                return Fail($"block_id {blockId} too long or repeated");
            switch ((string?)block["type"])
            {
                case "section":
                    if (TextObject(block["text"], 3000) is { } st) return Fail("section text " + st);
                    break;
                case "header":
                    if (PlainText(block["text"], 150) is { } ht) return Fail("header " + ht);
                    break;
                case "divider":
                    break;
                case "context":
                    if (block["elements"] is not JsonArray { Count: > 0 and <= 10 } ctx) return Fail("context needs 1-10 elements");
                    foreach (var e in ctx)
                        if (TextObject(e, 3000) is { } ce) return Fail("context element " + ce);
                    break;
                case "actions":
                    if (block["elements"] is not JsonArray { Count: > 0 and <= 25 } elements) return Fail("actions needs 1-25 elements");
                    foreach (var e in elements)
                        if (ElementProblem(e as JsonObject, actionIds) is { } ep) return Fail(ep);
                    break;
                case "input":
                    if (PlainText(block["label"], 2000) is { } lt) return Fail("input label " + lt);
                    if (block["hint"] is not null && PlainText(block["hint"], 2000) is { } hint) return Fail("hint " + hint);
                    if (ElementProblem(block["element"] as JsonObject, actionIds) is { } ie) return Fail(ie);
                    break;
                default:
                    return Fail($"unknown block type {(string?)block["type"]}");
            }
        }
        return null;
    }

    private static string? ElementProblem(JsonObject? element, HashSet<string> actionIds)
    {
        if (element is null) return "element missing";
        var actionId = element["action_id"]?.ToString();
        if (actionId is not null && (actionId.Length > 255 || !actionIds.Add(actionId))) return $"action_id {actionId} too long or repeated";
        if (element["placeholder"] is not null && PlainText(element["placeholder"], 150) is { } p) return "placeholder " + p;
        switch ((string?)element["type"])
        {
            case "button":
                if (PlainText(element["text"], 75) is { } bt) return "button text " + bt;
                if (element["value"]?.ToString() is { Length: > 2000 }) return "button value too long";
                if (element["style"]?.ToString() is { } style && style is not ("primary" or "danger")) return $"button style {style}";
                return null;
            case "plain_text_input":
                var max = element["max_length"] is { } m ? (int)m : 3000;
                if (max is < 1 or > 3000) return "max_length out of range";
                if (element["initial_value"]?.ToString() is { } iv && iv.Length > max) return "initial_value longer than max_length";
                return null;
            case "static_select":
                if (element["options"] is not JsonArray { Count: > 0 and <= 100 } options) return "select needs 1-100 options";
                foreach (var o in options)
                    if (OptionProblem(o) is { } op) return op;
                if (element["initial_option"] is JsonObject initial
                    && !options.Any(o => (string?)o!["value"] == (string?)initial["value"]))
                    return "initial_option not among options";
                return null;
            case "checkboxes":
                if (element["options"] is not JsonArray { Count: > 0 and <= 10 } boxes) return "checkboxes need 1-10 options";
                foreach (var o in boxes)
                    if (OptionProblem(o) is { } cp) return cp;
                return null;
            case "datepicker":
                if (element["initial_date"]?.ToString() is { } date
                    && !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                    return "initial_date not YYYY-MM-DD";
                return null;
            default:
                return $"unsupported element {(string?)element["type"]}";
        }
    }

    private static string? OptionProblem(JsonNode? option)
    {
        if (option is not JsonObject o) return "option not an object";
        if (TextObject(o["text"], 75) is { } t) return "option text " + t;
        if (o["value"]?.ToString() is not { Length: > 0 and <= 150 }) return "option value must be 1-150 characters";
        return null;
    }

    private static string? PlainText(JsonNode? node, int max)
    {
        if (node is not JsonObject o || (string?)o["type"] != "plain_text") return "must be plain_text";
        return TextObject(node, max);
    }

    private static string? TextObject(JsonNode? node, int max)
    {
        if (node is not JsonObject o || (string?)o["type"] is not ("plain_text" or "mrkdwn")) return "must be a text object";
        var text = (string?)o["text"];
        if (string.IsNullOrEmpty(text)) return "is empty";
        return text.Length > max ? $"longer than {max}" : null;
    }
}
