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
/// Calls Slack's Web API: JSON or form bodies as each method wants. Every call answers with the kit's
/// <see cref="PlatformCallResult"/> (ok:true with the response's root object; ok:false, HTTP errors and no answer as a
/// <see cref="PlatformError"/> sorted by <see cref="SlackErrors"/>), never an exception. The bearer token and the fatal
/// stop on a refused one, pacing by <see cref="SlackRateLimiter"/> and bounded retries for 429, 5xx and network errors are
/// the HttpClient pipeline's handlers (<see cref="SlackAuthHandler"/>, <see cref="SlackRateLimitHandler"/>, the kit's retry).
/// </summary>
public sealed class SlackApiClient(
    IHttpClientFactory httpClients,
    TransportClock time,
    [FromKeyedServices(SlackApiClient.HttpClientName)] PlatformCalls calls,
    ILogger<SlackApiClient> logger)
{
    public const string HttpClientName = "FollowUpBot.Slack";

    /// <summary>Every call counted (by the pipeline's calls handler), and the last one kept for the health check.</summary>
    public PlatformCalls Calls => calls;

    /// <summary>JSON body (chat.*, views.*). <paramref name="paceChannel"/> paces messages per channel.</summary>
    public Task<PlatformCallResult> PostJsonAsync(string method, JsonObject arguments, CancellationToken cancellationToken,
        string? paceChannel = null)
    {
        var json = arguments.ToJsonString();
        return CallAsync(method, SlackTokenKind.Bot, paceChannel, () => new HttpRequestMessage(HttpMethod.Post, method)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        }, cancellationToken);
    }

    /// <summary>Form body (conversations.*, auth.test, apps.connections.open).</summary>
    public Task<PlatformCallResult> PostFormAsync(string method, IReadOnlyDictionary<string, string> arguments,
        CancellationToken cancellationToken, SlackTokenKind token = SlackTokenKind.Bot) =>
        CallAsync(method, token, null, () => new HttpRequestMessage(HttpMethod.Post, method)
        {
            Content = new FormUrlEncodedContent(arguments),
        }, cancellationToken);

    /// <summary>GET with a query string (users.info).</summary>
    public Task<PlatformCallResult> GetAsync(string method, IReadOnlyDictionary<string, string> arguments, CancellationToken cancellationToken)
    {
        var query = string.Join('&', arguments.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        return CallAsync(method, SlackTokenKind.Bot, null,
            () => new HttpRequestMessage(HttpMethod.Get, query.Length == 0 ? method : $"{method}?{query}"), cancellationToken);
    }

    /// <summary>
    /// Posts to an interaction's response_url (no token: the URL is the credential, so it is never logged either).
    /// </summary>
    public Task<PlatformCallResult> PostToResponseUrlAsync(Uri responseUrl, JsonObject body, CancellationToken cancellationToken)
    {
        var json = body.ToJsonString();
        return PostWithoutTokenAsync("response_url", responseUrl,
            () => new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);
    }

    /// <summary>
    /// Sends a file's bytes to the upload_url files.getUploadURLExternal handed out. Like a response_url it is its own
    /// credential: the bot token is not sent to it, and it is never logged.
    /// </summary>
    public Task<PlatformCallResult> UploadAsync(Uri uploadUrl, byte[] content, string contentType, CancellationToken cancellationToken) =>
        PostWithoutTokenAsync("file_upload", uploadUrl, () =>
        {
            var bytes = new ByteArrayContent(content);
            bytes.Headers.ContentType = MediaTypeHeaderValue.TryParse(contentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
            return bytes;
        }, cancellationToken);

    private async Task<PlatformCallResult> PostWithoutTokenAsync(string method, Uri url, Func<HttpContent> content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content() };
        request.Options.Set(SlackRequest.Method, method);
        return await SendAsync(method, request, (response, _) => Task.FromResult(
            response.IsSuccessStatusCode ? PlatformCallResult.Success((int)response.StatusCode, null)
            // 404 expired_url / used_url and the like: it cannot be delivered this way; 429 and 5xx are worth another try.
            : HttpError(response)), cancellationToken).ConfigureAwait(false);
    }

    private async Task<PlatformCallResult> CallAsync(string method, SlackTokenKind tokenKind, string? paceChannel,
        Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        // Authentication, pacing, retries of 429, 5xx, no answer and Slack's retryable errors: the pipeline's
        // handlers (AddSlackPlatform). What arrives here is the last answer.
        using var request = build();
        request.Options.Set(SlackRequest.Method, method);
        request.Options.Set(SlackRequest.Token, tokenKind);
        if (paceChannel is not null) request.Options.Set(SlackRequest.Channel, paceChannel);
        return await SendAsync(method, request, ReadAsync, cancellationToken).ConfigureAwait(false);
    }

    private async Task<PlatformCallResult> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status == 429 || status >= 500) return HttpError(response);

        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return SlackErrors.InvalidResponse(status, $"HTTP {status}, not a JSON object");
        }
        if (root.ValueKind != JsonValueKind.Object) return SlackErrors.InvalidResponse(status, $"HTTP {status}, not a JSON object");
        if (root.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True) return PlatformCallResult.Success(status, root);

        var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
            ? e.GetString() ?? "unknown_error" : "unknown_error";
        return PlatformCallResult.Failed(new PlatformRefused(SlackErrors.Platform, SlackErrors.Classify(error), status, error, DetailOf(root)), status, root);
    }

    /// <summary>An HTTP error status: 429 (Retry-After, 1 s when Slack did not say, as Python's SDK assumes) and 5xx
    /// are worth another try, anything else is not.</summary>
    private PlatformCallResult HttpError(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var retryAfter = PlatformRequest.RetryAfterHeader(response, time);
        PlatformError error = status == 429
            ? new PlatformRateLimited(SlackErrors.Platform, status, null) { RetryAfter = retryAfter ?? TimeSpan.FromSeconds(1) }
            : new PlatformRefused(SlackErrors.Platform, status >= 500 ? PlatformErrorKind.Retryable : PlatformErrorKind.Permanent, status, null)
            {
                RetryAfter = status >= 500 ? retryAfter : null,
            };
        return PlatformCallResult.Failed(error, status);
    }

    /// <summary>Sends through the pipeline (the base address and the handlers come from AddSlackPlatform).</summary>
    private Task<PlatformCallResult> SendAsync(string method, HttpRequestMessage request,
        Func<HttpResponseMessage, CancellationToken, Task<PlatformCallResult>> read, CancellationToken cancellationToken) =>
        PlatformCallResult.SendAsync(httpClients.CreateClient(HttpClientName), request, SlackErrors.Platform, method, read, logger, cancellationToken);

    private static string? DetailOf(JsonElement root)
    {
        if (!root.TryGetProperty("response_metadata", out var meta) || meta.ValueKind != JsonValueKind.Object) return null;
        if (!meta.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array) return null;
        var text = string.Join("; ", messages.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()));
        return text.Length == 0 ? null : text;
    }
}
