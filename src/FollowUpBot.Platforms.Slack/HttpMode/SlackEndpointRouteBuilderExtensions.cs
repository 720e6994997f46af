using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FollowUpBot.Platforms.Slack;
using FollowUpBot.Platforms.Slack.HttpMode;
using FollowUpBot.Platforms.Slack.Inbound;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// HTTP mode, for hosts with a public URL: Slack's Request URLs for slash commands, interactivity and events.
/// Every request's signature is checked over the raw body before anything is parsed.
/// </summary>
public static class SlackEndpointRouteBuilderExtensions
{
    public static IEndpointRouteBuilder MapSlackEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/slack/commands", (HttpContext context) => HandleAsync(context, SlackInbound.SlashCommands));
        endpoints.MapPost("/slack/interactions", (HttpContext context) => HandleAsync(context, SlackInbound.Interactive));
        endpoints.MapPost("/slack/events", (HttpContext context) => HandleAsync(context, SlackInbound.EventsApi));
        return endpoints;
    }

    private static async Task HandleAsync(HttpContext context, string kind)
    {
        var services = context.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("FollowUpBot.Platforms.Slack.HttpMode");

        // Kestrel drains an unread body after the answer: capped here too, so the refusal stops the upload.
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = FollowUpBot.Core.Transport.BoundedBody.MaxBytes + 1;
        byte[]? body;
        try
        {
            body = await FollowUpBot.Core.Transport.BoundedBody.ReadAsync(context.Request.Body, context.Request.ContentLength, context.RequestAborted);
        }
        catch (BadHttpRequestException)
        {
            body = null;
        }
        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }
        var verifier = services.GetRequiredService<SlackSignatureVerifier>();
        if (!verifier.IsValid(context.Request.Headers["X-Slack-Request-Timestamp"], context.Request.Headers["X-Slack-Signature"], body))
        {
            logger.SignatureRejected(context.Request.Path.ToString());
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        JsonElement payload;
        try
        {
            payload = Parse(kind, Encoding.UTF8.GetString(body));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            logger.UnreadableRequest(kind, ex.GetType().Name);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (kind == SlackInbound.EventsApi && FormModalStr(payload, "type") == "url_verification")
        {
            await context.Response.WriteAsJsonAsync(new { challenge = FormModalStr(payload, "challenge") ?? "" });
            return;
        }

        var inbound = services.GetRequiredService<SlackInbound>();
        // Slack numbers its retries of a request it got no timely 200 for; the first delivery carries no header.
        var retryAttempt = int.TryParse(context.Request.Headers["X-Slack-Retry-Num"], System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var retry) ? retry : 0;
        var ack = await inbound.ReceiveAsync(kind, payload, null, ackCarriesPayload: true, retryAttempt, CancellationToken.None);
        context.Response.StatusCode = StatusCodes.Status200OK;
        if (ack is not null) await WriteJsonAsync(context.Response, ack);
    }

    private static JsonElement Parse(string kind, string body)
    {
        switch (kind)
        {
            case SlackInbound.SlashCommands:
                // Form fields become the same JSON object Socket Mode delivers.
                var fields = new JsonObject();
                foreach (var (name, value) in QueryHelpers.ParseQuery(body)) fields[name] = value.ToString();
                return JsonSerializer.SerializeToElement(fields);
            case SlackInbound.Interactive:
                var form = QueryHelpers.ParseQuery(body);
                if (!form.TryGetValue("payload", out var json)) throw new FormatException("no payload field");
                return JsonDocument.Parse(json.ToString()).RootElement.Clone();
            default:
                return JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    private static async Task WriteJsonAsync(HttpResponse response, JsonObject body)
    {
        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(body.ToJsonString());
    }

    private static string? FormModalStr(JsonElement element, string name) => FollowUpBot.Platforms.Slack.Rendering.FormModal.Str(element, name);
}
