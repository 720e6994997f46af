using System.Net.Http.Headers;
using System.Text.Json;
using FollowUpBot.Core.Observability;
using FollowUpBot.Platforms.Kit.Http;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Slack.WebApi;

/// <summary>What <see cref="SlackApiClient"/> tells the Slack pipeline's handlers about a request.</summary>
internal static class SlackRequest
{
    public static readonly HttpRequestOptionsKey<string> Method = new("Slack.Method");
    public static readonly HttpRequestOptionsKey<string> Channel = new("Slack.Channel");
    public static readonly HttpRequestOptionsKey<SlackTokenKind> Token = new("Slack.Token");

    /// <summary>The Web API method, or "response_url"/"file_upload" for capability URLs (never the URL itself).</summary>
    public static string NameOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(Method, out var method) ? method : "(unnamed)";

    /// <summary>Slack's error code on an ok:false answer, null on ok:true or when the body is no JSON object.
    /// Buffers the body so the client can read it again.</summary>
    public static async ValueTask<string?> ErrorOfAsync(HttpResponseMessage response)
    {
        await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True) return null;
            return root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() ?? "unknown_error" : "unknown_error";
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// Authentication, first in the pipeline: the bot or app token as a bearer, only on Web API calls that ask for one
/// (a response_url or upload_url is its own credential and gets no token); nothing at all goes out after a fatal stop;
/// an answer that refuses the token (<see cref="PlatformErrorKind.FatalConfiguration"/>) stops the bot, as Discord's
/// 401 does in DiscordAuthHandler.
/// </summary>
internal sealed class SlackAuthHandler(IOptions<SlackOptions> options, FatalStop fatalStop) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (fatalStop.IsStopped) throw new PlatformHeldBackException(fatalStop.Reason ?? "the adapter stopped");
        if (!request.Options.TryGetValue(SlackRequest.Token, out var kind)) return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(kind));
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode && await SlackRequest.ErrorOfAsync(response).ConfigureAwait(false) is { } error
            && SlackErrors.Classify(error) == PlatformErrorKind.FatalConfiguration)
            fatalStop.Stop($"Slack rejected the {(kind == SlackTokenKind.Bot ? "bot token (Slack:BotToken)" : "app-level token (Slack:AppToken)")} " +
                $"with '{error}' on {SlackRequest.NameOf(request)}. Check the token in the app's settings (it may be wrong or revoked); " +
                "no Slack call will be made until the bot restarts.");
        return response;
    }

    private string TokenFor(SlackTokenKind kind) =>
        (kind == SlackTokenKind.Bot ? options.Value.BotToken : options.Value.AppToken)
        ?? throw new InvalidOperationException($"Slack:{(kind == SlackTokenKind.Bot ? "BotToken" : "AppToken")} is not set.");
}

/// <summary>
/// Slack's pacing, on every attempt of a Web API call: waits for the method's (and channel's) turn, starts the
/// channel's interval when the answer arrives, and after a 429 pauses the whole method until Retry-After (the
/// limiter then holds the retry, so the retry itself does not wait again).
/// </summary>
internal sealed class SlackRateLimitHandler(SlackRateLimiter limiter, PlatformCalls calls, TransportClock time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(SlackRequest.Token, out _) || !request.Options.TryGetValue(SlackRequest.Method, out var method))
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        request.Options.TryGetValue(SlackRequest.Channel, out var channel);
        await RateLimitWait.MeasureAsync(calls, () => limiter.WaitTurnAsync(method, channel, cancellationToken)).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (channel is not null) limiter.ChannelAnswered(channel);
        if ((int)response.StatusCode == 429)
        {
            // Slack's documented answer carries Retry-After; Python's SDK assumes 1 s when it is missing.
            limiter.Pause(method, PlatformRequest.RetryAfterHeader(response, time) ?? TimeSpan.FromSeconds(1));
            PlatformRequest.RetryAfter(request, TimeSpan.Zero);
        }
        return response;
    }
}
