using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Testing.Slack;

/// <summary>
/// A wire-level fake of Slack on 127.0.0.1 (random port): the Web API methods the adapter uses, the Socket Mode
/// server behind apps.connections.open, response_urls. It records everything, checks what Slack documents
/// (tokens, content types, trigger lifetimes, view and block limits) and plays scripted faults.
/// </summary>
public sealed partial class FakeSlack : IAsyncDisposable
{
    public const string BotToken = "xoxb-1111-2222-FAKEBOTSECRET";
    public const string AppToken = "xapp-1-A0FAKE-3333-FAKEAPPSECRET";
    public const string TeamId = "T0FAKE";
    public const string BotUserId = "UBOT";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ApiCall> _calls = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeFault>> _faults = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly List<PostedMessage> _messages = [];
    private readonly List<OpenedView> _views = [];
    private readonly ConcurrentQueue<ResponsePost> _responsePosts = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _triggers = new();
    private readonly ConcurrentDictionary<string, bool> _tickets = new();
    private long _sequence = 1_700_000_000_000;

    private FakeSlack(Action<WebApplicationBuilder>? configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        configure?.Invoke(builder);
        _app = builder.Build();
        _app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(5) });
        _app.Map("/api/{method}", HandleApiAsync);
        _app.Map("/i/{instance}/api/{method}", (HttpContext context, string instance, string method) => HandleApiCallAsync(context, method, instance));
        _app.MapPost("/response/{id}", HandleResponseUrlAsync);
        _app.Map("/link", AcceptSocketAsync);
        _app.MapPost("/upload/{fileId}", HandleUploadAsync);
    }

    public static async Task<FakeSlack> StartAsync(Action<WebApplicationBuilder>? configure = null)
    {
        var fake = new FakeSlack(configure);
        await fake._app.StartAsync();
        fake.BaseUrl = new Uri(fake._app.Urls.First().TrimEnd('/') + "/");
        return fake;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public Uri ApiBaseUrl => new(BaseUrl, "api/");

    /// <summary>Users known to the workspace and their IANA zone (null: Slack knows none).</summary>
    public ConcurrentDictionary<string, string?> Users { get; } = new() { ["U1"] = "America/New_York", ["U2"] = "Europe/Berlin" };

    /// <summary>Workspace admins (users.info is_admin).</summary>
    public ConcurrentDictionary<string, bool> Admins { get; } = new();

    public ConcurrentDictionary<string, bool> BotUsers { get; } = new() { [BotUserId] = true };

    /// <summary>Public channels the bot may post to.</summary>
    public ConcurrentDictionary<string, bool> Channels { get; } = new() { ["C1"] = true };

    /// <summary>When false every call with the bot token answers invalid_auth (a revoked or mistyped token).</summary>
    public bool BotTokenValid { get; set; } = true;

    /// <summary>Answer 429 like Slack: chat.postMessage above one per second per channel, any method above its tier.</summary>
    public bool EnforceRateLimits { get; set; }

    /// <summary>Send hello to new sockets (switch off to test the hello timeout).</summary>
    public bool SendHello { get; set; } = true;

    public IReadOnlyList<ApiCall> Calls => _calls.ToList();

    public IReadOnlyList<ApiCall> CallsTo(string method) => _calls.Where(c => c.Method == method).ToList();

    public int RateLimitedAnswers => _rateLimited;

    public IReadOnlyList<PostedMessage> Messages
    {
        get { lock (_gate) return _messages.ToList(); }
    }

    public IReadOnlyList<PostedMessage> MessagesIn(string channel) => Messages.Where(m => m.Channel == channel).ToList();

    public IReadOnlyList<OpenedView> Views
    {
        get { lock (_gate) return _views.ToList(); }
    }

    public IReadOnlyList<ResponsePost> ResponsePosts => _responsePosts.ToList();

    /// <summary>The DM channel the fake assigns to a user.</summary>
    public static string DmChannelOf(string userId) => "D" + userId;

    /// <summary>The next <paramref name="times"/> calls of <paramref name="method"/> get <paramref name="fault"/>.</summary>
    public void Script(string method, FakeFault fault, int times = 1)
    {
        var queue = _faults.GetOrAdd(method, _ => new ConcurrentQueue<FakeFault>());
        for (var i = 0; i < times; i++) queue.Enqueue(fault);
    }

    /// <summary>Puts a message in a channel as if sent earlier (e.g. a nudge delivered before a crash).</summary>
    public PostedMessage Seed(string channel, string text, JsonObject? metadata)
    {
        var message = new PostedMessage(channel, NextTs(), text, null, metadata);
        lock (_gate) _messages.Add(message);
        return message;
    }

    public string NewTriggerId()
    {
        var id = $"{Interlocked.Increment(ref _sequence)}.{TeamId}.trigger";
        _triggers[id] = DateTimeOffset.UtcNow;
        return id;
    }

    public string NewResponseUrl() => new Uri(BaseUrl, $"response/{Interlocked.Increment(ref _sequence)}").ToString();

    public async Task<T> WaitUntilAsync<T>(Func<T?> probe, string what, TimeSpan? timeout = null) where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            if (probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The fake Slack never saw: {what}");
            await Task.Delay(20);
        }
    }

    public async Task WaitUntilAsync(Func<bool> probe, string what, TimeSpan? timeout = null) =>
        await WaitUntilAsync(() => probe() ? "yes" : null, what, timeout);

    private string NextTs()
    {
        var n = Interlocked.Increment(ref _sequence);
        return $"{n / 1_000_000}.{n % 1_000_000:D6}";
    }

    private async Task HandleResponseUrlAsync(HttpContext context, string id)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var raw = await reader.ReadToEndAsync();
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true
            || JsonNode.Parse(raw) is not JsonObject body)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("invalid_payload");
            return;
        }
        if (_responsePosts.Count(p => p.ResponseUrlId == id) >= 5)
        {
            // Slack: a response_url works up to five times.
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("used_url");
            return;
        }
        _responsePosts.Enqueue(new ResponsePost(id, body));
        if ((bool?)body["replace_original"] == true) ReplaceOriginal(id, body);
        await context.Response.WriteAsJsonAsync(new { ok = true });
    }

    // A response_url from a block action replaces the message the button sat on.
    private readonly ConcurrentDictionary<string, PostedMessage> _responseUrlMessages = new();

    private void ReplaceOriginal(string responseUrlId, JsonObject body)
    {
        if (!_responseUrlMessages.TryGetValue(responseUrlId, out var message)) return;
        lock (_gate)
        {
            message.Text = (string?)body["text"];
            message.Blocks = body["blocks"]?.DeepClone().AsArray();
            message.Updates++;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_delivering).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
        }
        foreach (var socket in Sockets) socket.Abort();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static JsonObject Error(string error) => new() { ["ok"] = false, ["error"] = error };

    private static JsonObject ReadArgs(HttpRequest request, string raw)
    {
        var args = new JsonObject();
        foreach (var (key, value) in request.Query) args[key] = value.ToString();
        var contentType = request.ContentType ?? "";
        if (contentType.StartsWith("application/json", StringComparison.Ordinal))
        {
            if (JsonNode.Parse(raw) is JsonObject json)
                foreach (var (key, value) in json) args[key] = value?.DeepClone();
        }
        else if (contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal))
        {
            foreach (var pair in raw.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Split('=', 2);
                args[Uri.UnescapeDataString(parts[0].Replace('+', ' '))] =
                    parts.Length > 1 ? Uri.UnescapeDataString(parts[1].Replace('+', ' ')) : "";
            }
        }
        return args;
    }
}
