using System.Text.Json;

namespace FollowUpBot.Platforms.Discord.Rest;

/// <summary>
/// What a REST call came to. <see cref="Status"/> is 0 when no response arrived (network error, or held back
/// by the adapter itself). <see cref="ErrorCode"/> is Discord's JSON error code (50007 ...).
/// </summary>
public sealed record DiscordResponse(int Status, JsonElement? Body, int? ErrorCode = null, string? ErrorMessage = null, TimeSpan? RetryAfter = null)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public string Describe() =>
        Status == 0 ? $"no response from Discord ({ErrorMessage})"
        : ErrorCode is { } code ? $"HTTP {Status}, Discord code {code}: {ErrorMessage}"
        : $"HTTP {Status}{(ErrorMessage is null ? "" : ": " + ErrorMessage)}";

    public string? GetString(string property) =>
        Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
