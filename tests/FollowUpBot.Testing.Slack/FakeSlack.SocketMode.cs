using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FollowUpBot.Testing.Slack;

public sealed partial class FakeSlack
{
    private readonly List<FakeSocket> _sockets = [];
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Ack>> _firstAcks = new();
    private readonly ConcurrentQueue<Ack> _acks = new();
    private readonly ConcurrentDictionary<string, long> _envelopeSentAt = new();
    private int _socketIds;

    /// <summary>Every socket the adapter opened, in order.</summary>
    public IReadOnlyList<FakeSocket> Sockets
    {
        get { lock (_gate) return _sockets.ToList(); }
    }

    public IReadOnlyList<FakeSocket> OpenSockets => Sockets.Where(s => s.IsOpen).ToList();

    public IReadOnlyList<Ack> Acks => _acks.ToList();

    /// <summary>Query strings of the socket URLs the adapter connected to.</summary>
    public ConcurrentQueue<string> SocketQueries { get; } = new();

    public Task<IReadOnlyList<FakeSocket>> WaitForOpenSocketsAsync(int count) =>
        WaitUntilAsync<IReadOnlyList<FakeSocket>>(() => OpenSockets is { } open && open.Count(s => s.Greeted) >= count ? open : null,
            $"{count} open sockets");

    public async Task<Ack> WaitForAckAsync(string envelopeId, TimeSpan? timeout = null)
    {
        var waiter = _firstAcks.GetOrAdd(envelopeId, _ => new TaskCompletionSource<Ack>(TaskCreationOptions.RunContinuationsAsynchronously));
        return await waiter.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(15));
    }

    /// <summary>Open connections Slack allows one app (10); one more is greeted, then told too_many_websockets and closed.</summary>
    public int MaxConnections { get; set; } = 10;

    /// <summary>Where apps.connections.open sends the adapter (a relay in front of the fake, in some tests).</summary>
    public int? SocketPort { get; set; }

    private JsonObject OpenConnection(string? instance)
    {
        // A fresh, single-use URL for every call, as Slack hands out.
        var ticket = Guid.NewGuid().ToString("N");
        _tickets[ticket] = false;
        var socketBase = SocketPort is { } port ? new UriBuilder(BaseUrl) { Port = port }.Uri : BaseUrl;
        var owner = instance is null ? "" : "&instance=" + Uri.EscapeDataString(instance);
        var url = new Uri(socketBase, $"link/?ticket={ticket}&app_id=A0FAKE{owner}").ToString().Replace("http://", "ws://");
        return new JsonObject { ["ok"] = true, ["url"] = url };
    }

    private async Task AcceptSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        // Every connection needs a fresh URL from apps.connections.open.
        var ticket = context.Request.Query["ticket"].ToString();
        if (!_tickets.TryUpdate(ticket, true, false))
        {
            context.Response.StatusCode = 401;
            return;
        }
        SocketQueries.Enqueue(context.Request.QueryString.Value ?? "");
        using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
        var instance = context.Request.Query["instance"].ToString();
        var socket = new FakeSocket(Interlocked.Increment(ref _socketIds), webSocket, this) { Instance = instance.Length > 0 ? instance : null };
        lock (_gate) _sockets.Add(socket);
        if (instance.Length > 0 && IsKilled(instance))
        {
            socket.Abort();
            return;
        }
        if (SendHello)
        {
            await socket.SendAsync(new JsonObject
            {
                ["type"] = "hello", ["num_connections"] = OpenSockets.Count,
                ["connection_info"] = new JsonObject { ["app_id"] = "A0FAKE" },
                ["debug_info"] = new JsonObject { ["host"] = "applink-fake", ["approximate_connection_time"] = 18060 },
            });
            socket.Greeted = true;
        }
        if (OpenSockets.Count > MaxConnections)
        {
            // Slack's limit per app, whichever processes hold the connections.
            socket.Greeted = false;
            await socket.DisconnectAsync("too_many_websockets");
        }
        await socket.ReceiveLoopAsync(context.RequestAborted);
    }

    internal void RecordSent(string envelopeId) => _envelopeSentAt[envelopeId] = System.Diagnostics.Stopwatch.GetTimestamp();

    internal void RecordFrame(FakeSocket socket, string text)
    {
        JsonObject? frame;
        try
        {
            frame = JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            Problems.Enqueue("socket frame is not JSON");
            return;
        }
        if (frame?["envelope_id"]?.ToString() is not { } envelopeId)
        {
            Problems.Enqueue("socket frame without envelope_id: " + text);
            return;
        }
        // An ack the network lost on its way to Slack: as if it never came.
        if (_lostAcks.TryRemove(envelopeId, out _)) return;
        // Slack gives the app three seconds to acknowledge.
        var elapsed = _envelopeSentAt.TryGetValue(envelopeId, out var sentAt)
            ? System.Diagnostics.Stopwatch.GetElapsedTime(sentAt) : TimeSpan.Zero;
        var ack = new Ack(envelopeId, socket.Id, frame["payload"]?.DeepClone(), elapsed > TimeSpan.FromSeconds(3)) { Elapsed = elapsed };
        _acks.Enqueue(ack);
        _firstAcks.GetOrAdd(envelopeId, _ => new TaskCompletionSource<Ack>(TaskCreationOptions.RunContinuationsAsynchronously))
            .TrySetResult(ack);
    }
}

