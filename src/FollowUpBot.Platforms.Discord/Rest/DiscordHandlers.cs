using System.Net.Http.Headers;
using FollowUpBot.Core.Observability;
using FollowUpBot.Platforms.Kit.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Discord.Rest;

/// <summary>What <see cref="DiscordRestClient"/> tells the Discord pipeline's handlers about a request.</summary>
internal static class DiscordRequest
{
    public static readonly HttpRequestOptionsKey<DiscordRoute> Route = new("Discord.Route");

    public static DiscordRoute? RouteOf(HttpRequestMessage request) => request.Options.TryGetValue(Route, out var route) ? route : null;

    public static string NameOf(HttpRequestMessage request) => RouteOf(request)?.ToString() ?? "(no route)";

    /// <summary>The answer as the client reads it, for the health check's "last call" (buffers the body).</summary>
    public static async ValueTask<string> DescribeAsync(HttpResponseMessage response) =>
        (await DiscordRestClient.ReadAsync(response, CancellationToken.None).ConfigureAwait(false)).Describe();
}

/// <summary>The state of Discord's limits, shared by every attempt of every request for the process's life (the
/// pipeline's handlers are recreated from time to time, these must not be).</summary>
public sealed class DiscordRateLimits(TransportClock clock, IOptions<DiscordOptions> options)
{
    public RateLimitBuckets Buckets { get; } = new(clock);

    public GlobalRateLimit Global { get; } = new(clock);

    public InvalidRequestGuard Guard { get; } = new(clock, options.Value.MaxInvalidRequestsPerMinute);
}

/// <summary>
/// Authentication, first in the pipeline: the bot token and Discord's User-Agent on every request; nothing goes out
/// after a fatal stop; a 401 stops the bot (a token Discord refuses never starts working).
/// </summary>
internal sealed class DiscordAuthHandler(IOptions<DiscordOptions> options, FatalStop fatal) : DelegatingHandler
{
    private static readonly string UserAgent =
        $"DiscordBot (https://github.com/followupbot/followupbot, {typeof(DiscordAuthHandler).Assembly.GetName().Version?.ToString(3) ?? "1.0.0"})";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (fatal.IsStopped) throw new PlatformHeldBackException("the adapter is stopping after a fatal error");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bot", options.Value.Token);
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode == 401)
            fatal.Stop("Discord refused the bot token (HTTP 401 Unauthorized). Check Discord:Token in the configuration.");
        return response;
    }
}

/// <summary>
/// Discord's rate limits on every attempt: the invalid-request guard, the per-route bucket (learnt from the
/// X-RateLimit headers), the global limit; after a 429 the bucket or the global pause holds the retry until the reset,
/// and a wait longer than <see cref="DiscordOptions.MaxRateLimitWait"/> is handed back rather than waited for.
/// </summary>
internal sealed class DiscordRateLimitHandler(DiscordRateLimits limits, IOptions<DiscordOptions> options, PlatformCalls calls,
    ILogger<DiscordRateLimitHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (DiscordRequest.RouteOf(request) is not { } route) return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!route.GlobalExempt && limits.Guard.HoldBack() is { } hold)
            throw new PlatformHeldBackException("held back: too many rejected requests in the last minute", hold);

        RateLimitBuckets.BucketSlot slot = default;
        GlobalRateLimit.Lease? lease = null;
        await RateLimitWait.MeasureAsync(calls, async () =>
        {
            slot = await limits.Buckets.AcquireAsync(route, cancellationToken).ConfigureAwait(false);
            lease = route.GlobalExempt ? null : await limits.Global.AcquireAsync(cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            limits.Buckets.Release(route, slot);
            throw;
        }
        finally
        {
            lease?.Answered();
        }

        var status = (int)response.StatusCode;
        var scope = Header(response.Headers, "X-RateLimit-Scope");
        limits.Guard.Record(status, scope == "shared");
        if (status != 429)
        {
            limits.Buckets.Update(route, slot, response.Headers, null);
            return response;
        }
        var answer = await DiscordRestClient.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        var wait = answer.Error?.RetryAfter ?? TimeSpan.FromSeconds(1);
        var isGlobal = Header(response.Headers, "X-RateLimit-Global") == "true" || DiscordRestClient.GlobalFlag(answer.Body);
        limits.Buckets.Update(route, slot, response.Headers, isGlobal ? null : wait);
        if (isGlobal) limits.Global.Pause(wait);
        logger.LogWarning("Discord {Route} rate limited ({Scope}), retry after {RetryAfter} ms",
            route, isGlobal ? "global" : scope ?? "route", (int)wait.TotalMilliseconds);
        if (wait > options.Value.MaxRateLimitWait) PlatformRequest.DoNotRetry(request);
        // A route's bucket now holds the next try until its reset; a global 429 waits here as Discord asked.
        else PlatformRequest.RetryAfter(request, isGlobal ? wait : TimeSpan.Zero);
        return response;
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
