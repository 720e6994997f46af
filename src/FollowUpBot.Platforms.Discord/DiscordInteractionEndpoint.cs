using System.Text.Json;
using FollowUpBot.Core.Ports;
using FollowUpBot.Core.Transport;
using FollowUpBot.Platforms.Discord.Interactions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Platforms.Discord;

/// <summary>
/// POST /discord/interactions: read at most 1 MB of body (whatever the framing), verify the signature on the raw
/// bytes, take each interaction id once, then answer like the gateway path.
/// </summary>
internal static class DiscordInteractionEndpoint
{
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromMilliseconds(2900);

    /// <summary>What a replayed interaction gets: an answer, so the caller is not left waiting, but nothing runs.</summary>
    internal const string AlreadyHandledText = "This request was already handled.";

    public static async Task<IResult> HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var verifier = services.GetRequiredService<DiscordSignatureVerifier>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DiscordInteractionEndpoint).FullName!);

        // Kestrel drains an unread body after the answer: capped here too, so the refusal stops the upload.
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = BoundedBody.MaxBytes + 1;
        byte[]? bytes;
        try
        {
            bytes = await BoundedBody.ReadAsync(context.Request.Body, context.Request.ContentLength, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException)
        {
            bytes = null;
        }
        if (bytes is null)
        {
            // The rest of the body is not read: the connection is closed rather than drained.
            context.Response.Headers.Connection = "close";
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        var body = bytes.AsMemory();

        if (!verifier.IsValid(context.Request.Headers["X-Signature-Ed25519"], context.Request.Headers["X-Signature-Timestamp"], body.Span))
        {
            logger.SignatureRefused();
            return Results.Text("invalid request signature", statusCode: StatusCodes.Status401Unauthorized);
        }

        JsonElement interaction;
        try
        {
            using var document = JsonDocument.Parse(body);
            interaction = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Results.BadRequest();
        }
        if (interaction.ValueKind == JsonValueKind.Object && interaction.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Number &&
            type.TryGetInt32(out var t) && t == (int)InteractionType.Ping)
            return Results.Json(new { type = 1 });

        // A signed request can be sent again as it is while its timestamp is fresh: run each interaction id once,
        // on whichever instance gets it first.
        if (Id(interaction) is { } id)
        {
            var time = services.GetRequiredService<TransportClock>().Time.GetUtcNow();
            var window = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DiscordOptions>>().Value.MaxSignatureAge;
            if (!await services.GetRequiredService<IHandledInteractions>()
                    .TryClaimAsync("discord", id, time, time - window - window, context.RequestAborted).ConfigureAwait(false))
            {
                logger.InteractionAlreadyHandled(id);
                return Results.Json(new { type = 4, data = new { content = AlreadyHandledText, flags = 64 } });
            }
        }

        var responder = new HttpInitialResponder();
        var handler = services.GetRequiredService<InteractionHandler>();
        // The work outlives this request (follow-ups go through the webhook), so it is not tied to RequestAborted;
        // the handler tracks it, so a stop waits for it instead of cutting it off.
        var handling = handler.Start(interaction, responder);
        var first = await Task.WhenAny(responder.Response, handling, Task.Delay(AnswerWithin)).ConfigureAwait(false);
        if (responder.Response.IsCompletedSuccessfully)
            return Results.Text(responder.Response.Result.ToJsonString(), "application/json", statusCode: StatusCodes.Status200OK);
        responder.Abandon();
        return first == handling ? Results.BadRequest() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
    }

    private static string? Id(JsonElement interaction) =>
        interaction.ValueKind == JsonValueKind.Object && interaction.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;
}
