using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FollowUpBot.Testing.Slack;

public sealed partial class FakeSlack
{
    // Tier limits per minute as Slack documents them; chat.postMessage is special (1/s per channel).
    private static readonly Dictionary<string, int> TierLimits = new(StringComparer.Ordinal)
    {
        ["apps.connections.open"] = 1 * 10, // Tier 1 "tolerates a small amount of burst"
        ["conversations.open"] = 50,
        ["conversations.history"] = 50,
        ["chat.update"] = 50,
        ["chat.postEphemeral"] = 100,
        ["users.info"] = 100,
        ["views.open"] = 100,
        ["auth.test"] = 100,
        ["files.getUploadURLExternal"] = 100,
        ["files.completeUploadExternal"] = 100,
    };

    private static readonly HashSet<string> JsonMethods = new(StringComparer.Ordinal)
    {
        "chat.postMessage", "chat.update", "chat.postEphemeral", "views.open", "views.update",
    };

    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _windows = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _channelLastPost = new();
    private int _rateLimited;

    private Task HandleApiAsync(HttpContext context, string method) => HandleApiCallAsync(context, method, null);

    /// <summary>A Web API call; <paramref name="instance"/> names the bot instance that made it, when known.</summary>
    private async Task HandleApiCallAsync(HttpContext context, string method, string? instance)
    {
        if (instance is not null && IsKilled(instance))
        {
            // A dead process sends nothing: its request never arrives.
            await HangAsync(context);
            return;
        }
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var raw = await reader.ReadToEndAsync();
        var contentType = context.Request.ContentType;
        JsonObject args;
        try
        {
            args = ReadArgs(context.Request, raw);
        }
        catch (System.Text.Json.JsonException)
        {
            await context.Response.WriteAsJsonAsync(Error("invalid_json"));
            return;
        }
        var auth = context.Request.Headers.Authorization.ToString();
        var token = auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth["Bearer ".Length..] : null;
        _calls.Enqueue(new ApiCall(method, context.Request.Method, contentType, token, args, raw));

        if (_faults.TryGetValue(method, out var queue) && queue.TryDequeue(out var fault))
        {
            await WriteFaultAsync(context, fault);
            return;
        }

        if (JsonMethods.Contains(method) && contentType?.StartsWith("application/json", StringComparison.Ordinal) == true
            && !contentType.Contains("charset=utf-8", StringComparison.OrdinalIgnoreCase))
        {
            await context.Response.WriteAsJsonAsync(Error("missing_charset"));
            return;
        }

        var expectedToken = method == "apps.connections.open" ? AppToken : BotToken;
        if (token is null)
        {
            await context.Response.WriteAsJsonAsync(Error("not_authed"));
            return;
        }
        if (token != expectedToken || (!BotTokenValid && token == BotToken))
        {
            await context.Response.WriteAsJsonAsync(Error("invalid_auth"));
            return;
        }

        if (EnforceRateLimits && RetryAfter(method, args) is { } retryAfter)
        {
            Interlocked.Increment(ref _rateLimited);
            await WriteFaultAsync(context, FakeFault.RateLimited(retryAfter));
            return;
        }

        // The instance dies once its next nudge has reached Slack, before it hears back.
        var dying = instance is not null && method == "chat.postMessage" && args["metadata"] is JsonObject
            && _dieAfterNextNudge.TryRemove(instance, out var death) ? death : null;

        var answer = method switch
        {
            "auth.test" => new JsonObject
            {
                ["ok"] = true, ["url"] = "https://fake.slack.com/", ["team"] = "Fake", ["user"] = "followupbot",
                ["team_id"] = TeamId, ["user_id"] = BotUserId, ["bot_id"] = "B0FAKE", ["is_enterprise_install"] = false,
            },
            "apps.connections.open" => OpenConnection(instance),
            "conversations.open" => OpenConversation(args),
            "chat.postMessage" => PostMessage(args),
            "chat.update" => UpdateMessage(args),
            "chat.postEphemeral" => new JsonObject { ["ok"] = true, ["message_ts"] = NextTs() },
            "conversations.history" => History(args),
            "users.info" => UserInfo(args),
            "views.open" => OpenView(args),
            "files.getUploadURLExternal" => GetUploadUrl(args, contentType),
            "files.completeUploadExternal" => CompleteUpload(args),
            _ => Error("unknown_method"),
        };
        if (dying is not null)
        {
            Kill(instance!);
            dying.TrySetResult(args["metadata"]?["event_payload"]?["delivery_key"]?.ToString() ?? "");
            await HangAsync(context);
            return;
        }
        await context.Response.WriteAsJsonAsync(answer);
    }

