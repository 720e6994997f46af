using FollowUpBot.Core.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace FollowUpBot.Platforms.Kit.Http;

/// <summary>How an adapter's requests are retried: up to <paramref name="MaxRetries"/> more tries after 5xx, 429 and
/// no answer, each attempt cut off after <paramref name="AttemptTimeout"/>, waits from <paramref name="Backoff"/>
/// (Retry-After first). <see cref="RetryAnswer"/> adds platform answers worth another try (Slack's ok:false
/// internal_error comes with HTTP 200).</summary>
public sealed record PlatformRetryOptions(int MaxRetries, Backoff Backoff, TimeSpan AttemptTimeout)
{
    public Func<HttpResponseMessage, ValueTask<bool>>? RetryAnswer { get; init; }
}

public static class PlatformRetry
{
    /// <summary>No answer came: a network error or a timed-out attempt, not the caller cancelling.</summary>
    public static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException or TimeoutRejectedException
        || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>
    /// Retries and per-attempt timeouts as a resilience handler (Microsoft.Extensions.Http.Resilience), on the
    /// transport clock. Register it after the authentication handler and before the rate-limit and calls handlers,
    /// so every attempt is paced and counted. Set the HttpClient's own Timeout to infinite: it would cover all tries.
    /// </summary>
    public static IHttpClientBuilder AddPlatformRetry(this IHttpClientBuilder builder, Func<IServiceProvider, PlatformRetryOptions> configure)
    {
        builder.AddResilienceHandler("retry", (pipeline, context) =>
        {
            var options = configure(context.ServiceProvider);
            var clock = context.ServiceProvider.GetRequiredService<TransportClock>();
            var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(builder.Name);
            pipeline.TimeProvider = clock;
            if (options.MaxRetries > 0)
            {
                pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    MaxRetryAttempts = options.MaxRetries,
                    ShouldHandle = args => ShouldRetryAsync(args.Outcome, args.Context.GetRequestMessage(), options, args.Context.CancellationToken),
                    DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(DelayOf(args.Outcome, args.Context.GetRequestMessage(), args.AttemptNumber, options, clock)),
                    OnRetry = args =>
                    {
                        // Names a status or an exception type only: a request's URL can be a credential.
                        logger.LogWarning("{Client}: {Problem}, try {Attempt} of {Attempts} in {Delay} ms", builder.Name,
                            args.Outcome.Result is { } r ? $"HTTP {(int)r.StatusCode}" : args.Outcome.Exception?.GetType().Name,
                            args.AttemptNumber + 2, options.MaxRetries + 1, (int)args.RetryDelay.TotalMilliseconds);
                        return default;
                    },
                });
            }
            pipeline.AddTimeout(options.AttemptTimeout);
        });
        return builder;
    }

    // The request comes from the resilience context: an answer's RequestMessage is only set by the primary handler.
    private static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request,
        PlatformRetryOptions options, CancellationToken cancellationToken)
    {
        if (outcome.Exception is { } e) return IsTransient(e, cancellationToken);
        if (outcome.Result is not { } response || PlatformRequest.IsFinal(request ?? response.RequestMessage)) return false;
        if ((int)response.StatusCode is 429 or >= 500) return true;
        return options.RetryAnswer is { } answer && await answer(response).ConfigureAwait(false);
    }

    private static TimeSpan DelayOf(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request, int attemptNumber,
        PlatformRetryOptions options, TimeProvider clock)
    {
        var response = outcome.Result;
        if (PlatformRequest.RetryDelayOf(request ?? response?.RequestMessage) is { } decided) return decided;
        var told = response is null ? null : PlatformRequest.RetryAfterHeader(response, clock);
        return options.Backoff.Delay(attemptNumber + 1, told);
    }
}
