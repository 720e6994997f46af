namespace FollowUpBot.Platforms.Kit.Http;

/// <summary>
/// What the handlers of an adapter's HttpClient pipeline tell each other about one request, in its options. The
/// retry (outermost) reads what the inner handlers, which see every attempt, decided about the last one.
/// </summary>
public static class PlatformRequest
{
    private static readonly HttpRequestOptionsKey<TimeSpan> RetryDelayKey = new("FollowUpBot.RetryDelay");
    private static readonly HttpRequestOptionsKey<bool> NoRetryKey = new("FollowUpBot.NoRetry");

    /// <summary>The next try waits <paramref name="delay"/> (a rate limiter already holds it, or the platform said how long).</summary>
    public static void RetryAfter(HttpRequestMessage request, TimeSpan delay) => request.Options.Set(RetryDelayKey, delay);

    /// <summary>The answer stands as it is: no retry (a wait longer than anyone should block, a refused token).</summary>
    public static void DoNotRetry(HttpRequestMessage request) => request.Options.Set(NoRetryKey, true);

    /// <summary>Forgets what the last attempt decided: called by the innermost handler as each attempt starts.</summary>
    public static void NewAttempt(HttpRequestMessage request)
    {
        var options = (IDictionary<string, object?>)request.Options;
        options.Remove(RetryDelayKey.Key);
        options.Remove(NoRetryKey.Key);
    }

    internal static TimeSpan? RetryDelayOf(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(RetryDelayKey, out var delay) ? delay : null;

    internal static bool IsFinal(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(NoRetryKey, out var final) && final;

    /// <summary>Retry-After as a delay (seconds or a date), null when absent.</summary>
    public static TimeSpan? RetryAfterHeader(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero;
        return null;
    }
}

/// <summary>
/// The adapter refused to send (it stopped after a fatal error, or holds requests back to protect the token): the
/// platform was not asked. Never retried.
/// </summary>
public sealed class PlatformHeldBackException(string reason, TimeSpan? retryAfter = null) : Exception(reason)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
