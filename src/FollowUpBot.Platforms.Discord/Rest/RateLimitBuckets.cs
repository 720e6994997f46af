using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;

namespace FollowUpBot.Platforms.Discord.Rest;

/// <summary>
/// Discord's per-route buckets: keyed by route and major parameter until a response names the shared bucket
/// (X-RateLimit-Bucket), then merged with every other route reporting the same hash for that major parameter.
/// A bucket nobody has heard from lets one request through and holds the rest until its headers arrive.
/// </summary>
public sealed class RateLimitBuckets(TimeProvider clock)
{
    private static readonly TimeSpan UnknownResetWait = TimeSpan.FromMilliseconds(750);
    private static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Bucket> _byRoute = new();
    private readonly ConcurrentDictionary<string, Bucket> _byHash = new();

    /// <summary>Takes a slot in the route's bucket; the slot says which window the request was sent in.</summary>
    public async Task<BucketSlot> AcquireAsync(DiscordRoute route, CancellationToken cancellationToken)
    {
        var bucket = _byRoute.GetOrAdd(route.RouteKey, _ => new Bucket(clock));
        return new BucketSlot(bucket, await bucket.AcquireAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Reads the rate-limit headers of a response to <paramref name="route"/>.</summary>
    public void Update(DiscordRoute route, BucketSlot slot, HttpResponseHeaders headers, TimeSpan? retryAfter429)
    {
        var bucket = _byRoute.GetOrAdd(route.RouteKey, _ => new Bucket(clock));
        if (Header(headers, "X-RateLimit-Bucket") is { Length: > 0 } hash)
        {
            var shared = _byHash.GetOrAdd($"{hash}:{route.MajorParameter}", _ => bucket);
            if (!ReferenceEquals(shared, bucket))
            {
                _byRoute[route.RouteKey] = shared;
                bucket.Release(null);
                bucket = shared;
            }
        }
        var limit = Number(headers, "X-RateLimit-Limit");
        var remaining = Number(headers, "X-RateLimit-Remaining");
        var resetAfter = Number(headers, "X-RateLimit-Reset-After");
        // A slot taken in another bucket object (before the merge above) carries no comparable window: read it as current.
        var window = ReferenceEquals(slot.Bucket, bucket) ? slot.Window : (long?)null;
        bucket.Update(window, limit is null ? null : (int)limit.Value, remaining is null ? null : (int)remaining.Value,
            resetAfter is null ? null : TimeSpan.FromSeconds(resetAfter.Value), retryAfter429);
        Prune();
    }

    /// <summary>No response came (network error): free the slot taken for the request.</summary>
    public void Release(DiscordRoute route, BucketSlot slot)
    {
        if (_byRoute.TryGetValue(route.RouteKey, out var bucket))
            bucket.Release(ReferenceEquals(slot.Bucket, bucket) ? slot.Window : null);
    }

    private void Prune()
    {
        if (_byRoute.Count < 1000) return;
        var now = clock.GetUtcNow();
        foreach (var (key, bucket) in _byRoute)
            if (now - bucket.LastUsed > IdleAfter) _byRoute.TryRemove(key, out _);
        foreach (var (key, bucket) in _byHash)
            if (now - bucket.LastUsed > IdleAfter) _byHash.TryRemove(key, out _);
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static double? Number(HttpResponseHeaders headers, string name) =>
        double.TryParse(Header(headers, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>A request's place in a bucket: which bucket, and which of its windows it was sent in.</summary>
    public readonly record struct BucketSlot(object Bucket, long Window);

    private sealed class Bucket(TimeProvider clock)
    {
        // Counts the windows this bucket has started. A response to a request sent in an earlier window describes
        // a window that is over: its Remaining and Reset-After would refill this one early.
        private long _window;
        private readonly object _gate = new();
        private int _limit = 1;
        private int _remaining = 1;
        private int _inFlight;
        private bool _known;
        // Whether a response has described the current window yet; until then its Remaining and reset are guesses.
        private bool _calibrated;
        private bool _unlimited;
        private DateTimeOffset _resetAt = DateTimeOffset.MinValue;
        private TaskCompletionSource _changed = NewSignal();

        public DateTimeOffset LastUsed { get; private set; } = clock.GetUtcNow();

        public async Task<long> AcquireAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                TimeSpan wait;
                Task changed;
                lock (_gate)
                {
                    var now = clock.GetUtcNow();
                    LastUsed = now;
                    if (_unlimited) return _window;
                    if (_known && now >= _resetAt && _remaining < _limit)
                    {
                        // A new window: its reset is unknown until a response tells, so do not refill again meanwhile.
                        _remaining = _limit;
                        _resetAt = now + UnknownResetWait;
                        // Requests still in flight were counted by the window that ended.
                        _window++;
                        _inFlight = 0;
                        _calibrated = false;
                    }
                    if (_remaining > 0)
                    {
                        _remaining--;
                        _inFlight++;
                        return _window;
                    }
                    wait = _known && _resetAt > now ? _resetAt - now : UnknownResetWait;
                    changed = _changed.Task;
                }
                await Task.WhenAny(changed, Task.Delay(wait, clock, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        public void Update(long? window, int? limit, int? remaining, TimeSpan? resetAfter, TimeSpan? retryAfter429)
        {
            TaskCompletionSource signal;
            lock (_gate)
            {
                var now = clock.GetUtcNow();
                var stale = window < _window;
                if (!stale && _inFlight > 0) _inFlight--;
                if (stale && retryAfter429 is null)
                {
                    // Only the limit is still news; the window it counted is over.
                    if (limit is { } staleLimit) _limit = Math.Max(1, staleLimit);
                }
                else if (retryAfter429 is { } retry)
                {
                    _known = true;
                    _unlimited = false;
                    _remaining = 0;
                    _resetAt = now + retry;
                    _calibrated = true;
                }
                else if (limit is null && remaining is null && resetAfter is null)
                {
                    // A route without rate-limit headers is not limited per route.
                    _unlimited = !_known;
                    if (!_known) _remaining = int.MaxValue;
                }
                else
                {
                    _known = true;
                    _unlimited = false;
                    if (limit is { } l) _limit = Math.Max(1, l);
                    // Remaining counts only requests Discord has seen: those still in flight will use it up.
                    var left = remaining is { } r ? Math.Max(0, r - _inFlight) : _remaining;
                    var resetAt = resetAfter is { } after ? now + after : _resetAt;
                    if (!_calibrated)
                    {
                        _remaining = left;
                        _resetAt = resetAt;
                        _calibrated = true;
                    }
                    else
                    {
                        // Responses of one window can arrive in any order: within a window Remaining only falls and
                        // the reset only moves later, so an answer saying otherwise is older news.
                        _remaining = Math.Min(_remaining, left);
                        if (resetAt > _resetAt) _resetAt = resetAt;
                    }
                }
                signal = _changed;
                _changed = NewSignal();
            }
            signal.TrySetResult();
        }

        public void Release(long? window)
        {
            TaskCompletionSource signal;
            lock (_gate)
            {
                // A slot of an earlier window is not this window's to give back.
                if (window < _window) return;
                if (_inFlight > 0) _inFlight--;
                if (!_unlimited && _remaining < _limit) _remaining++;
                signal = _changed;
                _changed = NewSignal();
            }
            signal.TrySetResult();
        }

        private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
