using System.Text.Json.Nodes;

namespace FollowUpBot.Testing.Discord;

/// <summary>Interaction payloads as Discord sends them (with some of the extra fields it adds).</summary>
public static class Payloads
{
    public const string GuildId = "1400000000000000001";
    public const string ChannelId = "1400000000000000009";
    public const string MemberId = "1500000000000000001";
    public const string OtherMemberId = "1500000000000000002";
    private static long _next = 1600000000000000000;

    public static string NextId() => Interlocked.Increment(ref _next).ToString();

    /// <summary>A guild id that Discord routes to <paramref name="shard"/> of <paramref name="shardCount"/>:
    /// the shard is (guild_id &gt;&gt; 22) % shard_count, the id's timestamp bits.</summary>
    public static string GuildOnShard(int shard, int shardCount, int n = 0) =>
        ((((330_000_000_000L + n * shardCount) / shardCount * shardCount + shard) << 22) | 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static JsonObject Base(int type, JsonNode data, string userId, bool inGuild, JsonObject? message = null, string guildId = GuildId)
    {
        var id = NextId();
        var interaction = new JsonObject
        {
            ["id"] = id,
            ["application_id"] = FakeDiscord.ApplicationId,
            ["type"] = type,
            ["data"] = data,
            ["token"] = "interaction-token-" + id,
            ["version"] = 1,
            ["locale"] = "en-GB",
            ["app_permissions"] = "2248473465835073",
            ["entitlements"] = new JsonArray(),
            ["authorizing_integration_owners"] = new JsonObject { ["0"] = guildId },
            ["attachment_size_limit"] = 10485760,
        };
        var user = new JsonObject { ["id"] = userId, ["username"] = "member" + userId[^1], ["global_name"] = "Member " + userId[^1], ["discriminator"] = "0", ["avatar"] = null };
        if (inGuild)
        {
            interaction["guild_id"] = guildId;
            interaction["channel_id"] = ChannelId;
            interaction["context"] = 0;
            interaction["guild_locale"] = "en-US";
            interaction["member"] = new JsonObject { ["user"] = user, ["roles"] = new JsonArray(), ["permissions"] = "2248473465835073", ["nick"] = null };
        }
        else
        {
            interaction["channel_id"] = "9" + userId;
            interaction["context"] = 1;
            interaction["user"] = user;
        }
        if (message is not null) interaction["message"] = message;
        return interaction;
    }

    public static JsonObject Command(string name, string sub, IDictionary<string, JsonNode?> options, string userId = MemberId, bool inGuild = true,
        string guildId = GuildId)
    {
        var optionArray = new JsonArray();
        foreach (var (key, value) in options)
            optionArray.Add(new JsonObject
            {
                ["name"] = key,
                ["type"] = value?.GetValueKind() switch { System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => 5, System.Text.Json.JsonValueKind.Number => 4, _ => 3 },
                ["value"] = value?.DeepClone(),
            });
        var data = new JsonObject
        {
            ["id"] = "1300000000000000000",
            ["name"] = name,
            ["type"] = 1,
            ["options"] = new JsonArray(new JsonObject { ["type"] = 1, ["name"] = sub, ["options"] = optionArray }),
        };
        if (inGuild) data["guild_id"] = guildId;
        return Base(2, data, userId, inGuild, guildId: guildId);
    }

    public static JsonObject Button(string customId, string userId = MemberId, bool inGuild = true, string? messageId = null) =>
        Base(3, new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 }, userId, inGuild, Message(messageId));

    public static JsonObject Select(string customId, string value, string userId = MemberId, bool inGuild = true) =>
        Base(3, new JsonObject { ["custom_id"] = customId, ["component_type"] = 3, ["values"] = new JsonArray(value) }, userId, inGuild, Message(null));

    /// <summary>A modal submit in the current Label form; <paramref name="fromMessage"/> when the modal was opened by a button.</summary>
    public static JsonObject ModalSubmit(string customId, IDictionary<string, string> values, string userId = MemberId, bool fromMessage = false, bool legacy = false)
    {
        var components = new JsonArray();
        var n = 1;
        foreach (var (key, value) in values)
        {
            var input = new JsonObject { ["type"] = 4, ["id"] = ++n, ["custom_id"] = key, ["value"] = value };
            components.Add(legacy
                ? new JsonObject { ["type"] = 1, ["id"] = ++n, ["components"] = new JsonArray(input) }
                : new JsonObject { ["type"] = 18, ["id"] = ++n, ["component"] = input });
        }
        return Base(5, new JsonObject { ["custom_id"] = customId, ["components"] = components }, userId, inGuild: true, fromMessage ? Message(null) : null);
    }

    private static JsonObject Message(string? id) => new()
    {
        ["id"] = id ?? NextId(),
        ["channel_id"] = ChannelId,
        ["type"] = 0,
        ["content"] = "earlier message",
        ["flags"] = 64,
        ["components"] = new JsonArray(),
    };
}
