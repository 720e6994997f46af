using FollowUpBot.Core.Observability;
using FollowUpBot.Platforms.Kit.Http;
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
/// Calls Slack's Web API: JSON or form bodies as each method wants, ok:false turned into <see cref="SlackApiException"/>,
/// and a fatal stop on auth errors. Returns the response's root object on ok:true. The bearer token, pacing by
/// <see cref="SlackRateLimiter"/> and bounded retries for 429, 5xx and network errors are the HttpClient pipeline's
/// handlers (<see cref="SlackAuthHandler"/>, <see cref="SlackRateLimitHandler"/>, the kit's retry).
/// </summary>
public sealed class SlackApiClient(
    IHttpClientFactory httpClients,
    FatalStop fatalStop,
    TransportClock time,
    [FromKeyedServices(SlackApiClient.HttpClientName)] PlatformCalls calls,
    ILogger<SlackApiClient> logger)
{
    public const string HttpClientName = "FollowUpBot.Slack";

    /// <summary>Every call counted (by the pipeline's calls handler), and the last one kept for the health check.</summary>
    public PlatformCalls Calls => calls;

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
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content() };
        request.Options.Set(SlackRequest.Method, method);
        using var response = await SendAsync(method, request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return;
        if ((int)response.StatusCode is 429 or >= 500)
            throw new SlackRetryLaterException(method, $"http_{(int)response.StatusCode}", PlatformRequest.RetryAfterHeader(response, time));
        // 404 expired_url / used_url and the like: it cannot be delivered this way.
        throw new SlackApiException(method, $"http_{(int)response.StatusCode}");
    }

    private async Task<JsonElement> CallAsync(string method, SlackTokenKind tokenKind, string? paceChannel,
        Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        // Authentication, pacing, retries of 429, 5xx, no answer and Slack's retryable errors: the pipeline's
        // handlers (AddSlackPlatform). What arrives here is the last answer.
        using var request = build();
        request.Options.Set(SlackRequest.Method, method);
        request.Options.Set(SlackRequest.Token, tokenKind);
        if (paceChannel is not null) request.Options.Set(SlackRequest.Channel, paceChannel);
        using var response = await SendAsync(method, request, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode == 429)
            throw new SlackRetryLaterException(method, "ratelimited", PlatformRequest.RetryAfterHeader(response, time) ?? TimeSpan.FromSeconds(1));
        if ((int)response.StatusCode >= 500)
            throw new SlackRetryLaterException(method, $"http_{(int)response.StatusCode}", PlatformRequest.RetryAfterHeader(response, time));

        var root = await ReadObjectAsync(method, response, cancellationToken).ConfigureAwait(false);
        if (root.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True) return root;

        var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
            ? e.GetString() ?? "unknown_error" : "unknown_error";
        switch (SlackErrorCodes.Classify(error))
        {
            case SlackErrorKind.Retryable:
                throw new SlackRetryLaterException(method, error, null);
            case SlackErrorKind.Auth:
                fatalStop.Stop($"Slack rejected the {(tokenKind == SlackTokenKind.Bot ? "bot token (Slack:BotToken)" : "app-level token (Slack:AppToken)")} " +
                    $"with '{error}' on {method}. Check the token in the app's settings (it may be wrong or revoked); no Slack call will be made until the bot restarts.");
                throw new SlackApiException(method, error);
            default:
                throw new SlackApiException(method, error, DetailOf(root));
        }
    }

    /// <summary>Sends through the pipeline; no answer after its retries is "retry later", a held-back call "adapter_stopped".</summary>
    private async Task<HttpResponseMessage> SendAsync(string method, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await Http().SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (PlatformHeldBackException held)
        {
            throw new SlackApiException(method, "adapter_stopped", held.Message);
        }
        catch (Exception ex) when (PlatformRetry.IsTransient(ex, cancellationToken))
        {
            logger.LogWarning("Slack {Method}: no response ({Reason})", method, PlatformCalls.NoResponseReason(ex, request.RequestUri));
            throw new SlackRetryLaterException(method, "network_error", null);
        }
    }

    // Base address and the pipeline come from the named client's registration (AddSlackPlatform).
    private HttpClient Http() => httpClients.CreateClient(HttpClientName);

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
