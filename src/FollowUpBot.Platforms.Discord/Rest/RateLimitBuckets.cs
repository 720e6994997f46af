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

    public Task AcquireAsync(DiscordRoute route, CancellationToken cancellationToken) =>
        _byRoute.GetOrAdd(route.RouteKey, _ => new Bucket(clock)).AcquireAsync(cancellationToken);

    /// <summary>Reads the rate-limit headers of a response to <paramref name="route"/>.</summary>
    public void Update(DiscordRoute route, HttpResponseHeaders headers, TimeSpan? retryAfter429)
    {
        var bucket = _byRoute.GetOrAdd(route.RouteKey, _ => new Bucket(clock));
        if (Header(headers, "X-RateLimit-Bucket") is { Length: > 0 } hash)
        {
            var shared = _byHash.GetOrAdd($"{hash}:{route.MajorParameter}", _ => bucket);
            if (!ReferenceEquals(shared, bucket))
            {
                _byRoute[route.RouteKey] = shared;
                bucket.Release();
                bucket = shared;
            }
        }
        var limit = Number(headers, "X-RateLimit-Limit");
        var remaining = Number(headers, "X-RateLimit-Remaining");
        var resetAfter = Number(headers, "X-RateLimit-Reset-After");
        bucket.Update(limit is null ? null : (int)limit.Value, remaining is null ? null : (int)remaining.Value,
            resetAfter is null ? null : TimeSpan.FromSeconds(resetAfter.Value), retryAfter429);
        Prune();
    }

    /// <summary>No response came (network error): free the slot taken for the request.</summary>
    public void Release(DiscordRoute route)
    {
        if (_byRoute.TryGetValue(route.RouteKey, out var bucket)) bucket.Release();
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

    private sealed class Bucket(TimeProvider clock)
    {
        private readonly object _gate = new();
        private int _limit = 1;
        private int _remaining = 1;
        private int _inFlight;
        private bool _known;
        private bool _unlimited;
        private DateTimeOffset _resetAt = DateTimeOffset.MinValue;
        private TaskCompletionSource _changed = NewSignal();

        public DateTimeOffset LastUsed { get; private set; } = clock.GetUtcNow();

        public async Task AcquireAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                TimeSpan wait;
                Task changed;
                lock (_gate)
                {
                    var now = clock.GetUtcNow();
                    LastUsed = now;
                    if (_unlimited) return;
                    if (_known && now >= _resetAt && _remaining < _limit)
                    {
                        // A new window: its reset is unknown until a response tells, so do not refill again meanwhile.
                        _remaining = _limit;
                        _resetAt = now + UnknownResetWait;
                    }
                    if (_remaining > 0)
                    {
                        _remaining--;
                        _inFlight++;
                        return;
                    }
                    wait = _known && _resetAt > now ? _resetAt - now : UnknownResetWait;
                    changed = _changed.Task;
                }
                await Task.WhenAny(changed, Task.Delay(wait, clock, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        public void Update(int? limit, int? remaining, TimeSpan? resetAfter, TimeSpan? retryAfter429)
        {
            TaskCompletionSource signal;
            lock (_gate)
            {
                var now = clock.GetUtcNow();
                if (_inFlight > 0) _inFlight--;
                if (retryAfter429 is { } retry)
                {
                    _known = true;
                    _unlimited = false;
                    _remaining = 0;
                    _resetAt = now + retry;
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
                    if (remaining is { } r) _remaining = Math.Max(0, r - _inFlight);
                    if (resetAfter is { } after) _resetAt = now + after;
                }
                signal = _changed;
                _changed = NewSignal();
            }
            signal.TrySetResult();
        }

        public void Release()
        {
            TaskCompletionSource signal;
            lock (_gate)
            {
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
