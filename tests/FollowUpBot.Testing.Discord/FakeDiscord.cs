using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Testing.Discord;

/// <summary>A request the fake received, as it came over the wire. <see cref="Instance"/> is the
/// <see cref="FakeDiscord.InstanceHeader"/> a test puts on each bot instance's requests, when there are several.</summary>
public sealed record RecordedRequest(long Number, string Method, string Path, string Query, string? Authorization, string? UserAgent, string Body,
    long ArrivedAt = 0, IReadOnlyList<string>? Files = null, string? Instance = null)
{
    public JsonNode? Json => string.IsNullOrWhiteSpace(Body) ? null : JsonNode.Parse(Body);

    public bool Is(string method, string pathPrefix) =>
        Method == method && Path.StartsWith("/api/v10/" + pathPrefix.TrimStart('/'), StringComparison.Ordinal);

    public override string ToString() => $"{Method} {Path} {Body}";
}

/// <summary>A scripted answer: a status with body and headers, or a dropped connection.</summary>
public sealed record FakeReply(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null, bool Drop = false)
{
    public static FakeReply RateLimited(double retryAfter, bool global = false) => new(429,
        $$"""{"message":"You are being rate limited.","retry_after":{{retryAfter.ToString(CultureInfo.InvariantCulture)}},"global":{{(global ? "true" : "false")}}}""",
        new Dictionary<string, string>
        {
            ["Retry-After"] = Math.Ceiling(retryAfter).ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Scope"] = global ? "global" : "user",
            [global ? "X-RateLimit-Global" : "X-RateLimit-Bucket"] = global ? "true" : "msgbucket",
            ["X-RateLimit-Limit"] = "5", ["X-RateLimit-Remaining"] = "0",
            ["X-RateLimit-Reset-After"] = retryAfter.ToString(CultureInfo.InvariantCulture),
        });

    public static FakeReply DmsClosed { get; } = new(403, """{"message":"Cannot send messages to this user","code":50007}""");

    public static FakeReply ServerError(int status = 502) => new(status, "<html>bad gateway</html>");
}

/// <summary>
/// A Discord that follows the public documentation: the gateway WebSocket and the REST routes the adapter uses,
/// on Kestrel at 127.0.0.1 and a free port. It records every request and frame and can be scripted to misbehave
/// in every way the documentation allows.
/// </summary>
public sealed class FakeDiscord : IAsyncDisposable
{
    public const string Token = "MTA5.fake-bot-token.Zq9-SECRET-sauce_42";
    public const string ApplicationId = "1100000000000000001";
    public const string BotUserId = "1100000000000000002";

    /// <summary>A test-only header naming the bot instance a request came from (several instances, one fake).</summary>
    public const string InstanceHeader = "X-Test-Instance";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly List<(Func<RecordedRequest, bool> Match, Queue<FakeReply> Replies)> _scripts = [];
    private readonly ConcurrentDictionary<string, JsonObject> _messagesByNonce = new();
    private readonly ConcurrentQueue<JsonObject> _messages = new();
    private readonly Queue<DateTimeOffset> _globalWindow = new();
    private readonly Dictionary<string, (int Remaining, DateTimeOffset ResetAt)> _buckets = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _requestNumber;
    private long _messageId = 1200000000000000000;

    private FakeDiscord(WebApplication app)
    {
        _app = app;
        Gateway = new FakeGateway(this);
    }

    public FakeGateway Gateway { get; }

    public string BaseUrl { get; private set; } = "";

    public string ApiBaseUrl => BaseUrl + "/api/v10";

    public string GatewayUrl => BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/gateway";

    public string ResumeUrl => BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/resume";

    /// <summary>Users whose DMs are closed: sending them a message answers 403 50007.</summary>
    public ConcurrentDictionary<string, byte> ClosedDms { get; } = new();

    /// <summary>Enforce Discord's global limit (requests per second) with 429s, as the real service does.</summary>
    public int? GlobalLimitPerSecond { get; set; }

