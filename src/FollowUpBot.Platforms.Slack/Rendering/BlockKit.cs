using System.Globalization;
using System.Text.Json.Nodes;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Platforms.Slack.Rendering;

/// <summary>
/// Platform-neutral messages as Block Kit: a mrkdwn section plus an actions block of buttons whose action_id is the
/// engine's button id. Lengths are cut to Block Kit's limits so Slack never rejects a message for size.
/// </summary>
public static class BlockKit
{
    internal const int MaxSectionText = 3000;
    internal const int MaxButtonText = 75;
    internal const int MaxActionId = 255;
    internal const int MaxButtonsPerBlock = 25;

    /// <summary>chat.postMessage / chat.update / response_url arguments: text fallback plus blocks.</summary>
    public static JsonObject MessageBody(Message message)
    {
        var body = new JsonObject { ["text"] = message.Text };
        var blocks = Blocks(message);
        if (blocks.Count > 0) body["blocks"] = blocks;
        return body;
    }

    public static JsonArray Blocks(Message message)
    {
        var blocks = new JsonArray();
        foreach (var chunk in Chunks(Escape(message.Text), MaxSectionText))
            blocks.Add(new JsonObject { ["type"] = "section", ["text"] = Mrkdwn(chunk) });

        var buttons = message.Buttons.Where(b => b.Id.Length is > 0 and <= MaxActionId)
            .DistinctBy(b => b.Id, StringComparer.Ordinal).ToList();
        for (var i = 0; i < buttons.Count; i += MaxButtonsPerBlock)
        {
            var elements = new JsonArray();
            foreach (var button in buttons.Skip(i).Take(MaxButtonsPerBlock)) elements.Add(Button(button));
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["block_id"] = i == 0 ? "buttons" : $"buttons-{(i / MaxButtonsPerBlock) + 1}",
                ["elements"] = elements,
            });
        }
        return blocks;
    }

    private static JsonObject Button(Button button)
    {
        var element = new JsonObject
        {
            ["type"] = "button",
            ["text"] = PlainText(button.Label, MaxButtonText),
            ["action_id"] = button.Id,
            ["value"] = button.Id,
        };
        // Slack knows only primary and danger; anything else is its default look.
        var style = button.Style switch
        {
            ButtonStyle.Primary or ButtonStyle.Success => "primary",
            ButtonStyle.Danger => "danger",
            _ => null,
        };
        if (style is not null) element["style"] = style;
        return element;
    }

    internal static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    internal static JsonObject PlainText(string text, int max) =>
        new() { ["type"] = "plain_text", ["text"] = Cut(string.IsNullOrWhiteSpace(text) ? "-" : text, max), ["emoji"] = true };

    /// <summary>Slack's mrkdwn treats &amp;, &lt; and &gt; as control characters; the engine's text is plain.</summary>
    internal static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    internal static string Cut(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    private static IEnumerable<string> Chunks(string text, int size)
    {
        if (text.Length == 0) yield break;
        for (var i = 0; i < text.Length; i += size) yield return text.Substring(i, Math.Min(size, text.Length - i));
    }

    internal static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