/// <summary>The server side of one Socket Mode connection.</summary>
public sealed class FakeSocket(int id, WebSocket socket, FakeSlack owner)
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Id { get; } = id;

    public bool Greeted { get; internal set; }

    /// <summary>The bot instance that opened it (see <see cref="FakeSlack.ApiBaseUrlFor"/>), or null.</summary>
    public string? Instance { get; internal init; }

    public bool IsOpen => socket.State == WebSocketState.Open && !_closed.Task.IsCompleted;

    /// <summary>Completes when the connection is gone (closed by either side or aborted).</summary>
    public Task Closed => _closed.Task;

    public bool ClosedByClient { get; private set; }

    public async Task SendAsync(JsonNode frame, int fragments = 1)
    {
        var bytes = Encoding.UTF8.GetBytes(frame.ToJsonString());
        await _sendLock.WaitAsync();
        try
        {
            var size = (int)Math.Ceiling(bytes.Length / (double)fragments);
            for (var offset = 0; offset < bytes.Length; offset += size)
            {
                var count = Math.Min(size, bytes.Length - offset);
                await socket.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Text,
                    endOfMessage: offset + count >= bytes.Length, CancellationToken.None);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends an envelope and returns its id.</summary>
    public async Task<string> SendEnvelopeAsync(string type, JsonObject payload, bool acceptsResponsePayload = true,
        int retryAttempt = 0, string? envelopeId = null, int fragments = 1)
    {
        envelopeId ??= Guid.NewGuid().ToString();
        var envelope = new JsonObject
        {
            ["envelope_id"] = envelopeId,
            ["type"] = type,
            ["payload"] = payload.DeepClone(),
            ["accepts_response_payload"] = acceptsResponsePayload,
        };
        if (type == "events_api" || retryAttempt > 0)
        {
            envelope["retry_attempt"] = retryAttempt;
            envelope["retry_reason"] = retryAttempt == 0 ? "" : "timeout";
        }
        owner.RecordSent(envelopeId);
        await SendAsync(envelope, fragments);
        return envelopeId;
    }

    public Task DisconnectAsync(string reason) => SendAsync(new JsonObject
    {
        ["type"] = "disconnect", ["reason"] = reason, ["debug_info"] = new JsonObject { ["host"] = "wss-fake" },
    });

    public async Task CloseAsync()
    {
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
        }
        await _closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Drops the TCP connection without a close handshake (a dead network).</summary>
    public void Abort()
    {
        socket.Abort();
        _closed.TrySetResult();
    }

    internal async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(buffer.GetMemory(4096), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    ClosedByClient = true;
                    if (socket.State == WebSocketState.CloseReceived)
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    break;
                }
                buffer.Advance(result.Count);
                if (!result.EndOfMessage) continue;
                owner.RecordFrame(this, Encoding.UTF8.GetString(buffer.WrittenSpan));
                buffer.Clear();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _closed.TrySetResult();
        }
    }
}
