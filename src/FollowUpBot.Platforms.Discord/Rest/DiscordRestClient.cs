using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Observability;
using FollowUpBot.Core.Transport;
using FollowUpBot.Platforms.Kit.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Discord.Rest;

/// <summary>
/// Discord's REST API: routes, JSON and multipart bodies. Returns every outcome as the kit's <see cref="PlatformCallResult"/>
/// rather than throwing, so callers decide what a failure means to them. Discord's rules are the HttpClient
/// pipeline's handlers (AddDiscordPlatform): <see cref="DiscordAuthHandler"/> (bot authorization, a stop on 401),
/// the kit's retry (5xx and no answer with backoff, bounded by MaxRestAttempts), <see cref="DiscordRateLimitHandler"/>
/// (per-route and global rate limits, 429s, the cap on invalid requests) and the kit's calls handler.
/// </summary>
public sealed class DiscordRestClient
{
    public const string HttpClientName = "FollowUpBot.Discord";

    private readonly HttpClient _http;
    private readonly ILogger<DiscordRestClient> _logger;
    private readonly Uri _baseUri;

    public DiscordRestClient(IHttpClientFactory httpClients, IOptions<DiscordOptions> options,
        [FromKeyedServices(HttpClientName)] PlatformCalls calls, ILogger<DiscordRestClient> logger)
    {
        _http = httpClients.CreateClient(HttpClientName);
        _logger = logger;
        _baseUri = new Uri(options.Value.ApiBaseUrl.TrimEnd('/') + "/");
        Calls = calls;
    }

    /// <summary>Every call counted (by the pipeline's calls handler), and the last one kept for the health check.</summary>
    public PlatformCalls Calls { get; }

    /// <summary>Sends <paramref name="body"/> as JSON, or, with a <paramref name="file"/>, as multipart form data
    /// (<c>payload_json</c> and <c>files[0]</c>) the way Discord takes uploads.</summary>
    public async Task<PlatformCallResult> SendAsync(DiscordRoute route, JsonNode? body, CancellationToken cancellationToken, Attachment? file = null)
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
        var url = new Uri(_baseUri, route.Path);
        using var request = new HttpRequestMessage(route.Method, url);
        request.Options.Set(DiscordRequest.Route, route);
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

        var result = await PlatformCallResult.SendAsync(_http, request, DiscordErrors.Platform, route.ToString(), ReadAsync, _logger, cancellationToken)
            .ConfigureAwait(false);
        switch (result.Error)
        {
            case PlatformNoAnswer or PlatformRefused { Kind: PlatformErrorKind.Retryable }:
                // No answer, 429 or 5xx once the retries gave up (or a wait was too long): the caller tries later.
                return result with { Error = result.Error with { RetryAfter = result.Error.RetryAfter ?? GaveUpRetryAfter } };
            case PlatformRefused:
                _logger.LogInformation("Discord {Route} refused: {Problem}", route, result.Describe());
                break;
        }
        return result;
    }

    // What a caller waits after the retries gave up without Discord saying how long.
    private static readonly TimeSpan GaveUpRetryAfter = TimeSpan.FromSeconds(5);

    // 250 ms doubling per attempt (MaxRestAttempts bounds it), plus up to 100 ms so parallel callers spread out.
    internal static readonly Backoff RetryBackoff = new(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(30)) { AddedJitter = TimeSpan.FromMilliseconds(100) };

    /// <summary>Discord's answer in the kit's model: the body, and for an error status Discord's JSON error code and
    /// message (<see cref="DiscordErrors"/> classifies them) and the wait a 429 asks for.</summary>
    internal static async Task<PlatformCallResult> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
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
        if (response.IsSuccessStatusCode) return PlatformCallResult.Success(status, body);
        message ??= response.ReasonPhrase;
        var errorCode = code is { } number ? DiscordErrors.Code(number) : null;
        PlatformError error = status == 429
            ? new PlatformRateLimited(DiscordErrors.Platform, status, errorCode, message)
            : new PlatformRefused(DiscordErrors.Platform, DiscordErrors.Classify(status, code), status, errorCode, message);
        return PlatformCallResult.Failed(error with { RetryAfter = retryAfter }, status, body);
    }

    internal static bool GlobalFlag(JsonElement? body) =>
        body is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty("global", out var g) && g.ValueKind == JsonValueKind.True;

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
