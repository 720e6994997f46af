using System.Diagnostics;
using System.Net;
using FollowUpBot.Core.Observability;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Slack.WebApi;

public enum SlackTokenKind { Bot, App }

/// <summary>
/// Calls Slack's Web API: bearer token in the header, JSON or form bodies as each method wants, ok:false turned
/// into <see cref="SlackApiException"/>, pacing by <see cref="SlackRateLimiter"/>, bounded retries for 429, 5xx
/// and network errors, and a fatal stop on auth errors. Returns the response's root object on ok:true.
/// </summary>
public sealed class SlackApiClient(
    IHttpClientFactory httpClients,
    IOptions<SlackOptions> options,
    SlackRateLimiter limiter,
    FatalStop fatalStop,
    TransportClock time,
    ILogger<SlackApiClient> logger,
    BotMetrics? metrics = null)
{
    public const string HttpClientName = "FollowUpBot.Slack";

    /// <summary>Every call counted, and the last one kept for the health check.</summary>
    public PlatformCalls Calls { get; } = new("slack", metrics ?? new BotMetrics(), time);

    private SlackOptions Options => options.Value;

    /// <summary>JSON body (chat.*, views.*). <paramref name="paceChannel"/> paces messages per channel.</summary>
    public Task<JsonElement> PostJsonAsync(string method, JsonObject arguments, CancellationToken cancellationToken,
        string? paceChannel = null)
    {
        var json = arguments.ToJsonString();
        return CallAsync(method, SlackTokenKind.Bot, paceChannel, () => new HttpRequestMessage(HttpMethod.Post, method)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        }, cancellationToken);
    }

    /// <summary>Form body (conversations.*, auth.test, apps.connections.open).</summary>
    public Task<JsonElement> PostFormAsync(string method, IReadOnlyDictionary<string, string> arguments,
        CancellationToken cancellationToken, SlackTokenKind token = SlackTokenKind.Bot) =>
        CallAsync(method, token, null, () => new HttpRequestMessage(HttpMethod.Post, method)
        {
            Content = new FormUrlEncodedContent(arguments),
        }, cancellationToken);

    /// <summary>GET with a query string (users.info).</summary>
    public Task<JsonElement> GetAsync(string method, IReadOnlyDictionary<string, string> arguments, CancellationToken cancellationToken)
    {
        var query = string.Join('&', arguments.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        return CallAsync(method, SlackTokenKind.Bot, null,
            () => new HttpRequestMessage(HttpMethod.Get, query.Length == 0 ? method : $"{method}?{query}"), cancellationToken);
    }

    /// <summary>
    /// Posts to an interaction's response_url (no token: the URL is the credential, so it is never logged either).
    /// </summary>
    public Task PostToResponseUrlAsync(Uri responseUrl, JsonObject body, CancellationToken cancellationToken)
    {
        var json = body.ToJsonString();
        return PostWithoutTokenAsync("response_url", responseUrl,
            () => new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);
    }

    /// <summary>
    /// Sends a file's bytes to the upload_url files.getUploadURLExternal handed out. Like a response_url it is its own
    /// credential: the bot token is not sent to it, and it is never logged.
    /// </summary>
    public Task UploadAsync(Uri uploadUrl, byte[] content, string contentType, CancellationToken cancellationToken) =>
        PostWithoutTokenAsync("file_upload", uploadUrl, () =>
        {
            var bytes = new ByteArrayContent(content);
            bytes.Headers.ContentType = MediaTypeHeaderValue.TryParse(contentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
            return bytes;
        }, cancellationToken);

    private async Task PostWithoutTokenAsync(string method, Uri url, Func<HttpContent> content, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content() };
                response = await Http().SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransient(ex, cancellationToken))
            {
                // The URL is a capability: only its server is named.
                var reason = PlatformCalls.NoResponseReason(ex, url);
                Calls.NoResponse($"{method}: {reason}");
                logger.LogWarning("Slack {Method}: no response ({Reason}), attempt {Attempt}", method, reason, attempt + 1);
                await BackOffOrGiveUpAsync(method, "network_error", attempt, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using (response)
            {
                Calls.Answered((int)response.StatusCode, $"{method}: HTTP {(int)response.StatusCode}");
                if (response.IsSuccessStatusCode) return;
                if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
                {
                    await BackOffOrGiveUpAsync(method, $"http_{(int)response.StatusCode}", attempt, cancellationToken,
                        RetryAfterOf(response)).ConfigureAwait(false);
                    continue;
                }
                // 404 expired_url / used_url and the like: it cannot be delivered this way.
                throw new SlackApiException(method, $"http_{(int)response.StatusCode}");
            }
        }
    }

    private async Task<JsonElement> CallAsync(string method, SlackTokenKind tokenKind, string? paceChannel,
        Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (fatalStop.IsStopped) throw new SlackApiException(method, "adapter_stopped", fatalStop.Reason);
            var waiting = Stopwatch.GetTimestamp();
            await limiter.WaitTurnAsync(method, paceChannel, cancellationToken).ConfigureAwait(false);
            Calls.WaitedForRateLimit(Stopwatch.GetElapsedTime(waiting));

            HttpResponseMessage response;
            try
            {
                using var request = build();
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(tokenKind));
                response = await Http().SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (paceChannel is not null) limiter.ChannelAnswered(paceChannel);
            }
            catch (Exception ex) when (IsTransient(ex, cancellationToken))
            {
                var reason = PlatformCalls.NoResponseReason(ex, Http().BaseAddress);
                Calls.NoResponse($"{method}: {reason}");
                logger.LogWarning("Slack {Method}: no response ({Reason}), attempt {Attempt}", method, reason, attempt + 1);
                await BackOffOrGiveUpAsync(method, "network_error", attempt, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using (response)
            {
                Calls.Answered((int)response.StatusCode, $"{method}: HTTP {(int)response.StatusCode}");
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    // Slack's documented answer carries Retry-After; Python's SDK assumes 1 s when it is missing.
                    var retryAfter = RetryAfterOf(response) ?? TimeSpan.FromSeconds(1);
                    var pause = limiter.Pause(method, retryAfter);
                    logger.LogWarning("Slack {Method}: rate limited, pausing the method for {Pause}", method, pause);
                    if (attempt >= Options.MaxRetries) throw new SlackRetryLaterException(method, "ratelimited", pause);
                    continue;
                }
                if ((int)response.StatusCode >= 500)
                {
                    logger.LogWarning("Slack {Method}: HTTP {Status}, attempt {Attempt}", method, (int)response.StatusCode, attempt + 1);
                    await BackOffOrGiveUpAsync(method, $"http_{(int)response.StatusCode}", attempt, cancellationToken,
                        RetryAfterOf(response)).ConfigureAwait(false);
                    continue;
                }

                var root = await ReadObjectAsync(method, response, cancellationToken).ConfigureAwait(false);
                if (root.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True) return root;

                var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
                    ? e.GetString() ?? "unknown_error" : "unknown_error";
                switch (SlackErrorCodes.Classify(error))
                {
                    case SlackErrorKind.Retryable:
                        logger.LogWarning("Slack {Method}: {Error}, attempt {Attempt}", method, error, attempt + 1);
                        await BackOffOrGiveUpAsync(method, error, attempt, cancellationToken).ConfigureAwait(false);
                        continue;
                    case SlackErrorKind.Auth:
                        fatalStop.Stop($"Slack rejected the {(tokenKind == SlackTokenKind.Bot ? "bot token (Slack:BotToken)" : "app-level token (Slack:AppToken)")} " +
                            $"with '{error}' on {method}. Check the token in the app's settings (it may be wrong or revoked); no Slack call will be made until the bot restarts.");
                        throw new SlackApiException(method, error);
                    default:
                        throw new SlackApiException(method, error, DetailOf(root));
                }
            }
        }
    }

    // Base address and timeout come from the named client's registration (AddSlackPlatform).
    private HttpClient Http() => httpClients.CreateClient(HttpClientName);

    private string TokenFor(SlackTokenKind kind) =>
        (kind == SlackTokenKind.Bot ? Options.BotToken : Options.AppToken)
        ?? throw new InvalidOperationException($"Slack:{(kind == SlackTokenKind.Bot ? "BotToken" : "AppToken")} is not set.");

    private static bool IsTransient(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or IOException
        || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested); // HttpClient timeout

    private async Task BackOffOrGiveUpAsync(string method, string reason, int attempt, CancellationToken cancellationToken,
        TimeSpan? serverHint = null)
    {
        if (attempt >= Options.MaxRetries) throw new SlackRetryLaterException(method, reason, serverHint);
        await Task.Delay(Options.RetryBackoff.Delay(attempt + 1, serverHint), time, cancellationToken).ConfigureAwait(false);
    }

    private TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero;
        return null;
    }

    private static async Task<JsonElement> ReadObjectAsync(string method, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document.RootElement.Clone();
        }
        catch (JsonException)
        {
        }
        throw new SlackApiException(method, "invalid_response", $"HTTP {(int)response.StatusCode}, not a JSON object");
    }

    private static string? DetailOf(JsonElement root)
    {
        if (!root.TryGetProperty("response_metadata", out var meta) || meta.ValueKind != JsonValueKind.Object) return null;
        if (!meta.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array) return null;
        var text = string.Join("; ", messages.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()));
        return text.Length == 0 ? null : text;
    }
}
