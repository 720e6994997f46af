namespace FollowUpBot.Core.Transport;

/// <summary>
/// The one backoff of the bot: how long to wait before try number <c>attempt + 1</c> after <c>attempt</c> failures.
/// <see cref="First"/> doubles per failure up to <see cref="Max"/>; the doubled delay is then spread by a factor drawn
/// from [<see cref="LowFactor"/>, <see cref="HighFactor"/>] and an extra draw from [0, <see cref="AddedJitter"/>), so
/// many bots (or shards, sockets, waiters) that failed together do not come back in step. A server's Retry-After wins
/// over the formula: it is waited for exactly, plus the added jitter only.
/// It lives in Core because it is pure arithmetic on a random source (no clock, no I/O): the adapters, the dispatcher
/// and the trigger writer all reference Core; the waiting itself stays with each caller's TimeProvider.
/// </summary>
public sealed record Backoff(TimeSpan First, TimeSpan Max)
{
    /// <summary>The smallest factor the doubled delay is multiplied by (1: no downward spread).</summary>
    public double LowFactor { get; init; } = 1;

    /// <summary>The largest factor the doubled delay is multiplied by (1: no upward spread).</summary>
    public double HighFactor { get; init; } = 1;

    /// <summary>Up to this much is added to every delay, Retry-After included.</summary>
    public TimeSpan AddedJitter { get; init; } = TimeSpan.Zero;

    /// <summary>The delay before the next try after <paramref name="attempt"/> failures (1 or more), before jitter.</summary>
    public TimeSpan Base(int attempt)
    {
        // In double ticks: a long first delay doubled many times must reach the cap, not overflow TimeSpan.
        var grown = First.Ticks * Math.Pow(2, Math.Clamp(attempt - 1, 0, 62));
        return grown >= Max.Ticks ? Max : TimeSpan.FromTicks((long)grown);
    }

    /// <summary>
    /// The delay before the next try after <paramref name="attempt"/> failures: <paramref name="retryAfter"/> when the
    /// server said it, else the doubled, capped and spread delay; plus the added jitter either way.
    /// <paramref name="random"/> defaults to <see cref="Random.Shared"/>; tests pass a seeded one.
    /// </summary>
    public TimeSpan Delay(int attempt, TimeSpan? retryAfter = null, Random? random = null)
    {
        random ??= Random.Shared;
        var delay = retryAfter is { } told
            ? (told < TimeSpan.Zero ? TimeSpan.Zero : told)
            : Ticks(Base(attempt).Ticks * (LowFactor + (HighFactor - LowFactor) * random.NextDouble()));
        return AddedJitter > TimeSpan.Zero ? Ticks(delay.Ticks + AddedJitter.Ticks * random.NextDouble()) : delay;
    }

    private static TimeSpan Ticks(double ticks) => ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);

    /// <summary>The first <paramref name="count"/> delays without jitter (a fixed retry schedule).</summary>
    public TimeSpan[] Steps(int count) => [.. Enumerable.Range(1, count).Select(Base)];
}
