using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FollowUpBot.Platforms.Discord.Tests.Fakes;

/// <summary>A frame the fake gateway received, with the number of the connection it came on (1, 2, ...).</summary>
public sealed record GatewayFrame(int Connection, int Op, JsonNode? Data, string Raw);

/// <summary>
/// The gateway side of the fake: Hello, heartbeat ACKs, Identify -> READY, Resume -> replay + RESUMED, and a
/// session log of dispatches (sent while disconnected too) for resumes to replay.
/// </summary>
public sealed class FakeGateway(FakeDiscord discord)
{
    private readonly ConcurrentQueue<GatewayFrame> _received = new();
    private readonly ConcurrentQueue<(int Connection, WebSocketCloseStatus? Status)> _clientCloses = new();
    private readonly List<(long Seq, JsonObject Frame)> _log = [];
    private readonly object _gate = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private WebSocket? _current;
    private int _currentNumber;
    private string? _sessionId;
    private long _seq;
    private int _connections;

    /// <summary>Short enough to see heartbeats in a test, long enough that a busy machine does not miss an ACK.</summary>
    public int HeartbeatIntervalMs { get; set; } = 2000;

    public bool AcknowledgeHeartbeats { get; set; } = true;

    /// <summary>READY without resume_gateway_url (older gateways; the docs do not promise it).</summary>
    public bool OmitResumeUrl { get; set; }

    /// <summary>When set, an Identify is answered with this close code instead of READY.</summary>
    public int? CloseOnIdentify { get; set; }

    public int Connections => Volatile.Read(ref _connections);

    public IReadOnlyList<string> ConnectQueries { get; private set; } = [];

    private readonly ConcurrentQueue<string> _queries = new();

    public IReadOnlyList<GatewayFrame> Received => _received.ToArray();

    public IReadOnlyList<GatewayFrame> Frames(int op) => _received.Where(f => f.Op == op).ToArray();

    public IReadOnlyList<(int Connection, WebSocketCloseStatus? Status)> ClientCloses => _clientCloses.ToArray();

    public string? SessionId => _sessionId;

    public long Sequence => Interlocked.Read(ref _seq);

