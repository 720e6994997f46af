namespace FollowUpBot.Platforms.Slack.WebApi;

/// <summary>Sorts Slack's <c>error</c> strings into the kit's error kinds, the way the official SDKs do (slack.md,
/// "Error codes"); <see cref="SlackApiClient"/> answers every call with the kit's <see cref="PlatformCallResult"/>.</summary>
public static class SlackErrors
{
    public const string Platform = "Slack";

    /// <summary>The token itself is bad or revoked: nothing will work until an operator fixes it.</summary>
    private static readonly HashSet<string> AuthErrors = new(StringComparer.Ordinal)
    {
        "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
        "user_removed_from_team", "team_disabled", "no_permission", "ekm_access_denied",
    };

    /// <summary>Slack is busy or broken for a moment (these come with HTTP 200 and ok:false).</summary>
    private static readonly HashSet<string> RetryableErrors = new(StringComparer.Ordinal)
    {
        "ratelimited", "rate_limited", "internal_error", "fatal_error", "request_timeout", "service_unavailable",
    };

    // Errors about the member rather than the message: Core's Unreachable makes the engine mark the member and tell
    // them once, the next time they use the bot, why nudges stopped arriving. On a channel post they are permanent.
    private static readonly HashSet<string> MemberUnreachable = new(StringComparer.Ordinal)
    {
        "channel_not_found", "user_not_found", "user_not_visible", "user_disabled", "cannot_dm_bot", "is_archived",
    };

    public static PlatformErrorKind Classify(string error) =>
        AuthErrors.Contains(error) ? PlatformErrorKind.FatalConfiguration
        : RetryableErrors.Contains(error) ? PlatformErrorKind.Retryable
        : MemberUnreachable.Contains(error) ? PlatformErrorKind.MemberUnreachable
        : PlatformErrorKind.Permanent;

    /// <summary>Slack answered, but not with what the call needs (not JSON, or without the field asked for).</summary>
    public static PlatformCallResult InvalidResponse(int status, string what) =>
        PlatformCallResult.Failed(new PlatformRefused(Platform, PlatformErrorKind.Permanent, status, "invalid_response", what), status);
}
