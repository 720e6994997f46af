using System.Text.Json.Nodes;

namespace FollowUpBot.Testing.Slack;

/// <summary>One Web API request as the fake received it; <see cref="Args"/> holds JSON, form or query arguments alike.</summary>
public sealed record ApiCall(string Method, string HttpMethod, string? ContentType, string? Token, JsonObject Args, string RawBody)
{
    /// <summary>When the fake received it (a Stopwatch timestamp), so tests can check waits between calls against a schedule.</summary>
    public long ReceivedAt { get; init; } = System.Diagnostics.Stopwatch.GetTimestamp();

    public string? Arg(string name) => Args[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var node => node.ToJsonString(),
    };
}

/// <summary>A scripted answer: HTTP status, Slack error code (ok:false) and Retry-After.</summary>
public sealed record FakeFault(int Status, string? Error, int? RetryAfterSeconds = null)
{
    public static FakeFault RateLimited(int retryAfterSeconds) => new(429, "ratelimited", retryAfterSeconds);

    public static FakeFault ApiError(string error) => new(200, error);

    public static FakeFault ServerError(int status = 503) => new(status, null);
}

/// <summary>A message in a channel of the fake (chat.postMessage, later changed by chat.update).</summary>
public sealed class PostedMessage(string channel, string ts, string? text, JsonArray? blocks, JsonObject? metadata)
{
    public string Channel { get; } = channel;
    public string Ts { get; } = ts;
    public string? Text { get; set; } = text;
    public JsonArray? Blocks { get; set; } = blocks;
    public JsonObject? Metadata { get; } = metadata;
    public int Updates { get; set; }

    /// <summary>The action_ids of the message's buttons.</summary>
    public IReadOnlyList<string> ActionIds =>
        Blocks?.OfType<JsonObject>().Where(b => (string?)b["type"] == "actions")
            .SelectMany(b => b["elements"]!.AsArray().OfType<JsonObject>())
            .Select(e => (string)e["action_id"]!).ToList() ?? [];
}

/// <summary>An ack the fake received on a socket: which connection, what payload, whether it missed Slack's 3 s deadline.</summary>
public sealed record Ack(string EnvelopeId, int ConnectionId, JsonNode? Payload, bool Late)
{
    /// <summary>From the fake sending the envelope to the fake reading its ack (benchmarks only; tests never assert on it).</summary>
    public TimeSpan Elapsed { get; init; }
}

/// <summary>A POST to a response_url the fake handed out.</summary>
public sealed record ResponsePost(string ResponseUrlId, JsonObject Body);

/// <summary>A modal opened with views.open.</summary>
public sealed record OpenedView(string ViewId, string TriggerId, JsonObject View);
