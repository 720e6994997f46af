using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Diagnostics;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Observability;
using FollowUpBot.Core.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Discord.Rest;

/// <summary>
/// Discord's REST API with its rules: bot authorization, per-route and global rate limits, 429 and 5xx
/// retries with backoff (bounded), a stop on 401, and a cap on invalid requests. Returns every outcome as a
/// <see cref="DiscordResponse"/> rather than throwing, so callers decide what a failure means to them.
/// </summary>
public sealed class DiscordRestClient
{
    public const string HttpClientName = "FollowUpBot.Discord";

    private static readonly string UserAgent =
        $"DiscordBot (https://github.com/followupbot/followupbot, {typeof(DiscordRestClient).Assembly.GetName().Version?.ToString(3) ?? "1.0.0"})";

    private readonly HttpClient _http;
    private readonly DiscordOptions _options;
    private readonly RateLimitBuckets _buckets;
    private readonly GlobalRateLimit _global;
    private readonly InvalidRequestGuard _guard;
    private readonly FatalStop _fatal;
    private readonly TimeProvider _clock;
    private readonly ILogger<DiscordRestClient> _logger;
    private readonly Uri _baseUri;

    public DiscordRestClient(IHttpClientFactory httpClients, IOptions<DiscordOptions> options, FatalStop fatal,
        TransportClock clock, ILogger<DiscordRestClient> logger, BotMetrics? metrics = null)
    {
        _http = httpClients.CreateClient(HttpClientName);
        _options = options.Value;
        _clock = clock.Time;
        _buckets = new RateLimitBuckets(_clock);
        _global = new GlobalRateLimit(_clock);
        _guard = new InvalidRequestGuard(_clock, _options.MaxInvalidRequestsPerMinute);
        _fatal = fatal;
        _logger = logger;
        _baseUri = new Uri(_options.ApiBaseUrl.TrimEnd('/') + "/");
        Calls = new PlatformCalls("discord", metrics ?? new BotMetrics(), _clock);
    }

    /// <summary>Every call counted, and the last one kept for the health check.</summary>
    public PlatformCalls Calls { get; }

