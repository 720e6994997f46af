using System.Text.Json.Nodes;
using FollowUpBot.Platforms.Discord.Interactions;

namespace FollowUpBot.Platforms.Discord.Tests.Fakes;

/// <summary>
/// Discord's embed limits the OpenAPI document cannot express (6,000 characters across a message's embeds, no empty
/// field names or values), checked with the per-field limits the schema also checks, for a clear message.
/// </summary>
public static class EmbedLimits
{
    public static void AssertWithin(JsonNode body)
    {
        var content = body["content"]?.GetValue<string>() ?? "";
        Assert.True(content.Length <= 2000, $"content has {content.Length} characters");
        if (body["embeds"] is not JsonArray embeds) return;
        Assert.True(embeds.Count <= DiscordEmbeds.MaxEmbeds, $"{embeds.Count} embeds");
        Assert.True(embeds.Sum(e => DiscordEmbeds.Length(e!)) <= DiscordEmbeds.MaxTotal, "more than 6,000 characters across the embeds");
        foreach (var embed in embeds)
        {
            Assert.True((embed!["title"]?.GetValue<string>().Length ?? 0) <= DiscordEmbeds.MaxTitle);
            Assert.True((embed["description"]?.GetValue<string>().Length ?? 0) <= DiscordEmbeds.MaxDescription);
            var fields = embed["fields"]?.AsArray() ?? [];
            Assert.True(fields.Count <= DiscordEmbeds.MaxFields, $"{fields.Count} fields");
            foreach (var field in fields)
            {
                var (name, value) = (field!["name"]!.GetValue<string>(), field["value"]!.GetValue<string>());
                Assert.InRange(name.Trim().Length, 1, DiscordEmbeds.MaxFieldName);
                Assert.InRange(value.Trim().Length, 1, DiscordEmbeds.MaxFieldValue);
            }
        }
    }

    /// <summary>Every field name and description line of the bodies, in order: what a reader sees.</summary>
    public static IEnumerable<string> Texts(IEnumerable<JsonNode> bodies) =>
        bodies.SelectMany(b => b["embeds"]?.AsArray() ?? []).SelectMany(e =>
            (e!["description"]?.GetValue<string>().Split('\n') ?? []).Concat(e["fields"]?.AsArray().Select(f => f!["name"]!.GetValue<string>()) ?? []));
}
