using System.Text.Json.Nodes;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Platforms.Discord.Interactions;

/// <summary>Core messages as Discord message bodies: content within 2,000 characters, buttons in action rows.</summary>
public static class DiscordMessages
{
    public const int MaxContent = 2000;
    public const int EphemeralFlag = 1 << 6;
    private const int ButtonsPerRow = 5;
    private const int MaxRows = 5;

    /// <summary>A message body; <paramref name="customId"/> maps the engine's button ids to what goes on the wire.</summary>
    public static JsonObject Body(Message message, Func<string, string>? customId = null, bool ephemeral = false)
    {
        var body = new JsonObject
        {
            ["content"] = Fit(string.IsNullOrWhiteSpace(message.Text) ? "\u200b" : message.Text, MaxContent),
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
}
