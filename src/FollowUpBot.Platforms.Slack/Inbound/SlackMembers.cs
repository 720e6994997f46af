using System.Collections.Concurrent;
using System.Text.Json;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Domain;
using FollowUpBot.Platforms.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Slack.Inbound;

/// <summary>
/// Who a Slack user is for the engine: MemberKey("slack", team, user), the IANA zone users.info reports and whether
/// they coach (a configured user id, or a workspace admin or owner when <see cref="SlackOptions.AdminsAreCoaches"/>).
/// What users.info says is kept only briefly, so a member who travels, or an admin who loses the role, is followed;
/// the engine still prefers a zone the member set with /followup settings.
/// </summary>
public sealed class SlackMembers(
    SlackApiClient api,
    IOptions<SlackOptions> options,
    TransportClock time,
    ILogger<SlackMembers> logger)
{
    public const string Platform = "slack";

    private sealed record UserInfo(string? Zone, string? Name, bool IsAdmin, DateTimeOffset At);

    private readonly ConcurrentDictionary<(string Team, string User), UserInfo> _known = new();

    public static MemberKey KeyOf(string teamId, string userId) => new(Platform, teamId, userId);

    public async Task<MemberContext> ContextAsync(string teamId, string userId, CancellationToken cancellationToken)
    {
        var info = await InfoAsync(teamId, userId, cancellationToken).ConfigureAwait(false);
        var settings = options.Value;
        var isCoach = settings.CoachUserIds.Contains(userId, StringComparer.Ordinal) || (settings.AdminsAreCoaches && info?.IsAdmin == true);
        return new MemberContext(KeyOf(teamId, userId), info?.Zone, info?.Name, isCoach);
    }

    private async Task<UserInfo?> InfoAsync(string teamId, string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_known.TryGetValue((teamId, userId), out var known) && now - known.At < options.Value.UserInfoCacheDuration)
            return known;

        var answer = await api.GetAsync("users.info", new Dictionary<string, string> { ["user"] = userId }, cancellationToken).ConfigureAwait(false);
        if (!answer.IsSuccess)
        {
            // Without the zone the engine falls back to the member's stored or the default zone; without the admin
            // flag only configured coaches are coaches (refusing beats letting someone in by mistake).
            logger.LogWarning("users.info for {User} failed ({Error}); going on without Slack's time zone and admin flag", userId, answer.Error.Summary);
            return null;
        }
        if (answer.Body is not { } root || !root.TryGetProperty("user", out var user) || user.ValueKind != JsonValueKind.Object)
        {
            logger.LogWarning("users.info for {User} answered without a user object", userId);
            return null;
        }
        var zone = Rendering.FormModal.Str(user, "tz");
        if (zone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)) zone = null;
        var name = user.TryGetProperty("profile", out var profile) ? Rendering.FormModal.Str(profile, "display_name") : null;
        name = string.IsNullOrWhiteSpace(name) ? Rendering.FormModal.Str(user, "real_name") ?? Rendering.FormModal.Str(user, "name") : name;
        var isAdmin = IsTrue(user, "is_admin") || IsTrue(user, "is_owner") || IsTrue(user, "is_primary_owner");
        var info = new UserInfo(zone, name, isAdmin, now);
        _known[(teamId, userId)] = info;
        return info;
    }

    private static bool IsTrue(JsonElement user, string name) =>
        user.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
