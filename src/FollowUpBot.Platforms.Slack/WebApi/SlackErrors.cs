namespace FollowUpBot.Platforms.Slack.WebApi;

public enum SlackErrorKind
{
    /// <summary>This call will never work as it is (unknown channel, bad blocks, a bot as DM target).</summary>
    Permanent,
    /// <summary>The token itself is bad or revoked: nothing will work until an operator fixes it.</summary>
    Auth,
    /// <summary>Slack is busy or broken for a moment.</summary>
    Retryable,
}

/// <summary>Sorts Slack's error codes the way the official SDKs do (slack.md, "Error codes").</summary>
public static class SlackErrorCodes
{
    private static readonly HashSet<string> AuthErrors = new(StringComparer.Ordinal)
    {
        "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
        "user_removed_from_team", "team_disabled", "no_permission", "ekm_access_denied",
    };

    private static readonly HashSet<string> RetryableErrors = new(StringComparer.Ordinal)
    {
        "ratelimited", "rate_limited", "internal_error", "fatal_error", "request_timeout", "service_unavailable",
    };

    public static SlackErrorKind Classify(string error) =>
        AuthErrors.Contains(error) ? SlackErrorKind.Auth
        : RetryableErrors.Contains(error) ? SlackErrorKind.Retryable
        : SlackErrorKind.Permanent;
}

/// <summary>Slack answered ok:false. The message names the method and Slack's error code, never a token.</summary>
public class SlackApiException(string method, string error, string? detail = null)
    : Exception($"Slack {method} failed: {error}{(detail is null ? "" : $" ({detail})")}")
{
    public string Method { get; } = method;

    public string Error { get; } = error;

    public SlackErrorKind Kind => SlackErrorCodes.Classify(Error);
}

/// <summary>Slack stayed rate-limited, failing or unreachable after the client's own bounded retries.</summary>
public sealed class SlackRetryLaterException(string method, string reason, TimeSpan? retryAfter)
    : SlackApiException(method, reason)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
