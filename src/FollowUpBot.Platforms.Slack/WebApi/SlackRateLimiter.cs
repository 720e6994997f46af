using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Slack.WebApi;

/// <summary>
/// Paces Web API calls so Slack rarely has to say 429: per method a sliding one-minute window at the method's
/// tier limit, about one chat.postMessage per second per channel, and a pause of the whole method after a 429.
/// One bot token means one workspace, so "per method" is also "per workspace".
/// </summary>
public sealed class SlackRateLimiter(IOptions<SlackOptions> options, TransportClock time)
{
    // A second more than Slack's minute: our clock and Slack's never start the window at the same instant.
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(61);

    // Tier limits per minute (Slack's published floors; Tier 1 tolerates "a small amount of burst").
    private static readonly Dictionary<string, int> PerMinuteByMethod = new(StringComparer.Ordinal)
    {
        ["apps.connections.open"] = 5,
        ["auth.test"] = 100,
        ["conversations.open"] = 50,
        ["conversations.history"] = 50,
        ["chat.update"] = 50,
        ["chat.postEphemeral"] = 100,
        ["users.info"] = 100,
        ["views.open"] = 100,
        ["views.update"] = 100,
        ["files.getUploadURLExternal"] = 100,
        ["files.completeUploadExternal"] = 100,
    };

    private const int DefaultPerMinute = 20;

    private readonly object _gate = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _recentCalls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _pausedUntil = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _channelFreeAt = new(StringComparer.Ordinal);

    /// <summary>Waits until <paramref name="method"/> (to <paramref name="channel"/>, when messages are paced per channel) may be called, and takes the slot.</summary>
    public async Task WaitTurnAsync(string method, string? channel, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate) wait = TryTake(method, channel);
            if (wait <= TimeSpan.Zero) return;
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A message to <paramref name="channel"/> was answered. The next one waits a full interval from now, not from when
    /// this one left: a slow trip in followed by a fast one would otherwise reach Slack closer together than the interval.
    /// </summary>
    public void ChannelAnswered(string channel)
    {
        lock (_gate)
        {
            var next = time.GetUtcNow() + options.Value.ChannelMessageInterval;
            if (!_channelFreeAt.TryGetValue(channel, out var current) || current < next) _channelFreeAt[channel] = next;
        }
    }

    /// <summary>Slack said 429: nobody calls <paramref name="method"/> again before Retry-After (plus jitter, so waiters do not stampede).</summary>
    public TimeSpan Pause(string method, TimeSpan retryAfter)
    {
        var pause = options.Value.RetryBackoff.Delay(1, retryAfter);
        lock (_gate)
        {
            var until = time.GetUtcNow() + pause;
            if (!_pausedUntil.TryGetValue(method, out var current) || current < until) _pausedUntil[method] = until;
        }
        return pause;
    }

    private TimeSpan TryTake(string method, string? channel)
    {
        var now = time.GetUtcNow();
        var wait = TimeSpan.Zero;
        if (_pausedUntil.TryGetValue(method, out var pausedUntil))
        {
            if (pausedUntil > now) wait = pausedUntil - now;
            else _pausedUntil.Remove(method);
        }

        if (!_recentCalls.TryGetValue(method, out var calls)) _recentCalls[method] = calls = new Queue<DateTimeOffset>();
        while (calls.Count > 0 && calls.Peek() <= now - Window) calls.Dequeue();
        if (calls.Count >= PerMinute(method)) wait = Max(wait, calls.Peek() + Window - now);

        if (channel is not null && _channelFreeAt.TryGetValue(channel, out var freeAt) && freeAt > now)
            wait = Max(wait, freeAt - now);

        if (wait > TimeSpan.Zero) return wait;

        calls.Enqueue(now);
        if (channel is not null)
        {
            if (_channelFreeAt.Count > 10_000) ForgetIdleChannels(now);
            _channelFreeAt[channel] = now + options.Value.ChannelMessageInterval;
        }
        return TimeSpan.Zero;
    }

    private int PerMinute(string method) =>
        method == "chat.postMessage" ? options.Value.MessagesPerMinute
        : PerMinuteByMethod.GetValueOrDefault(method, DefaultPerMinute);

    private void ForgetIdleChannels(DateTimeOffset now)
    {
        foreach (var idle in _channelFreeAt.Where(p => p.Value <= now).Select(p => p.Key).ToList()) _channelFreeAt.Remove(idle);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