    /// <summary>Sends <paramref name="body"/> as JSON, or, with a <paramref name="file"/>, as multipart form data
    /// (<c>payload_json</c> and <c>files[0]</c>) the way Discord takes uploads.</summary>
    public async Task<DiscordResponse> SendAsync(DiscordRoute route, JsonNode? body, CancellationToken cancellationToken, Attachment? file = null)
    {
        if (file is not null && body is JsonObject withFile)
        {
            // The attachment id is a snowflake string in the OpenAPI document ("0" for files[0]); the description is
            // the image's alt text.
            var attachment = new JsonObject { ["id"] = "0", ["filename"] = file.FileName };
            if (file.AltText is { Length: > 0 } alt) attachment["description"] = alt.Length <= 1024 ? alt : alt[..1023] + "…";
            withFile["attachments"] = new JsonArray(attachment);
        }
        var payload = body?.ToJsonString();
        DiscordResponse? last = null;
        for (var attempt = 1; attempt <= _options.MaxRestAttempts; attempt++)
        {
            if (_fatal.IsStopped) return new DiscordResponse(0, null, ErrorMessage: "the adapter is stopping after a fatal error");
            if (!route.GlobalExempt && _guard.HoldBack() is { } hold)
                return new DiscordResponse(0, null, ErrorMessage: "held back: too many rejected requests in the last minute", RetryAfter: hold);

            var waiting = Stopwatch.GetTimestamp();
            var slot = await _buckets.AcquireAsync(route, cancellationToken).ConfigureAwait(false);
            var lease = route.GlobalExempt ? null : await _global.AcquireAsync(cancellationToken).ConfigureAwait(false);
            Calls.WaitedForRateLimit(Stopwatch.GetElapsedTime(waiting));

            var url = new Uri(_baseUri, route.Path);
            HttpResponseMessage response;
            try
            {
                using var request = new HttpRequestMessage(route.Method, url);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bot", _options.Token);
                request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
                if (file is not null)
                {
                    var form = new MultipartFormDataContent();
                    form.Add(new StringContent(payload ?? "{}", Encoding.UTF8, "application/json"), "payload_json");
                    var content = new ByteArrayContent(file.Content);
                    content.Headers.ContentType = MediaTypeHeaderValue.Parse(file.ContentType);
                    form.Add(content, "files[0]", file.FileName);
                    request.Content = form;
                }
                else if (payload is not null) request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                _buckets.Release(route, slot);
                var reason = PlatformCalls.NoResponseReason(e, url);
                Calls.NoResponse($"{route}: {reason}");
                last = new DiscordResponse(0, null, ErrorMessage: reason);
                _logger.LogWarning("Discord {Route}: no response ({Reason}), attempt {Attempt} of {Attempts}",
                    route, reason, attempt, _options.MaxRestAttempts);
                await BackoffAsync(attempt, cancellationToken).ConfigureAwait(false);
                continue;
            }
            finally
            {
                lease?.Answered();
            }

            using (response)
            {
                var result = await ReadAsync(response, cancellationToken).ConfigureAwait(false);
                Calls.Answered(result.Status, $"{route}: {result.Describe()}");
                var scope = Header(response.Headers, "X-RateLimit-Scope");
                _guard.Record(result.Status, scope == "shared");
                var isGlobal429 = result.Status == 429 && (Header(response.Headers, "X-RateLimit-Global") == "true" || GlobalFlag(result.Body));
                _buckets.Update(route, slot, response.Headers, result.Status == 429 && !isGlobal429 ? result.RetryAfter ?? TimeSpan.FromSeconds(1) : null);

                if (result.Status == 401)
                {
                    _fatal.Stop("Discord refused the bot token (HTTP 401 Unauthorized). Check Discord:Token in the configuration.");
                    return result;
                }
                if (result.Status == 429)
                {
                    var wait = result.RetryAfter ?? TimeSpan.FromSeconds(1);
                    if (isGlobal429) _global.Pause(wait);
                    _logger.LogWarning("Discord {Route} rate limited ({Scope}), retry after {RetryAfter} ms, attempt {Attempt}",
                        route, isGlobal429 ? "global" : scope ?? "route", (int)wait.TotalMilliseconds, attempt);
                    last = result;
                    if (wait > _options.MaxRateLimitWait) return result;
                    if (isGlobal429) await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
                    continue; // the bucket now holds the next try until the reset
                }
                if (result.Status >= 500)
                {
                    _logger.LogWarning("Discord {Route} answered {Status}, attempt {Attempt}", route, result.Status, attempt);
                    last = result;
                    await BackoffAsync(attempt, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (!result.IsSuccess)
                    _logger.LogInformation("Discord {Route} refused: {Problem}", route, result.Describe());
                return result;
            }
        }
        return last! with { RetryAfter = last.RetryAfter ?? TimeSpan.FromSeconds(5) };
    }

    // 250 ms doubling per attempt (MaxRestAttempts bounds it), plus up to 100 ms so parallel callers spread out.
    internal static readonly Backoff RetryBackoff = new(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(30)) { AddedJitter = TimeSpan.FromMilliseconds(100) };

    private Task BackoffAsync(int attempt, CancellationToken cancellationToken)
    {
        if (attempt >= _options.MaxRestAttempts) return Task.CompletedTask;
        return Task.Delay(RetryBackoff.Delay(attempt), _clock, cancellationToken);
    }

    private static async Task<DiscordResponse> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        JsonElement? body = null;
        if (!string.IsNullOrWhiteSpace(text))
        {
            try
            {
                body = JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException)
            {
                // Cloudflare and proxies answer with HTML; the status is what counts then.
            }
        }
        int? code = null;
        string? message = null;
        TimeSpan? retryAfter = null;
        if (body is { ValueKind: JsonValueKind.Object } obj)
        {
            if (obj.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var ci)) code = ci;
            if (obj.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String) message = m.GetString();
            if (obj.TryGetProperty("retry_after", out var r) && r.ValueKind == JsonValueKind.Number) retryAfter = TimeSpan.FromSeconds(r.GetDouble());
        }
        if (retryAfter is null && status == 429 &&
            double.TryParse(Header(response.Headers, "Retry-After"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            retryAfter = TimeSpan.FromSeconds(seconds);
        if (!response.IsSuccessStatusCode && message is null) message = response.ReasonPhrase;
        return new DiscordResponse(status, body, code, message, retryAfter);
    }

    private static bool GlobalFlag(JsonElement? body) =>
        body is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty("global", out var g) && g.ValueKind == JsonValueKind.True;

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
