using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Platforms.Discord.Interactions;

/// <summary>
/// Core messages as Discord message bodies: content within 2,000 characters, buttons in action rows, and structured
/// content (title and sections) as embeds (<see cref="DiscordEmbeds"/>).
/// </summary>
public static partial class DiscordMessages
{
    public const int MaxContent = 2000;
    public const int EphemeralFlag = 1 << 6;
    private const int ButtonsPerRow = 5;
    private const int MaxRows = 5;

    /// <summary>
    /// The bodies to send for one message, in order: one, unless its sections need more embeds than one Discord
    /// message holds. The title rides in a short <c>content</c> (what notifications show); buttons and nothing else
    /// go on the last body.
    /// </summary>
    public static IReadOnlyList<JsonObject> Bodies(Message message, Func<string, string>? customId = null, bool ephemeral = false)
    {
        var embeds = DiscordEmbeds.Messages(message.Sections);
        if (embeds.Count == 0) return [Body(message, customId, ephemeral)];
        var title = string.IsNullOrWhiteSpace(message.Title) ? null : Fit(message.Title.Trim(), 200);
        var bodies = new List<JsonObject>();
        for (var i = 0; i < embeds.Count; i++)
        {
            var body = new JsonObject();
            if (title is not null) body["content"] = $"**{(i == 0 ? title : title + " (continued)")}**";
            body["embeds"] = embeds[i];
            body["components"] = i == embeds.Count - 1 ? Rows(message.Buttons, customId ?? (id => id)) : new JsonArray();
            body["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() };
            if (ephemeral) body["flags"] = EphemeralFlag;
            bodies.Add(body);
        }
        // An image sent with structured content (the digest's chart) goes with the last body: its last embed shows it.
        if (message.Attachment is { IsImage: true } image && bodies[^1]["embeds"] is JsonArray { Count: > 0 } last)
            last[^1]!["image"] = new JsonObject { ["url"] = $"attachment://{image.FileName}" };
        return bodies;
    }

    /// <summary>A message body; <paramref name="customId"/> maps the engine's button ids to what goes on the wire.</summary>
    public static JsonObject Body(Message message, Func<string, string>? customId = null, bool ephemeral = false)
    {
        var body = new JsonObject
        {
            ["content"] = Fit(string.IsNullOrWhiteSpace(message.Text) ? "\u200b" : ChannelMentions(message.Text), MaxContent),
            ["components"] = Rows(message.Buttons, customId ?? (id => id)),
            // Nudges quote what members typed; never let that ping anyone.
            ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() },
        };
        if (ephemeral) body["flags"] = EphemeralFlag;
        return body;
    }

    public static JsonArray Rows(IReadOnlyList<Button> buttons, Func<string, string> customId)
    {
        var rows = new JsonArray();
        foreach (var chunk in buttons.Take(ButtonsPerRow * MaxRows).Chunk(ButtonsPerRow))
        {
            var row = new JsonArray();
            foreach (var button in chunk) row.Add(Button(customId(button.Id), button.Label, button.Style));
            rows.Add(new JsonObject { ["type"] = 1, ["components"] = row });
        }
        return rows;
    }

    public static JsonObject Button(string customId, string label, ButtonStyle style) => new()
    {
        ["type"] = 2,
        ["style"] = style switch
        {
            ButtonStyle.Primary => 1,
            ButtonStyle.Success => 3,
            ButtonStyle.Danger => 4,
            _ => 2,
        },
        ["label"] = Fit(label, 80),
        ["custom_id"] = Fit(customId, 100),
    };

    /// <summary>Cuts text to <paramref name="max"/> characters, ending with an ellipsis when cut.</summary>
    public static string Fit(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    /// <summary>
    /// The engine names a coach channel "#" and its id (what Discord's channel option gives); written as
    /// &lt;#id&gt; Discord shows it as the channel's name, a link. Channel mentions never notify anyone.
    /// </summary>
    public static string ChannelMentions(string text) => text.Contains('#') ? ChannelId().Replace(text, "<#$1>") : text;

    [GeneratedRegex(@"(?<![<\w])#(\d{17,20})(?!\d)")]
    private static partial Regex ChannelId();
}
