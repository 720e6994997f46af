using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Platforms.Slack.Rendering;

/// <summary>What a modal must remember until it is submitted (Slack keeps no session: it travels in private_metadata).</summary>
public sealed record FormContext(string FormId, string? ChannelId, string? ResponseUrl);

/// <summary>
/// A Core <see cref="Form"/> as a Slack modal and back: one input block per field with block_id = field name (so
/// errors can be shown inline), text inputs, a static_select for choices and yes/no, a datepicker plus a
/// "not said" checkbox for dates.
/// </summary>
public static class FormModal
{
    public const string CallbackId = "followupbot-form";
    public const string NotSaid = "not said";

    /// <summary>Suffix of the block holding a date field's "not said" checkbox.</summary>
    public const string NotSaidSuffix = "--not-said";

    private const int MaxTitle = 24;
    private const int MaxLabel = 2000;
    private const int MaxHint = 2000;
    private const int MaxTextInput = 3000;
    private const int MaxOptions = 100;
    private const int MaxOptionText = 75;
    private const int MaxOptionValue = 150;
    private const int MaxPrivateMetadata = 3000;

    public static JsonObject View(Form form, FormContext context)
    {
        var blocks = new JsonArray();
        if (!string.IsNullOrWhiteSpace(form.Intro))
            blocks.Add(new JsonObject { ["type"] = "section", ["text"] = BlockKit.Mrkdwn(BlockKit.Cut(BlockKit.Escape(form.Intro), BlockKit.MaxSectionText)) });

        foreach (var field in form.Fields)
        {
            if (field.Error is not null)
                blocks.Add(new JsonObject
                {
                    ["type"] = "context",
                    ["elements"] = new JsonArray(BlockKit.Mrkdwn(BlockKit.Cut($":warning: {BlockKit.Escape(field.Error)}", BlockKit.MaxSectionText))),
                });
            blocks.Add(Input(field));
            if (field.Kind == FormFieldKind.Date) blocks.Add(NotSaidBox(field));
        }

        return new JsonObject
        {
            ["type"] = "modal",
            ["callback_id"] = CallbackId,
            ["private_metadata"] = Metadata(context),
            ["title"] = BlockKit.PlainText(form.Title, MaxTitle),
            ["submit"] = BlockKit.PlainText("Save", MaxTitle),
            ["close"] = BlockKit.PlainText("Cancel", MaxTitle),
            ["blocks"] = blocks,
        };
    }