    /// <summary>Per-channel message bucket size (per <see cref="BucketWindow"/>), with rate-limit headers.</summary>
    public int? MessageBucketSize { get; set; }

    public TimeSpan BucketWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to sit on the answer to a message post once the message exists (a slow network back).</summary>
    public Func<RecordedRequest, TimeSpan>? MessageAnswerDelay { get; set; }

    public int Global429s;

    /// <summary>429s answered because a per-channel message bucket was empty.</summary>
    public int Bucket429s;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public IReadOnlyList<JsonObject> Messages => _messages.ToArray();

    public static async Task<FakeDiscord> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeDiscord(app);
        app.UseWebSockets();
        app.Run(async context =>
        {
            if (context.Request.Path.StartsWithSegments("/gateway") || context.Request.Path.StartsWithSegments("/resume"))
                await fake.Gateway.AcceptAsync(context);
            else await fake.RestAsync(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = address.TrimEnd('/');
        return fake;
    }

    /// <summary>Discord keeps nonces for a few minutes only; this is the fake's "a few minutes later".</summary>
    public void ForgetNonces() => _messagesByNonce.Clear();

    /// <summary>The configuration that points the adapter at this fake.</summary>
    public Dictionary<string, string?> Configuration(bool gatewayUrl = true) => new()
    {
        ["Discord:Token"] = Token,
        ["Discord:ApiBaseUrl"] = ApiBaseUrl,
        ["Discord:GatewayUrl"] = gatewayUrl ? GatewayUrl : null,
        ["Discord:FirstReconnectDelay"] = "00:00:00.020",
        ["Discord:MaxReconnectDelay"] = "00:00:00.200",
        ["Discord:IdentifyInterval"] = "00:00:00",
    };

    /// <summary>Answers the next requests matching <paramref name="match"/> with <paramref name="replies"/>, in order.</summary>
    public void Script(Func<RecordedRequest, bool> match, params FakeReply[] replies)
    {
        lock (_scripts) _scripts.Add((match, new Queue<FakeReply>(replies)));
    }

    public async Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> match, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            if (_requests.FirstOrDefault(match) is { } found) return found;
            await Task.Delay(10);
        }
        throw new TimeoutException($"The fake Discord never received {what}. It got:\n{string.Join("\n", _requests.Select(r => r.ToString()))}");
    }

    public async Task<RecordedRequest> CallbackAsync(string interactionId) =>
        await WaitForRequestAsync(r => r.Is("POST", $"interactions/{interactionId}/"), $"the callback of interaction {interactionId}");

    /// <summary>The status each REST request was answered with, by request number.</summary>
    public ConcurrentDictionary<long, (int Status, DateTimeOffset At, string RateLimit)> Answers { get; } = new();

