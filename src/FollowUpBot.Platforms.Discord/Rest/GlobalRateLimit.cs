namespace FollowUpBot.Platforms.Discord.Rest;

/// <summary>
/// The bot-wide limit: at most <c>perSecond</c> requests in any one-second window, and a full stop until the
/// time a global 429 named. Interaction callbacks and webhooks bypass it (Discord exempts them).
/// </summary>
public sealed class GlobalRateLimit(TimeProvider clock, int perSecond = 50)
{
    private readonly object _gate = new();
    private readonly Queue<DateTimeOffset> _sent = new();
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    public async Task AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = clock.GetUtcNow();
                while (_sent.Count > 0 && now - _sent.Peek() >= TimeSpan.FromSeconds(1)) _sent.Dequeue();
                if (now < _pausedUntil) wait = _pausedUntil - now;
                else if (_sent.Count < perSecond)
                {
                    _sent.Enqueue(now);
                    return;
                }
                else wait = _sent.Peek() + TimeSpan.FromSeconds(1) - now;
            }
            await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, clock, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>A global 429: nothing (but exempt routes) goes out until <paramref name="retryAfter"/> has passed.</summary>
    public void Pause(TimeSpan retryAfter)
    {
        lock (_gate)
        {
            var until = clock.GetUtcNow() + retryAfter;
            if (until > _pausedUntil) _pausedUntil = until;
        }
    }
}
