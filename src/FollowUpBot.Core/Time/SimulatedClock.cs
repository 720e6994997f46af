namespace FollowUpBot.Core.Time;

/// <summary>
/// A clock that only moves when told to. It drives the real scheduler (Quartz's UseTimeProvider) in the
/// console's simulated mode, in tests and in benchmarks: timers created from it fire when
/// <see cref="Advance"/> or <see cref="SetUtcNow"/> passes their due time, in due order.
/// </summary>
public sealed class SimulatedClock : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<SimulatedTimer> _timers = [];
    private readonly TimeZoneInfo _localZone;
    private DateTimeOffset _now;

    public SimulatedClock(DateTimeOffset start, TimeZoneInfo? localZone = null)
    {
        _now = start.ToUniversalTime();
        _localZone = localZone ?? TimeZoneInfo.Utc;
    }

    public override TimeZoneInfo LocalTimeZone => _localZone;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    // Timestamps follow simulated time, so "elapsed" measured by the scheduler agrees with its timers.
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (_gate) return _now.UtcTicks;
    }

    /// <summary>The earliest pending timer's due time, if any.</summary>
    public DateTimeOffset? NextTimerDueAt
    {
        get
        {
            lock (_gate) return _timers.Count == 0 ? null : _timers.Min(t => t.DueAt);
        }
    }

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        SetUtcNow(GetUtcNow() + by);
    }

    /// <summary>Moves the clock to <paramref name="target"/>, stopping at each timer due on the way and firing it.</summary>
    public void SetUtcNow(DateTimeOffset target)
    {
        target = target.ToUniversalTime();
        while (true)
        {
            SimulatedTimer? due;
            lock (_gate)
            {
                if (target < _now) throw new ArgumentOutOfRangeException(nameof(target), "A simulated clock never goes back.");
                due = _timers.Where(t => t.DueAt <= target).OrderBy(t => t.DueAt).ThenBy(t => t.Order).FirstOrDefault();
                if (due is null)
                {
                    _now = target;
                    return;
                }
                if (due.DueAt > _now) _now = due.DueAt;
                _timers.Remove(due);
                if (due.Period is { } period && period > TimeSpan.Zero)
                {
                    due.DueAt = _now + period;
                    _timers.Add(due);
                }
            }
            due.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SimulatedTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private long _order;

    private sealed class SimulatedTimer(SimulatedClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt;
        public TimeSpan? Period;
        public long Order;

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            bool fireNow;
            lock (clock._gate)
            {
                clock._timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan) return true;
                DueAt = clock._now + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
                Period = period == Timeout.InfiniteTimeSpan ? null : period;
                Order = ++clock._order;
                fireNow = dueTime <= TimeSpan.Zero;
                if (!fireNow || Period is not null) 
                {
                    if (fireNow) DueAt = clock._now + Period!.Value;
                    clock._timers.Add(this);
                }
            }
            // A zero due time fires at once, as a real timer would (on the thread pool).
            if (fireNow) ThreadPool.UnsafeQueueUserWorkItem(_ => Fire(), null);
            return true;
        }

        public void Dispose()
        {
            lock (clock._gate) clock._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