    /// <summary>The block ids of a view's input blocks (where inline errors may go).</summary>
    public static IReadOnlySet<string> InputBlockIds(JsonElement view)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (view.TryGetProperty("blocks", out var blocks) && blocks.ValueKind == JsonValueKind.Array)
            foreach (var block in blocks.EnumerateArray())
                if (block.ValueKind == JsonValueKind.Object && Str(block, "type") == "input" && Str(block, "block_id") is { } id)
                    ids.Add(id);
        return ids;
    }

    /// <summary>
    /// The answers in a view's <c>state.values</c>, by field name. Tolerates Slack sending <c>[]</c> for no values
    /// and ignores anything it does not recognise.
    /// </summary>
    public static Dictionary<string, string> Values(JsonElement view)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!view.TryGetProperty("state", out var state) || state.ValueKind != JsonValueKind.Object
            || !state.TryGetProperty("values", out var byBlock) || byBlock.ValueKind != JsonValueKind.Object)
            return values;

        var notSaid = new HashSet<string>(StringComparer.Ordinal);
        foreach (var block in byBlock.EnumerateObject())
        {
            if (block.Value.ValueKind != JsonValueKind.Object) continue;
            foreach (var action in block.Value.EnumerateObject())
            {
                if (action.Value.ValueKind != JsonValueKind.Object) continue;
                if (block.Name.EndsWith(NotSaidSuffix, StringComparison.Ordinal))
                {
                    if (action.Value.TryGetProperty("selected_options", out var boxes) && boxes.ValueKind == JsonValueKind.Array
                        && boxes.GetArrayLength() > 0)
                        notSaid.Add(block.Name[..^NotSaidSuffix.Length]);
                }
                else if (ValueOf(action.Value) is { } value)
                {
                    values[block.Name] = value;
                }
                break;
            }
        }
        // A picked date wins over a ticked "not said": the member did the more specific thing.
        foreach (var field in notSaid)
            if (!values.TryGetValue(field, out var date) || date.Length == 0) values[field] = NotSaid;
        return values;
    }

    public static FormContext? ReadMetadata(string? privateMetadata)
    {
        if (string.IsNullOrEmpty(privateMetadata)) return null;
        try
        {
            using var doc = JsonDocument.Parse(privateMetadata);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Str(root, "form") is not { Length: > 0 } formId) return null;
            return new FormContext(formId, Str(root, "channel"), Str(root, "response_url"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Metadata(FormContext context)
    {
        var json = new JsonObject { ["form"] = context.FormId, ["channel"] = context.ChannelId, ["response_url"] = context.ResponseUrl }.ToJsonString();
        // Without the response_url a reply after submit goes by DM instead; the form id must always fit.
        return json.Length <= MaxPrivateMetadata ? json : new JsonObject { ["form"] = context.FormId, ["channel"] = context.ChannelId }.ToJsonString();
    }

    private static JsonObject Input(FormField field)
    {
        var block = new JsonObject
        {
            ["type"] = "input",
            ["block_id"] = field.Name,
            ["label"] = BlockKit.PlainText(field.Label, MaxLabel),
            // A date may be left empty in favour of "not said"; the engine decides what is really required.
            ["optional"] = !field.Required || field.Kind == FormFieldKind.Date,
            ["element"] = Element(field),
        };
        if (!string.IsNullOrWhiteSpace(field.Hint)) block["hint"] = BlockKit.PlainText(field.Hint, MaxHint);
        return block;
    }

    private static JsonObject Element(FormField field)
    {
        switch (field.Kind)
        {
            case FormFieldKind.Choice:
            case FormFieldKind.YesNo:
                var choices = field.Kind == FormFieldKind.YesNo
                    ? [new FormChoice("yes", "Yes"), new FormChoice("no", "No")]
                    : (field.Choices ?? []).Where(c => c.Value.Length is > 0 and <= MaxOptionValue).Take(MaxOptions).ToList();
                var options = new JsonArray(choices.Select(c => (JsonNode)Option(c)).ToArray());
                var select = new JsonObject
                {
                    ["type"] = "static_select",
                    ["action_id"] = field.Name,
                    ["placeholder"] = BlockKit.PlainText("Choose", 150),
                    ["options"] = options,
                };
                if (choices.FirstOrDefault(c => string.Equals(c.Value, field.Value, StringComparison.OrdinalIgnoreCase)) is { } chosen)
                    select["initial_option"] = Option(chosen);
                return select;
            case FormFieldKind.Date:
                var picker = new JsonObject { ["type"] = "datepicker", ["action_id"] = field.Name };
                if (DateOnly.TryParseExact(field.Value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    picker["initial_date"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                return picker;
            default:
                var max = Math.Clamp(field.MaxLength, 1, MaxTextInput);
                var input = new JsonObject { ["type"] = "plain_text_input", ["action_id"] = field.Name, ["max_length"] = max };
                if (field.Kind == FormFieldKind.LongText) input["multiline"] = true;
                if (!string.IsNullOrEmpty(field.Value)) input["initial_value"] = BlockKit.Cut(field.Value, max);
                return input;
        }
    }

    private static JsonObject NotSaidBox(FormField field)
    {
        var option = Option(new FormChoice(NotSaid, "Not said"));
        var box = new JsonObject
        {
            ["type"] = "checkboxes",
            ["action_id"] = field.Name + NotSaidSuffix,
            ["options"] = new JsonArray(option),
        };
        if (string.Equals(field.Value?.Trim(), NotSaid, StringComparison.OrdinalIgnoreCase))
            box["initial_options"] = new JsonArray(Option(new FormChoice(NotSaid, "Not said")));
        return new JsonObject
        {
            ["type"] = "input",
            ["block_id"] = field.Name + NotSaidSuffix,
            ["label"] = BlockKit.PlainText("…or they did not say", MaxLabel),
            ["optional"] = true,
            ["element"] = box,
        };
    }

    private static JsonObject Option(FormChoice choice) => new()
    {
        ["text"] = BlockKit.PlainText(choice.Label, MaxOptionText),
        ["value"] = choice.Value,
    };

    private static string? ValueOf(JsonElement action) => Str(action, "type") switch
    {
        "plain_text_input" => Str(action, "value") ?? "",
        "static_select" or "radio_buttons" => action.TryGetProperty("selected_option", out var o) && o.ValueKind == JsonValueKind.Object
            ? Str(o, "value") ?? "" : "",
        "datepicker" => Str(action, "selected_date") ?? "",
        _ => null,
    };

    internal static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString() : null;
}
