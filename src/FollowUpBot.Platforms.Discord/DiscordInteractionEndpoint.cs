using System.Text.Json;
using FollowUpBot.Platforms.Discord.Interactions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Platforms.Discord;

/// <summary>POST /discord/interactions: verify the signature on the raw bytes, then answer like the gateway path.</summary>
internal static class DiscordInteractionEndpoint
{
    private const int MaxBodyBytes = 1 << 20;
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromMilliseconds(2900);

    public static async Task<IResult> HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var verifier = services.GetRequiredService<DiscordSignatureVerifier>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DiscordInteractionEndpoint).FullName!);

        if (context.Request.ContentLength > MaxBodyBytes) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (buffer.Length > MaxBodyBytes) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);

        if (!verifier.IsValid(context.Request.Headers["X-Signature-Ed25519"], context.Request.Headers["X-Signature-Timestamp"], body.Span))
        {
            logger.LogInformation("Refused an interaction request with a bad, missing or stale signature");
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

        var responder = new HttpInitialResponder();
        var handler = services.GetRequiredService<InteractionHandler>();
        // The work outlives this request (follow-ups go through the webhook), so it is not tied to RequestAborted.
        var handling = Task.Run(() => handler.HandleAsync(interaction, responder, CancellationToken.None));
        var first = await Task.WhenAny(responder.Response, handling, Task.Delay(AnswerWithin)).ConfigureAwait(false);
        if (responder.Response.IsCompletedSuccessfully)
            return Results.Text(responder.Response.Result.ToJsonString(), "application/json", statusCode: StatusCodes.Status200OK);
        responder.Abandon();
        return first == handling ? Results.BadRequest() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
    }
}
