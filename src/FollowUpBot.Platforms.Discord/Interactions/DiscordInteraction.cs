using System.Globalization;
using System.Text.Json;

namespace FollowUpBot.Platforms.Discord.Interactions;

public enum InteractionType
{
    Ping = 1,
    ApplicationCommand = 2,
    MessageComponent = 3,
    Autocomplete = 4,
    ModalSubmit = 5,
}

/// <summary>
/// The parts of an interaction the adapter uses, read leniently: fields Discord may omit are optional,
/// unknown fields are ignored. The invoker is <c>member.user</c> in a guild and <c>user</c> in a DM.
/// </summary>
public sealed record DiscordInteraction(
    string Id,
    string Token,
    string? ApplicationId,
    int Type,
    string? GuildId,
    string? UserId,
    string? DisplayName,
    JsonElement Data,
    string? MessageId,
    IReadOnlyList<string>? RoleIds = null,
    ulong? Permissions = null)
{
    /// <summary>Parses the interaction; null (with the reason) when it lacks what any answer needs.</summary>
    public static DiscordInteraction? Parse(JsonElement json, out string? problem)
    {
        problem = null;
        if (json.ValueKind != JsonValueKind.Object) { problem = "not a JSON object"; return null; }
        var id = Snowflake(json, "id");
        var token = Text(json, "token");
        if (id is null || token is null) { problem = "no id or token"; return null; }
        if (!json.TryGetProperty("type", out var t) || !t.TryGetInt32(out var type)) { problem = "no type"; return null; }

        JsonElement user = default;
        string? nick = null;
        List<string>? roles = null;
        ulong? permissions = null;
        if (json.TryGetProperty("member", out var member) && member.ValueKind == JsonValueKind.Object)
        {
            member.TryGetProperty("user", out user);
            nick = Text(member, "nick");
            if (member.TryGetProperty("roles", out var r) && r.ValueKind == JsonValueKind.Array)
                roles = r.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList();
            if (ulong.TryParse(Text(member, "permissions"), NumberStyles.None, CultureInfo.InvariantCulture, out var p)) permissions = p;
        }
        if (user.ValueKind != JsonValueKind.Object) json.TryGetProperty("user", out user);
        string? userId = null, display = nick;
        if (user.ValueKind == JsonValueKind.Object)
        {
            userId = Snowflake(user, "id");
            display ??= Text(user, "global_name") ?? Text(user, "username");
        }

        json.TryGetProperty("data", out var data);
        string? messageId = null;
        if (json.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object)
            messageId = Snowflake(message, "id");
        return new DiscordInteraction(id, token, Snowflake(json, "application_id"), type, Snowflake(json, "guild_id"),
            userId, display, data.ValueKind == JsonValueKind.Undefined ? default : data, messageId, roles, permissions);
    }

    public string? CustomId => Data.ValueKind == JsonValueKind.Object ? Text(Data, "custom_id") : null;

    public static string? Text(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Ids are strings on the wire; a lenient reader also takes numbers.</summary>
    public static string? Snowflake(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() is { Length: > 0 } s ? s : null,
            JsonValueKind.Number when v.TryGetUInt64(out var n) => n.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
    }
}
