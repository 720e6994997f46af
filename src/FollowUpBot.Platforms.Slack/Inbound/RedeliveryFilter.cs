using Microsoft.Extensions.DependencyInjection;

namespace FollowUpBot.Platforms.Slack.Inbound;

/// <summary>
/// Remembers what was already handled for a while, so a redelivered envelope (retry_attempt after a lost ack, or
/// the same payload on two overlapping sockets during a refresh) is acked but not processed twice.
/// </summary>
public sealed class RedeliveryFilter(TransportClock time)
{
    // Slack retries for minutes at most (events: about immediately, 1 min, 5 min).
    private static readonly TimeSpan Memory = TimeSpan.FromMinutes(15);
    private const int Capacity = 50_000;

    private readonly object _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset At)> _order = new();

    /// <summary>True the first time <paramref name="key"/> is offered (within the memory window).</summary>
    public bool IsFirst(string key)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            while (_order.Count > 0 && (_order.Count > Capacity || now - _order.Peek().At > Memory))
            {
                var (old, at) = _order.Dequeue();
                if (_seen.TryGetValue(old, out var seenAt) && seenAt == at) _seen.Remove(old);
            }
            if (_seen.ContainsKey(key)) return false;
            _seen[key] = now;
            _order.Enqueue((key, now));
            return true;
        }
    }
}
