namespace FollowUpBot.Platforms.Slack;

/// <summary>
/// The adapter's network timing (pacing, backoff, the signature replay window, caches) runs on the keyed
/// <see cref="TimeProvider"/> registered under <see cref="Key"/>: Slack's clock is the real one even when the
/// bot's own time is simulated. Tests replace it to pin the clock.
/// </summary>
public static class SlackClock
{
    public const string Key = "slack";
}
