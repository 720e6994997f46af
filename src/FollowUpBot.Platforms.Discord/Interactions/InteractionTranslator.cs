using System.Globalization;
using System.Text.Json;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Domain;

namespace FollowUpBot.Platforms.Discord.Interactions;

/// <summary>Reads Discord's interaction data into the engine's words.</summary>
public static class InteractionTranslator
{
    public const string PlatformName = "discord";
    public const string DirectMessageWorkspace = "dm";

    public static MemberContext Invoker(DiscordInteraction interaction, string? workspaceOverride = null, bool isCoach = false) =>
        new(new MemberKey(PlatformName, interaction.GuildId ?? workspaceOverride ?? DirectMessageWorkspace, interaction.UserId!),
            DisplayName: interaction.DisplayName, IsCoach: isCoach);

    /// <summary>"interview done" and its options (values as typed; booleans as yes/no).</summary>
    public static SlashCommand? Command(DiscordInteraction interaction, bool isCoach = false)
    {
        var data = interaction.Data;
        if (DiscordInteraction.Text(data, "name") is not { Length: > 0 } name) return null;
        var parts = new List<string> { name.ToLowerInvariant() };
        var options = data.TryGetProperty("options", out var o) ? o : default;
        // Descend through a sub-command group and a sub-command: their own options carry the values.
        for (var depth = 0; depth < 2 && Single(options, out var nested) && nested.TryGetProperty("type", out var t) && t.TryGetInt32(out var type) && type is 1 or 2; depth++)
        {
            if (DiscordInteraction.Text(nested, "name") is { } sub) parts.Add(sub.ToLowerInvariant());
            options = nested.TryGetProperty("options", out var inner) ? inner : default;
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options.ValueKind == JsonValueKind.Array)
            foreach (var option in options.EnumerateArray())
                if (DiscordInteraction.Text(option, "name") is { } optionName && option.TryGetProperty("value", out var value) && ValueText(value) is { } text)
                    values[optionName.ToLowerInvariant()] = text;
        return new SlashCommand(Invoker(interaction, isCoach: isCoach), string.Join(' ', parts), values);
    }

    /// <summary>The text inputs (and selects) of a modal submit, in the Label form or the legacy action-row form.</summary>
    public static Dictionary<string, string> ModalValues(DiscordInteraction interaction)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (interaction.Data.ValueKind == JsonValueKind.Object && interaction.Data.TryGetProperty("components", out var components))
            Collect(components, values, depth: 0);
        return values;
    }

    private static void Collect(JsonElement components, Dictionary<string, string> values, int depth)
    {
        if (components.ValueKind != JsonValueKind.Array || depth > 3) return;
        foreach (var component in components.EnumerateArray()) CollectOne(component, values, depth);
    }

    private static void CollectOne(JsonElement component, Dictionary<string, string> values, int depth)
    {
        if (component.ValueKind != JsonValueKind.Object || depth > 3) return;
        if (DiscordInteraction.Text(component, "custom_id") is { } id)
        {
            if (DiscordInteraction.Text(component, "value") is { } value) values[id] = value;
            else if (component.TryGetProperty("values", out var selected) && selected.ValueKind == JsonValueKind.Array)
                values[id] = string.Join(",", selected.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()));
        }
        // Label (type 18) wraps one component; an action row (type 1) holds several.
        if (component.TryGetProperty("component", out var wrapped)) CollectOne(wrapped, values, depth + 1);
        if (component.TryGetProperty("components", out var children)) Collect(children, values, depth + 1);
    }

    /// <summary>The first selected value of a select menu interaction.</summary>
    public static string? SelectedValue(DiscordInteraction interaction) =>
        interaction.Data.ValueKind == JsonValueKind.Object && interaction.Data.TryGetProperty("values", out var values) &&
        values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0 && values[0].ValueKind == JsonValueKind.String
            ? values[0].GetString()
            : null;

    private static bool Single(JsonElement options, out JsonElement only)
    {
        only = default;
        if (options.ValueKind != JsonValueKind.Array || options.GetArrayLength() != 1) return false;
        only = options[0];
        return only.ValueKind == JsonValueKind.Object;
    }

    private static string? ValueText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        _ => null,
    };

    /// <summary>
    /// Buttons in a DM carry the member's server ("w:{guild}:{engine id}"), because an interaction in a DM
    /// has no guild and the nudge belongs to the member as they are known in the server they used. A nudge's
    /// buttons also carry its delivery key ("w:{guild}.{key}:{engine id}"), so a resend after a crash can find
    /// the earlier delivery in the DM channel.
    /// </summary>
    public static string WrapForDirectMessage(string engineId, string workspace, string? deliveryKey = null)
    {
        if (workspace == DirectMessageWorkspace && deliveryKey is null) return engineId;
        var wrapped = $"{DeliveryPrefix(workspace, deliveryKey)}{engineId}";
        return wrapped.Length <= 100 ? wrapped : engineId;
    }

    public static string DeliveryPrefix(string workspace, string? deliveryKey) =>
        deliveryKey is { Length: > 0 } ? $"w:{workspace}.{deliveryKey}:" : $"w:{workspace}:";

    public static (string EngineId, string? Workspace) Unwrap(string customId)
    {
        if (!customId.StartsWith("w:", StringComparison.Ordinal)) return (customId, null);
        var end = customId.IndexOf(':', 2);
        if (end <= 2) return (customId, null);
        var head = customId[2..end];
        var dot = head.IndexOf('.');
        var workspace = dot < 0 ? head : head[..dot];
        if (workspace == DirectMessageWorkspace) return (customId[(end + 1)..], null);
        return workspace.Length > 0 && workspace.All(char.IsAsciiDigit) ? (customId[(end + 1)..], workspace) : (customId, null);
    }

    public static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
