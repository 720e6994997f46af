using System.Diagnostics;
using FollowUpBot.Core.Observability;

namespace FollowUpBot.Platforms.Kit.Http;

/// <summary>
/// The innermost handler: every attempt counted in the platform's metrics and kept as the last call for its health
/// check, named by <paramref name="name"/> (a method or route, never a URL: some URLs are credentials).
/// <paramref name="answer"/> says more than the status about an answer (the platform's error code and message).
/// </summary>
public sealed class PlatformCallsHandler(PlatformCalls calls, Func<HttpRequestMessage, string> name,
    Func<HttpResponseMessage, ValueTask<string>>? answer = null) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        PlatformRequest.NewAttempt(request);
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var detail = answer is null ? $"HTTP {(int)response.StatusCode}" : await answer(response).ConfigureAwait(false);
            calls.Answered((int)response.StatusCode, $"{name(request)}: {detail}");
            return response;
        }
        catch (Exception e) when (PlatformRetry.IsTransient(e, cancellationToken))
        {
            calls.NoResponse($"{name(request)}: {PlatformCalls.NoResponseReason(e, request.RequestUri)}");
            throw;
        }
    }
}

/// <summary>Waits for a rate limiter's turn and counts the wait, for adapters whose limiter is a single call.</summary>
public static class RateLimitWait
{
    public static async Task MeasureAsync(PlatformCalls calls, Func<Task> wait)
    {
        var started = Stopwatch.GetTimestamp();
        await wait().ConfigureAwait(false);
        calls.WaitedForRateLimit(Stopwatch.GetElapsedTime(started));
    }
}