    private static async Task WriteFaultAsync(HttpContext context, FakeFault fault)
    {
        context.Response.StatusCode = fault.Status;
        if (fault.RetryAfterSeconds is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString();
        if (fault.Error is not null) await context.Response.WriteAsJsonAsync(Error(fault.Error));
        else await context.Response.WriteAsync("<html>upstream trouble</html>");
    }

    private int? RetryAfter(string method, JsonObject args)
    {
        var now = DateTimeOffset.UtcNow;
        if (method == "chat.postMessage" && args["channel"]?.ToString() is { } channel)
        {
            var last = _channelLastPost.GetValueOrDefault(channel);
            // Slack allows about one message per second per channel; allow a little clock slack.
            if (now - last < TimeSpan.FromMilliseconds(950)) return 1;
            _channelLastPost[channel] = now;
        }
        if (!TierLimits.TryGetValue(method, out var limit)) return null;
        var window = _windows.GetOrAdd(method, _ => new Queue<DateTimeOffset>());
        lock (window)
        {
            while (window.Count > 0 && window.Peek() <= now.AddMinutes(-1)) window.Dequeue();
            if (window.Count >= limit) return (int)Math.Ceiling((window.Peek().AddMinutes(1) - now).TotalSeconds);
            window.Enqueue(now);
        }
        return null;
    }

    private JsonObject OpenConversation(JsonObject args)
    {
        var users = args["users"]?.ToString();
        if (string.IsNullOrEmpty(users)) return Error("invalid_arguments");
        if (BotUsers.ContainsKey(users)) return Error("cannot_dm_bot");
        if (!Users.ContainsKey(users)) return Error("user_not_found");
        return new JsonObject { ["ok"] = true, ["channel"] = new JsonObject { ["id"] = DmChannelOf(users) } };
    }

    private bool ChannelExists(string? channel) =>
        channel is not null && (Channels.ContainsKey(channel) || (channel.StartsWith('D') && Users.ContainsKey(channel[1..])));

    private JsonObject PostMessage(JsonObject args)
    {
        var channel = args["channel"]?.ToString();
        if (!ChannelExists(channel)) return Error("channel_not_found");
        var text = (string?)args["text"];
        var blocks = args["blocks"] as JsonArray;
        if (string.IsNullOrEmpty(text) && blocks is null) return Error("no_text");
        if (text is { Length: > 40_000 }) return Error("msg_too_long");
        if (blocks is not null && BlockProblem(blocks, maxBlocks: 50) is { } problem) return Error(problem);
        JsonObject? metadata = null;
        if (args["metadata"] is JsonObject m)
        {
            if (m["event_type"] is null || m["event_payload"] is not JsonObject) return Error("invalid_metadata_format");
            metadata = (JsonObject)m.DeepClone();
        }
        var message = new PostedMessage(channel!, NextTs(), text, (JsonArray?)blocks?.DeepClone(), metadata);
        lock (_gate) _messages.Add(message);
        return new JsonObject
        {
            ["ok"] = true, ["channel"] = channel, ["ts"] = message.Ts,
            ["message"] = new JsonObject { ["text"] = text, ["ts"] = message.Ts },
        };
    }

    private JsonObject UpdateMessage(JsonObject args)
    {
        var channel = args["channel"]?.ToString();
        var ts = args["ts"]?.ToString();
        if (!ChannelExists(channel)) return Error("channel_not_found");
        PostedMessage? message;
        lock (_gate) message = _messages.FirstOrDefault(m => m.Channel == channel && m.Ts == ts);
        if (message is null) return Error("message_not_found");
        if (args["blocks"] is JsonArray blocks && BlockProblem(blocks, maxBlocks: 50) is { } problem) return Error(problem);
        lock (_gate)
        {
            message.Text = (string?)args["text"] ?? message.Text;
            message.Blocks = (JsonArray?)args["blocks"]?.DeepClone() ?? message.Blocks;
            message.Updates++;
        }
        return new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = ts, ["text"] = message.Text };
    }

    private JsonObject History(JsonObject args)
    {
        var channel = args["channel"]?.ToString();
        if (!ChannelExists(channel)) return Error("channel_not_found");
        var limit = int.TryParse(args["limit"]?.ToString(), out var l) ? l : 100;
        var withMetadata = args["include_all_metadata"]?.ToString() is "true" or "1";
        var messages = new JsonArray();
        foreach (var message in MessagesIn(channel!).Reverse().Take(limit))
        {
            var item = new JsonObject { ["type"] = "message", ["ts"] = message.Ts, ["text"] = message.Text };
            if (withMetadata && message.Metadata is not null) item["metadata"] = message.Metadata.DeepClone();
            messages.Add(item);
        }
        return new JsonObject { ["ok"] = true, ["messages"] = messages, ["has_more"] = false };
    }

    private JsonObject UserInfo(JsonObject args)
    {
        var id = args["user"]?.ToString();
        if (id is null || !Users.TryGetValue(id, out var tz)) return Error("user_not_found");
        var user = new JsonObject
        {
            ["id"] = id, ["team_id"] = TeamId, ["name"] = id.ToLowerInvariant(), ["tz"] = tz,
            ["is_admin"] = Admins.ContainsKey(id), ["is_owner"] = false, ["is_primary_owner"] = false,
        };
        if (tz is not null && TimeZoneInfo.TryFindSystemTimeZoneById(tz, out var zone))
        {
            user["tz_label"] = zone.StandardName;
            user["tz_offset"] = (int)zone.GetUtcOffset(DateTimeOffset.UtcNow).TotalSeconds;
        }
        return new JsonObject { ["ok"] = true, ["user"] = user };
    }

    private JsonObject OpenView(JsonObject args)
    {
        var trigger = args["trigger_id"]?.ToString();
        if (trigger is null || !_triggers.TryRemove(trigger, out var issuedAt))
            return Error(trigger is not null && _usedTriggers.ContainsKey(trigger) ? "exchanged_trigger_id" : "invalid_trigger_id");
        _usedTriggers[trigger] = true;
        if (DateTimeOffset.UtcNow - issuedAt > TimeSpan.FromSeconds(3)) return Error("expired_trigger_id");
        if (args["view"] is not JsonObject view) return Error("invalid_arguments");
        if (ViewProblem(view) is { } problem) return Error(problem);
        var opened = new OpenedView($"V{Interlocked.Increment(ref _sequence)}", trigger, (JsonObject)view.DeepClone());
        lock (_gate) _views.Add(opened);
        var echo = (JsonObject)view.DeepClone();
        echo["id"] = opened.ViewId;
        return new JsonObject { ["ok"] = true, ["view"] = echo };
    }

    private readonly ConcurrentDictionary<string, bool> _usedTriggers = new();
}