    private async Task RestAsync(HttpContext context)
    {
        try
        {
            await AnswerAsync(context);
        }
        finally
        {
            if (context.Items["number"] is long number) Answers[number] = (context.Response.StatusCode, DateTimeOffset.UtcNow, context.Response.Headers["X-RateLimit-Remaining"].ToString() + "/" + context.Response.Headers["X-RateLimit-Reset-After"].ToString());
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var arrivedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        string body;
        var files = new List<string>();
        if (context.Request.HasFormContentType)
        {
            // An upload: the JSON rides in payload_json, the files beside it.
            var form = await context.Request.ReadFormAsync();
            body = form["payload_json"].ToString();
            files.AddRange(form.Files.Select(f => $"{f.Name}:{f.FileName}:{f.Length}"));
        }
        else
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync();
        }
        var request = new RecordedRequest(Interlocked.Increment(ref _requestNumber), context.Request.Method, context.Request.Path.Value ?? "",
            context.Request.QueryString.Value ?? "", context.Request.Headers.Authorization.ToString(), context.Request.Headers.UserAgent.ToString(), body, arrivedAt, files,
            context.Request.Headers.TryGetValue(InstanceHeader, out var instance) ? instance.ToString() : null);
        _requests.Enqueue(request);
        context.Items["number"] = request.Number;

        if (request.Authorization != "Bot " + Token)
        {
            await WriteAsync(context, 401, """{"message":"401: Unauthorized","code":0}""");
            return;
        }
        FakeReply? scripted = null;
        lock (_scripts)
            foreach (var (match, replies) in _scripts)
                if (replies.Count > 0 && match(request))
                {
                    scripted = replies.Dequeue();
                    break;
                }
        if (scripted is { Drop: true })
        {
            context.Abort();
            return;
        }
        if (scripted is not null)
        {
            foreach (var (name, value) in scripted.Headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
            await WriteAsync(context, scripted.Status, scripted.Body);
            return;
        }
        if (!request.Is("POST", "interactions/") && !request.Is("POST", "webhooks/") && !request.Is("PATCH", "webhooks/") && OverGlobalLimit())
        {
            Interlocked.Increment(ref Global429s);
            context.Response.Headers["X-RateLimit-Global"] = "true";
            context.Response.Headers["X-RateLimit-Scope"] = "global";
            context.Response.Headers["Retry-After"] = "1";
            await WriteAsync(context, 429, """{"message":"You are being rate limited.","retry_after":0.2,"global":true}""");
            return;
        }
        await RouteAsync(context, request);
    }

    private bool OverGlobalLimit()
    {
        if (GlobalLimitPerSecond is not { } limit) return false;
        lock (_globalWindow)
        {
            var now = DateTimeOffset.UtcNow;
            while (_globalWindow.Count > 0 && now - _globalWindow.Peek() >= TimeSpan.FromSeconds(1)) _globalWindow.Dequeue();
            if (_globalWindow.Count >= limit) return true;
            _globalWindow.Enqueue(now);
            return false;
        }
    }

    private async Task RouteAsync(HttpContext context, RecordedRequest request)
    {
        var segments = request.Path["/api/v10/".Length..].Split('/');
        switch (request.Method, segments)
        {
            case ("GET", ["gateway", "bot"]):
                await WriteAsync(context, 200, new JsonObject
                {
                    ["url"] = GatewayUrl, ["shards"] = Gateway.ExpectedShardCount ?? 1,
                    ["session_start_limit"] = new JsonObject { ["total"] = 1000, ["remaining"] = 999, ["reset_after"] = 14400000, ["max_concurrency"] = 1 },
                }.ToJsonString());
                return;
            case ("GET", ["applications", "@me"]):
                await WriteAsync(context, 200, $$$"""{"id":"{{{ApplicationId}}}","name":"FollowUpBot","flags":0,"bot_public":true,"extra_field":{"x":1}}""");
                return;
            case ("PUT", ["applications", _, "commands"]):
            case ("PUT", ["applications", _, "guilds", _, "commands"]):
                var commands = JsonNode.Parse(request.Body)!.AsArray();
                var n = 0;
                foreach (var command in commands) command!["id"] = (1300000000000000000 + n++).ToString(CultureInfo.InvariantCulture);
                await WriteAsync(context, 200, commands.ToJsonString());
                return;
            case ("POST", ["users", "@me", "channels"]):
                var recipient = JsonNode.Parse(request.Body)?["recipient_id"]?.GetValue<string>() ?? "";
                await WriteAsync(context, 200, $$$"""{"id":"9{{{recipient}}}","type":1,"last_message_id":null,"recipients":[{"id":"{{{recipient}}}","username":"member"}]}""");
                return;
            case ("GET", ["channels", var historyChannel, "messages"]):
                var history = new JsonArray(_messages.Where(m => m["channel_id"]!.GetValue<string>() == historyChannel).Reverse()
                    .Select(m => (JsonNode)new JsonObject
                    {
                        ["id"] = m["id"]!.DeepClone(), ["channel_id"] = historyChannel, ["type"] = 0, ["content"] = m["content"]?.DeepClone(),
                        ["components"] = m["components"]?.DeepClone(), ["author"] = m["author"]!.DeepClone(), ["timestamp"] = m["timestamp"]!.DeepClone(),
                    }).ToArray());
                await WriteAsync(context, 200, history.ToJsonString());
                return;
            case ("POST", ["channels", var channel, "messages"]):
                await CreateMessageAsync(context, channel, request);
                return;
            case ("POST", ["interactions", _, _, "callback"]):
                context.Response.StatusCode = 204;
                return;
            case ("PATCH", ["webhooks", _, _, "messages", "@original"]):
            case ("POST", ["webhooks", _, _]):
                var message = JsonNode.Parse(request.Body)!.AsObject();
                message["id"] = Interlocked.Increment(ref _messageId).ToString(CultureInfo.InvariantCulture);
                await WriteAsync(context, 200, message.ToJsonString());
                return;
            default:
                await WriteAsync(context, 404, """{"message":"404: Not Found","code":0}""");
                return;
        }
    }

    private async Task CreateMessageAsync(HttpContext context, string channel, RecordedRequest request)
    {
        if (channel.StartsWith('9') && ClosedDms.ContainsKey(channel[1..]))
        {
            await WriteAsync(context, 403, """{"message":"Cannot send messages to this user","code":50007}""");
            return;
        }
        if (MessageBucketSize is { } size)
        {
            lock (_buckets)
            {
                var now = DateTimeOffset.UtcNow;
                var bucket = _buckets.TryGetValue(channel, out var b) && b.ResetAt > now ? b : (Remaining: size, ResetAt: now + BucketWindow);
                if (bucket.Remaining <= 0)
                {
                    context.Response.Headers["X-RateLimit-Scope"] = "user";
                    context.Response.StatusCode = 429;
                    Interlocked.Increment(ref Bucket429s);
                }
                else bucket.Remaining--;
                _buckets[channel] = bucket;
                context.Response.Headers["X-RateLimit-Limit"] = size.ToString(CultureInfo.InvariantCulture);
                context.Response.Headers["X-RateLimit-Remaining"] = bucket.Remaining.ToString(CultureInfo.InvariantCulture);
                context.Response.Headers["X-RateLimit-Reset-After"] = (bucket.ResetAt - now).TotalSeconds.ToString("F3", CultureInfo.InvariantCulture);
                context.Response.Headers["X-RateLimit-Bucket"] = "create-message-hash";
            }
            if (context.Response.StatusCode == 429)
            {
                await WriteAsync(context, 429, """{"message":"You are being rate limited.","retry_after":1.0,"global":false}""");
                return;
            }
        }
        var body = JsonNode.Parse(request.Body)!.AsObject();
        var nonce = body["nonce"]?.ToJsonString();
        if (nonce is not null && body["enforce_nonce"]?.GetValue<bool>() == true && _messagesByNonce.TryGetValue(channel + nonce, out var earlier))
        {
            await WriteAsync(context, 200, earlier.ToJsonString());
            return;
        }
        var message = new JsonObject
        {
            ["id"] = Interlocked.Increment(ref _messageId).ToString(CultureInfo.InvariantCulture),
            ["channel_id"] = channel,
            ["type"] = 0,
            ["content"] = body["content"]?.DeepClone(),
            ["components"] = body["components"]?.DeepClone(),
            ["author"] = new JsonObject { ["id"] = BotUserId, ["username"] = "FollowUpBot", ["bot"] = true },
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        };
        if (nonce is not null)
        {
            message["nonce"] = body["nonce"]!.DeepClone();
            _messagesByNonce[channel + nonce] = message;
        }
        _messages.Enqueue(message);
        if (MessageAnswerDelay?.Invoke(request) is { } delay && delay > TimeSpan.Zero)
        {
            using var held = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try { await Task.Delay(delay, held.Token); }
            catch (OperationCanceledException) { return; }
        }
        await WriteAsync(context, 200, message.ToJsonString());
    }

    private static async Task WriteAsync(HttpContext context, int status, string? body)
    {
        context.Response.StatusCode = status;
        if (body is null) return;
        context.Response.ContentType = body.StartsWith('<') ? "text/html" : "application/json";
        await context.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        Gateway.DropAll();
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
