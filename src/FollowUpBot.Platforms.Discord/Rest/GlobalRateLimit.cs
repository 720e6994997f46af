namespace FollowUpBot.Platforms.Discord.Rest;

/// <summary>
/// The bot-wide limit of <c>perSecond</c> requests per second, and a full stop until the time a global 429 named.
/// Discord counts a request when it arrives, which is somewhere between sending it and reading its answer; so a
/// request holds its place from being sent until one second after its answer came. That way network jitter can
/// never put more than the limit into any one-second window at Discord's end. Interaction callbacks and webhooks
/// bypass this limit (Discord exempts them).
/// </summary>
public sealed class GlobalRateLimit(TimeProvider clock, int perSecond = 50)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private readonly object _gate = new();
    private readonly List<Lease> _leases = [];
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<Lease> AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            Task changed;
            lock (_gate)
            {
                var now = clock.GetUtcNow();
                _leases.RemoveAll(l => l.AnsweredAt is { } at && now - at >= Window);
                if (now < _pausedUntil) wait = _pausedUntil - now;
                else if (_leases.Count < perSecond)
                {
                    var lease = new Lease(this);
                    _leases.Add(lease);
                    return lease;
                }
                else
                {
                    var earliest = _leases.Where(l => l.AnsweredAt is not null).Select(l => l.AnsweredAt!.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
                    wait = earliest == DateTimeOffset.MaxValue ? TimeSpan.FromMilliseconds(100) : earliest + Window - now;
                }
                changed = _changed.Task;
            }
            if (wait < TimeSpan.FromMilliseconds(1)) wait = TimeSpan.FromMilliseconds(1);
            await Task.WhenAny(changed, Task.Delay(wait, clock, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
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

    private void Answered(Lease lease)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            lease.AnsweredAt ??= clock.GetUtcNow();
            signal = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        signal.TrySetResult();
    }

    /// <summary>One request's place in the window; call <see cref="Answered"/> when its answer (or failure) is in.</summary>
    public sealed class Lease(GlobalRateLimit owner)
    {
        internal DateTimeOffset? AnsweredAt;

        public void Answered() => owner.Answered(this);
    }
}
