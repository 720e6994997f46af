using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FollowUpBot.Testing.Discord;

/// <summary>A frame the fake gateway received, with the number of the connection it came on (1, 2, ...).</summary>
public sealed record GatewayFrame(int Connection, int Op, JsonNode? Data, string Raw);

/// <summary>A dispatch the fake sent (or kept for a resume when <see cref="Connection"/> is null), and on which shard.</summary>
public sealed record GatewayDispatch(int Shard, int? Connection, long Seq, string Type, JsonNode? Data);

/// <summary>
/// The gateway side of the fake: Hello, heartbeat ACKs, Identify -> READY, Resume -> replay + RESUMED, and per
/// shard a session log of dispatches (sent while disconnected too) for resumes to replay. Each Identify's
/// <c>shard</c> array claims a shard (none means [0, 1]); a shard id outside the count, a count other than the
/// other shards', or a shard another open connection holds is refused with close 4010, as Discord does.
/// Interactions go to the shard Discord would use: (guild_id &gt;&gt; 22) % shard_count, DMs to shard 0.
/// </summary>
public sealed class FakeGateway(FakeDiscord discord)
{
    public const int InvalidShard = 4010;

    private readonly ConcurrentQueue<GatewayFrame> _received = new();
    private readonly ConcurrentQueue<GatewayDispatch> _dispatches = new();
    private readonly ConcurrentQueue<(int Connection, WebSocketCloseStatus? Status)> _clientCloses = new();
    private readonly Dictionary<int, ShardSession> _shards = [];
    private readonly ConcurrentDictionary<string, byte> _refused = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private WebSocket? _current;
    private int _connections;
    private int _shardCount = 1;

    /// <summary>One shard's session: its connection, and the dispatches a resume replays.</summary>
    private sealed class ShardSession
    {
        public WebSocket? Socket;
        public int Connection;
        public string? SessionId;
        public long Seq;
        public readonly List<(long Seq, JsonObject Frame)> Log = [];
    }

    /// <summary>Short enough to see heartbeats in a test, long enough that a busy machine does not miss an ACK.</summary>
    public int HeartbeatIntervalMs { get; set; } = 2000;

    public bool AcknowledgeHeartbeats { get; set; } = true;

    /// <summary>READY without resume_gateway_url (older gateways; the docs do not promise it).</summary>
    public bool OmitResumeUrl { get; set; }

    /// <summary>When set, an Identify is answered with this close code instead of READY.</summary>
    public int? CloseOnIdentify { get; set; }

    /// <summary>When set, the shard count every Identify must carry (what GET /gateway/bot recommends).</summary>
    public int? ExpectedShardCount { get; set; }

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>
    /// Identifies that found their shard held by another open connection, by shard: a second holder, whether the
    /// fake then refused it (4010) or the first went away within the grace it gives reconnects.
    /// </summary>
    public IReadOnlyList<(int Shard, string? Client, string? Holder)> ContestedIdentifies => _contested.ToArray();

    private readonly ConcurrentQueue<(int Shard, string? Client, string? Holder)> _contested = new();

    /// <summary>Each shard's Identify, in order: the shard, the connection, the client's name and when (UTC).</summary>
    public IReadOnlyList<(int Shard, int Connection, string? Client, DateTime At)> Identifies => _identifies.ToArray();

    private readonly ConcurrentQueue<(int Shard, int Connection, string? Client, DateTime At)> _identifies = new();

    /// <summary>When each client's connection was closed by the client or dropped, with the shard it held (if any).</summary>
    public IReadOnlyList<(int? Shard, int Connection, string? Client, DateTime At)> Ends => _ends.ToArray();

    private readonly ConcurrentQueue<(int? Shard, int Connection, string? Client, DateTime At)> _ends = new();

    public IReadOnlyList<string> ConnectQueries { get; private set; } = [];

    private readonly ConcurrentQueue<string> _queries = new();

    public IReadOnlyList<GatewayFrame> Received => _received.ToArray();

    public IReadOnlyList<GatewayFrame> Frames(int op) => _received.Where(f => f.Op == op).ToArray();

    /// <summary>Every dispatch, in the order sent, with the shard and connection it went to.</summary>
    public IReadOnlyList<GatewayDispatch> Dispatches => _dispatches.ToArray();

    public IReadOnlyList<(int Connection, WebSocketCloseStatus? Status)> ClientCloses => _clientCloses.ToArray();

    /// <summary>Shard 0's session id.</summary>
    public string? SessionId
    {
        get { lock (_gate) return _shards.GetValueOrDefault(0)?.SessionId; }
    }

    /// <summary>Shard 0's last sequence number.</summary>
    public long Sequence
    {
        get { lock (_gate) return _shards.GetValueOrDefault(0)?.Seq ?? 0; }
    }

    /// <summary>The shard Discord sends a guild's events on; events outside a guild (DMs) go to shard 0.</summary>
    public static int ShardOf(string? guildId, int shardCount) =>
        guildId is null ? 0 : (int)((ulong.Parse(guildId, System.Globalization.CultureInfo.InvariantCulture) >> 22) % (ulong)shardCount);

