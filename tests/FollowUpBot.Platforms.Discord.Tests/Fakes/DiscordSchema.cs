using System.Text.Json.Nodes;
using NJsonSchema;

namespace FollowUpBot.Platforms.Discord.Tests.Fakes;

/// <summary>
/// Validates bodies against discord-api-spec's OpenAPI document, loaded once per test run. NJsonSchema 10 needs the
/// schemas under "definitions" and ignores "const", so those are rewritten first (see the protocol notes).
/// </summary>
public static class DiscordSchema
{
    private static readonly Lazy<JsonSchema> Root = new(Load);

    public static IReadOnlyList<string> Errors(string definition, JsonNode? body)
    {
        var schema = Root.Value.Definitions[definition];
        return schema.Validate(body?.ToJsonString() ?? "null").Select(e => $"{e.Path}: {e.Kind}").ToList();
    }

    public static void AssertValid(string definition, JsonNode? body)
    {
        var errors = Errors(definition, body);
        Assert.True(errors.Count == 0, $"{definition} rejected the body:\n{string.Join("\n", errors)}\n{body?.ToJsonString()}");
    }

    private static JsonSchema Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Schemas", "discord-openapi.json");
        var document = JsonNode.Parse(File.ReadAllText(path))!;
        var root = new JsonObject { ["definitions"] = document["components"]!["schemas"]!.DeepClone() };
        ConstToEnum(root);
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal);
        return JsonSchema.FromJsonAsync(text).GetAwaiter().GetResult();
    }

    private static void ConstToEnum(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["const"] is { } value && obj.Count >= 1)
                {
                    obj.Remove("const");
                    obj["enum"] = new JsonArray(value);
                }
                foreach (var child in obj.Select(p => p.Value).ToList()) ConstToEnum(child);
                break;
            case JsonArray array:
                foreach (var child in array) ConstToEnum(child);
                break;
        }
    }
}