    public async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        _queries.Enqueue(context.Request.QueryString.Value ?? "");
        ConnectQueries = _queries.ToArray();
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var number = Interlocked.Increment(ref _connections);
        lock (_gate)
        {
            _current = socket;
            _currentNumber = number;
        }
        try
        {
            await SendAsync(socket, new JsonObject { ["op"] = 10, ["d"] = new JsonObject { ["heartbeat_interval"] = HeartbeatIntervalMs } });
            await ReceiveLoopAsync(socket, number);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (_gate)
                if (ReferenceEquals(_current, socket)) _current = null;
        }
    }

    private async Task ReceiveLoopAsync(WebSocket socket, int number)
    {
        var buffer = new byte[64 * 1024];
        while (socket.State == WebSocketState.Open)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _clientCloses.Enqueue((number, result.CloseStatus));
                    if (socket.State == WebSocketState.CloseReceived)
                        await socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }
                message.Write(buffer, 0, result.Count);
            } while (!result.EndOfMessage);

            var raw = Encoding.UTF8.GetString(message.ToArray());
            var frame = JsonNode.Parse(raw)!.AsObject();
            var op = frame["op"]!.GetValue<int>();
            var data = frame["d"];
            _received.Enqueue(new GatewayFrame(number, op, data?.DeepClone(), raw));
            switch (op)
            {
                case 1 when AcknowledgeHeartbeats:
                    await SendAsync(socket, new JsonObject { ["op"] = 11 });
                    break;
                case 2:
                    if (CloseOnIdentify is { } code)
                    {
                        await socket.CloseOutputAsync((WebSocketCloseStatus)code, "closing as scripted", CancellationToken.None);
                        return;
                    }
                    await ReadyAsync(socket);
                    break;
                case 6:
                    await ResumeAsync(socket, data);
                    break;
            }
        }
    }

    private async Task ReadyAsync(WebSocket socket)
    {
        long seq;
        lock (_gate)
        {
            _sessionId = Guid.NewGuid().ToString("N");
            _log.Clear();
            _seq = 0;
            seq = ++_seq;
        }
        await SendAsync(socket, new JsonObject
        {
            ["op"] = 0, ["s"] = seq, ["t"] = "READY",
            ["d"] = new JsonObject
            {
                ["v"] = 10,
                ["user"] = new JsonObject { ["id"] = FakeDiscord.BotUserId, ["username"] = "FollowUpBot", ["bot"] = true, ["avatar"] = null },
                ["guilds"] = new JsonArray(new JsonObject { ["id"] = "1400000000000000001", ["unavailable"] = true }),
                ["session_id"] = _sessionId,
                ["resume_gateway_url"] = OmitResumeUrl ? null : discord.ResumeUrl,
                ["shard"] = new JsonArray(0, 1),
                ["application"] = new JsonObject { ["id"] = FakeDiscord.ApplicationId, ["flags"] = 0 },
                ["_trace"] = new JsonArray("fake-gateway"),
            },
        });
    }

    private async Task ResumeAsync(WebSocket socket, JsonNode? data)
    {
        var session = data?["session_id"]?.GetValue<string>();
        var from = data?["seq"]?.GetValue<long>() ?? -1;
        List<JsonObject> replay;
        lock (_gate)
        {
            if (session is null || session != _sessionId)
                replay = [];
            else
                replay = _log.Where(e => e.Seq > from).Select(e => (JsonObject)e.Frame.DeepClone()).ToList();
        }
        if (session is null || session != _sessionId)
        {
            await SendAsync(socket, new JsonObject { ["op"] = 9, ["d"] = false });
            return;
        }
        foreach (var frame in replay) await SendAsync(socket, frame);
        long seq;
        lock (_gate) seq = ++_seq;
        await SendAsync(socket, new JsonObject { ["op"] = 0, ["s"] = seq, ["t"] = "RESUMED", ["d"] = new JsonObject() });
    }

    /// <summary>Sends a dispatch now, or keeps it for the resume when no client is connected.</summary>
    public async Task DispatchAsync(string type, JsonNode? data, int splitInto = 1)
    {
        JsonObject frame;
        WebSocket? socket;
        lock (_gate)
        {
            var seq = ++_seq;
            frame = new JsonObject { ["op"] = 0, ["s"] = seq, ["t"] = type, ["d"] = data };
            _log.Add((seq, (JsonObject)frame.DeepClone()));
            socket = _current;
        }
        if (socket is { State: WebSocketState.Open }) await SendAsync(socket, frame, splitInto);
    }

    public Task InteractionAsync(JsonNode interaction, int splitInto = 1) => DispatchAsync("INTERACTION_CREATE", interaction, splitInto);

    /// <summary>Any text, as is (not JSON, unknown opcodes, ...), on the current connection.</summary>
    public async Task SendRawAsync(string text, int splitInto = 1)
    {
        var socket = await CurrentAsync();
        await SendBytesAsync(socket, Encoding.UTF8.GetBytes(text), splitInto);
    }

    public async Task SendOpAsync(int op, JsonNode? data = null)
    {
        var socket = await CurrentAsync();
        await SendAsync(socket, new JsonObject { ["op"] = op, ["d"] = data, ["s"] = null, ["t"] = null });
    }

    public async Task CloseAsync(int code)
    {
        var socket = await CurrentAsync();
        await socket.CloseOutputAsync((WebSocketCloseStatus)code, "closing as scripted", CancellationToken.None);
    }

    /// <summary>Drops the TCP connection without a close frame.</summary>
    public async Task DropAsync()
    {
        var socket = await CurrentAsync();
        socket.Abort();
        lock (_gate)
            if (ReferenceEquals(_current, socket)) _current = null;
    }

    public void DropAll()
    {
        lock (_gate) _current?.Abort();
    }

    public async Task<GatewayFrame> WaitForFrameAsync(Func<GatewayFrame, bool> match, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            if (_received.FirstOrDefault(match) is { } frame) return frame;
            await Task.Delay(10);
        }
        throw new TimeoutException($"The fake gateway never received {what}. It got:\n{string.Join("\n", _received.Select(f => $"#{f.Connection} {f.Raw}"))}");
    }

    /// <summary>Waits for a ready (identified or resumed) client on a connection after <paramref name="afterConnection"/>.</summary>
    public Task<GatewayFrame> WaitForSessionAsync(int afterConnection = 0) =>
        WaitForFrameAsync(f => f.Connection > afterConnection && f.Op is 2 or 6, $"an Identify or Resume after connection {afterConnection}");

    private async Task<WebSocket> CurrentAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            lock (_gate)
                if (_current is { State: WebSocketState.Open } socket) return socket;
            await Task.Delay(10);
        }
        throw new TimeoutException("No client is connected to the fake gateway.");
    }

    private Task SendAsync(WebSocket socket, JsonNode frame, int splitInto = 1) =>
        SendBytesAsync(socket, Encoding.UTF8.GetBytes(frame.ToJsonString()), splitInto);

    private async Task SendBytesAsync(WebSocket socket, byte[] bytes, int splitInto)
    {
        await _sendLock.WaitAsync();
        try
        {
            var size = Math.Max(1, (int)Math.Ceiling(bytes.Length / (double)Math.Max(1, splitInto)));
            for (var offset = 0; offset < bytes.Length; offset += size)
            {
                var count = Math.Min(size, bytes.Length - offset);
                await socket.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Text, offset + count >= bytes.Length, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException)
        {
            // The client went away mid-send; the session log still has the dispatch for a resume.
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