    /// <summary>The shard id an open, identified (or resumed) connection holds, or null.</summary>
    public int? ShardOfConnection(int connection)
    {
        lock (_gate) return _shards.Where(s => s.Value.Connection == connection).Select(s => (int?)s.Key).FirstOrDefault();
    }

    public async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        // A path suffix (/gateway/node-a) names the client: a "dead" one's connections are swallowed unanswered.
        var client = ClientOf(context.Request.Path.Value);
        if (client is not null && _refused.ContainsKey(client))
        {
            using var hanging = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try { await Task.Delay(Timeout.Infinite, hanging.Token); }
            catch (OperationCanceledException) { }
            return;
        }
        _queries.Enqueue(context.Request.QueryString.Value ?? "");
        ConnectQueries = _queries.ToArray();
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var number = Interlocked.Increment(ref _connections);
        lock (_gate) _current = socket;
        try
        {
            await SendAsync(socket, new JsonObject { ["op"] = 10, ["d"] = new JsonObject { ["heartbeat_interval"] = HeartbeatIntervalMs } });
            await ReceiveLoopAsync(socket, number, client);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_current, socket)) _current = null;
                int? held = null;
                foreach (var (id, shard) in _shards)
                    if (ReferenceEquals(shard.Socket, socket))
                    {
                        shard.Socket = null;
                        held = id;
                    }
                _ends.Enqueue((held, number, client, DateTime.UtcNow));
            }
        }
    }

    private static string? ClientOf(string? path) =>
        path?.Split('/', StringSplitOptions.RemoveEmptyEntries) is [_, var name, ..] ? name : null;

    /// <summary>The gateway URL for one named client, so that <see cref="KillClient"/> can cut it off later.</summary>
    public string UrlFor(string client) => discord.GatewayUrl + "/" + client;

    /// <summary>
    /// What Discord sees when a client's process dies: its connections drop without a close frame, and (since the
    /// process is gone) it never connects again: later attempts of the in-process host are left hanging.
    /// </summary>
    public void KillClient(string client)
    {
        _refused[client] = 0;
        foreach (var (socket, name) in _clientSockets.ToArray())
            if (name == client) socket.Abort();
    }

    private readonly ConcurrentDictionary<WebSocket, string> _clientSockets = new();

    private async Task ReceiveLoopAsync(WebSocket socket, int number, string? client)
    {
        if (client is not null) _clientSockets[socket] = client;
        try
        {
            await ReceiveFramesAsync(socket, number, client);
        }
        finally
        {
            _clientSockets.TryRemove(socket, out _);
        }
    }

    private async Task ReceiveFramesAsync(WebSocket socket, int number, string? client)
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
            var received = new GatewayFrame(number, op, data?.DeepClone(), raw);
            // An Identify or Resume is recorded once the shard is this connection's, so that a test that saw it can
            // dispatch at once without the dispatch going to the session log instead.
            if (op is not (2 or 6)) _received.Enqueue(received);
            switch (op)
            {
                case 1 when AcknowledgeHeartbeats:
                    await SendAsync(socket, new JsonObject { ["op"] = 11 });
                    break;
                case 2:
                    if (CloseOnIdentify is { } code)
                    {
                        _received.Enqueue(received);
                        await socket.CloseOutputAsync((WebSocketCloseStatus)code, "closing as scripted", CancellationToken.None);
                        return;
                    }
                    var shard = data?["shard"] is JsonArray { Count: 2 } pair ? (Id: pair[0]!.GetValue<int>(), Count: pair[1]!.GetValue<int>()) : (Id: 0, Count: 1);
                    if (!await ClaimShardAsync(socket, number, shard.Id, shard.Count, client))
                    {
                        _received.Enqueue(received);
                        await socket.CloseOutputAsync((WebSocketCloseStatus)InvalidShard, "Invalid shard.", CancellationToken.None);
                        return;
                    }
                    await ReadyAsync(socket, shard.Id, shard.Count, client, received);
                    break;
                case 6:
                    await ResumeAsync(socket, number, data, received);
                    break;
            }
        }
    }

    /// <summary>
    /// Gives the shard to this connection unless the shard is invalid or another open connection holds it. A
    /// client that reconnects may identify before the server has seen its old connection close, so a holder gets
    /// a moment to go away first.
    /// </summary>
    private async Task<bool> ClaimShardAsync(WebSocket socket, int connection, int id, int count, string? client)
    {
        if (count < 1 || id < 0 || id >= count || (ExpectedShardCount is { } expected && count != expected)) return false;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        var first = true;
        while (true)
        {
            lock (_gate)
            {
                if (first && _shards.GetValueOrDefault(id)?.Socket is { State: WebSocketState.Open } other && !ReferenceEquals(other, socket))
                    _contested.Enqueue((id, client, _clientSockets.GetValueOrDefault(other)));
                first = false;
                var otherShards = _shards.Where(s => s.Key != id && s.Value.Socket is { State: WebSocketState.Open }).ToList();
                if (otherShards.Count > 0 && count != _shardCount) return false;
                var session = _shards.GetValueOrDefault(id);
                if (session?.Socket is not { State: WebSocketState.Open } holder || ReferenceEquals(holder, socket))
                {
                    session ??= _shards[id] = new ShardSession();
                    session.Socket = socket;
                    session.Connection = connection;
                    _shardCount = count;
                    _identifies.Enqueue((id, connection, client, DateTime.UtcNow));
                    return true;
                }
            }
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(20);
        }
    }

    private async Task ReadyAsync(WebSocket socket, int shard, int count, string? client, GatewayFrame identify)
    {
        long seq;
        string sessionId;
        lock (_gate)
        {
            var session = _shards[shard];
            session.SessionId = sessionId = Guid.NewGuid().ToString("N");
            session.Log.Clear();
            session.Seq = 0;
            seq = ++session.Seq;
        }
        _received.Enqueue(identify);
        await SendAsync(socket, new JsonObject
        {
            ["op"] = 0, ["s"] = seq, ["t"] = "READY",
            ["d"] = new JsonObject
            {
                ["v"] = 10,
                ["user"] = new JsonObject { ["id"] = FakeDiscord.BotUserId, ["username"] = "FollowUpBot", ["bot"] = true, ["avatar"] = null },
                ["guilds"] = new JsonArray(new JsonObject { ["id"] = "1400000000000000001", ["unavailable"] = true }),
                ["session_id"] = sessionId,
                ["resume_gateway_url"] = OmitResumeUrl ? null : client is null ? discord.ResumeUrl : discord.ResumeUrl + "/" + client,
                ["shard"] = new JsonArray(shard, count),
                ["application"] = new JsonObject { ["id"] = FakeDiscord.ApplicationId, ["flags"] = 0 },
                ["_trace"] = new JsonArray("fake-gateway"),
            },
        });
    }

    private async Task ResumeAsync(WebSocket socket, int connection, JsonNode? data, GatewayFrame resume)
    {
        var sessionId = data?["session_id"]?.GetValue<string>();
        var from = data?["seq"]?.GetValue<long>() ?? -1;
        List<JsonObject>? replay = null;
        lock (_gate)
        {
            if (sessionId is not null && _shards.FirstOrDefault(s => s.Value.SessionId == sessionId) is { Value: { } session })
            {
                session.Socket = socket;
                session.Connection = connection;
                replay = session.Log.Where(e => e.Seq > from).Select(e => (JsonObject)e.Frame.DeepClone()).ToList();
            }
        }
        _received.Enqueue(resume);
        if (replay is null)
        {
            await SendAsync(socket, new JsonObject { ["op"] = 9, ["d"] = false });
            return;
        }
        foreach (var frame in replay) await SendAsync(socket, frame);
        long seq;
        lock (_gate) seq = ++_shards.First(s => s.Value.SessionId == sessionId).Value.Seq;
        await SendAsync(socket, new JsonObject { ["op"] = 0, ["s"] = seq, ["t"] = "RESUMED", ["d"] = new JsonObject() });
    }

    /// <summary>Sends a dispatch on a shard (0 unless given) now, or keeps it for the resume when that shard has no client.</summary>
    public async Task DispatchAsync(string type, JsonNode? data, int splitInto = 1, int shard = 0)
    {
        JsonObject frame;
        WebSocket? socket;
        lock (_gate)
        {
            var session = _shards.TryGetValue(shard, out var s) ? s : _shards[shard] = new ShardSession();
            var seq = ++session.Seq;
            frame = new JsonObject { ["op"] = 0, ["s"] = seq, ["t"] = type, ["d"] = data };
            session.Log.Add((seq, (JsonObject)frame.DeepClone()));
            socket = session.Socket is { State: WebSocketState.Open } open ? open : null;
            _dispatches.Enqueue(new GatewayDispatch(shard, socket is null ? null : session.Connection, seq, type, data?.DeepClone()));
        }
        if (socket is not null) await SendAsync(socket, frame, splitInto);
    }

    /// <summary>An INTERACTION_CREATE on the shard its guild belongs to (shard 0 for DMs).</summary>
    public Task InteractionAsync(JsonNode interaction, int splitInto = 1)
    {
        int count;
        lock (_gate) count = _shardCount;
        var shard = ShardOf(interaction["guild_id"]?.GetValue<string>(), count);
        return DispatchAsync("INTERACTION_CREATE", interaction, splitInto, shard);
    }

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

    /// <summary>Drops one shard's connection without a close frame; its client resumes.</summary>
    public void DropShard(int shard)
    {
        lock (_gate) _shards.GetValueOrDefault(shard)?.Socket?.Abort();
    }

    public void DropAll()
    {
        _stopping.Cancel();
        lock (_gate)
        {
            _current?.Abort();
            foreach (var shard in _shards.Values) shard.Socket?.Abort();
        }
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
