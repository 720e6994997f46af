using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Discord.Interactions;

/// <summary>
/// Who is a coach on Discord: a member holding one of <c>Discord:CoachRoleIds</c>, or (unless turned off) a server
/// administrator. Decided from the interaction itself on every event, so a role taken away counts at once.
/// Outside a server (a DM) nobody is a coach: there are no roles to check.
/// </summary>
public sealed class CoachRule(IOptions<DiscordOptions> options)
{
    private const ulong Administrator = 1UL << 3;
    private const ulong ManageServer = 1UL << 5;

    private readonly HashSet<string> _roles = (options.Value.CoachRoleIds ?? "")
        .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    public bool IsCoach(DiscordInteraction interaction)
    {
        if (interaction.GuildId is null) return false;
        if (interaction.RoleIds?.Any(_roles.Contains) == true) return true;
        return options.Value.AdminsAreCoaches && interaction.Permissions is { } p && (p & (Administrator | ManageServer)) != 0;
    }
}
