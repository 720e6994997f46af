using System.Collections.Concurrent;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Domain;
using FollowUpBot.Platforms.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Slack.Inbound;

/// <summary>
/// Who a Slack user is for the engine: MemberKey("slack", team, user) and the IANA zone users.info reports.
/// The zone is kept only briefly, so a member who travels or changes it in Slack is followed; the engine still
/// prefers a zone the member set with /followup settings.
/// </summary>
public sealed class SlackMembers(
    SlackApiClient api,
    IOptions<SlackOptions> options,
    [FromKeyedServices(SlackClock.Key)] TimeProvider time,
    ILogger<SlackMembers> logger)
{
    public const string Platform = "slack";

    private readonly ConcurrentDictionary<(string Team, string User), (string? Zone, string? Name, DateTimeOffset At)> _known = new();

    public static MemberKey KeyOf(string teamId, string userId) => new(Platform, teamId, userId);

    public async Task<MemberContext> ContextAsync(string teamId, string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_known.TryGetValue((teamId, userId), out var known) && now - known.At < options.Value.UserInfoCacheDuration)
            return new MemberContext(KeyOf(teamId, userId), known.Zone, known.Name);

        string? zone = null, name = null;
        try
        {
            var answer = await api.GetAsync("users.info", new Dictionary<string, string> { ["user"] = userId }, cancellationToken).ConfigureAwait(false);
            var user = answer.GetProperty("user");
            zone = Rendering.FormModal.Str(user, "tz");
            if (zone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)) zone = null;
            name = user.TryGetProperty("profile", out var profile) ? Rendering.FormModal.Str(profile, "display_name") : null;
            name = string.IsNullOrWhiteSpace(name) ? Rendering.FormModal.Str(user, "real_name") ?? Rendering.FormModal.Str(user, "name") : name;
            _known[(teamId, userId)] = (zone, name, now);
        }
        catch (SlackApiException ex)
        {
            // Without the zone the engine falls back to the member's stored or the default zone.
            logger.LogWarning("users.info for {User} failed ({Error}); going on without Slack's time zone", userId, ex.Error);
        }
        catch (InvalidOperationException)
        {
            logger.LogWarning("users.info for {User} answered without a user object", userId);
        }
        catch (KeyNotFoundException)
        {
            logger.LogWarning("users.info for {User} answered without a user object", userId);
        }
        return new MemberContext(KeyOf(teamId, userId), zone, name);
    }
}
