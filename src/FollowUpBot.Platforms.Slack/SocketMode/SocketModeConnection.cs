using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Platforms.Slack.SocketMode;

/// <summary>Why a connection needs replacing.</summary>
public enum ConnectionSignal
{
    /// <summary>Slack announced a routine close (warning, refresh_requested, ...): open the next one, then drain this.</summary>
    Refresh,
    /// <summary>Socket Mode is off for this app (link_disabled, socket_mode_disabled): reconnecting cannot help.</summary>
    Disabled,
    /// <summary>The connection dropped or went silent.</summary>
    Lost,
    /// <summary>
    /// Slack refused it as one too many (too_many_websockets: at most 10 per app, counted across every instance):
    /// replacing it at once would only be refused again.
    /// </summary>
    Crowded,
}

/// <summary>
/// One Socket Mode WebSocket: reads whole messages (however fragmented), hands envelopes to the handler without
/// blocking the read loop, sends acks on this same socket, and reports when it must be replaced.
/// </summary>
internal sealed class SocketModeConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Func<SocketModeConnection, JsonElement, Task> _onEnvelope;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ConnectionSignal> _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private int _inFlight;
    private Task _reading = Task.CompletedTask;

    public SocketModeConnection(int id, ClientWebSocket socket, Func<SocketModeConnection, JsonElement, Task> onEnvelope,
        TimeProvider time, ILogger logger)
    {
        _time = time;
        Id = id;
        _socket = socket;
        _onEnvelope = onEnvelope;
        _logger = logger;
    }

    public int Id { get; }

    /// <summary>Completes with the first reason this connection must be replaced.</summary>
    public Task<ConnectionSignal> Signal => _signal.Task;

    public string? DisconnectReason { get; private set; }

    public void Start() => _reading = Task.Run(ReadLoopAsync);

    public async Task WaitForHelloAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var first = await Task.WhenAny(_hello.Task, _signal.Task, Task.Delay(timeout, _time, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (first != _hello.Task)
            throw new WebSocketException(first != _signal.Task ? "Slack did not say hello in time."
                : DisconnectReason is { } reason ? $"Slack closed the connection before hello ({reason})." : "The connection closed before hello.");
    }

    /// <summary>Acks an envelope on this socket (Slack wants the ack where the envelope came from).</summary>
    public async Task AckAsync(string envelopeId, JsonObject? payload, CancellationToken cancellationToken)
    {
        var ack = new JsonObject { ["envelope_id"] = envelopeId };
        if (payload is not null) ack["payload"] = payload;
        var bytes = Encoding.UTF8.GetBytes(ack.ToJsonString());
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Lets envelopes already received finish their acks (up to <paramref name="timeout"/>), then closes.</summary>
    public async Task DrainAndCloseAsync(TimeSpan timeout)
    {
        var deadline = _time.GetUtcNow() + timeout;
        while (Volatile.Read(ref _inFlight) > 0 && _time.GetUtcNow() < deadline)
            await Task.Delay(TimeSpan.FromMilliseconds(10), _time).ConfigureAwait(false);
        await CloseAsync().ConfigureAwait(false);
    }

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open || _socket.State == WebSocketState.CloseReceived)
        {
            await _sendLock.WaitAsync().ConfigureAwait(false);
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "replaced", timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
            finally
            {
                _sendLock.Release();
            }
        }
        // The read loop ends when Slack answers the close; do not wait forever for a dead peer.
        if (await Task.WhenAny(_reading, Task.Delay(TimeSpan.FromSeconds(5), _time)).ConfigureAwait(false) != _reading) _stop.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            await _reading.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already reported by the read loop.
        }
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await _socket.ReceiveAsync(buffer.GetMemory(8 * 1024), _stop.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _logger.SocketClosed(Id, _socket.CloseStatus);
                    break;
                }
                buffer.Advance(result.Count);
                if (!result.EndOfMessage) continue;
                Dispatch(buffer.WrittenMemory);
                buffer.ResetWrittenCount();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            // Includes the keep-alive timeout: no pong means a dead connection.
            _logger.SocketDropped(Id, ex.Message);
        }
        finally
        {
            _hello.TrySetException(new WebSocketException("closed"));
            _signal.TrySetResult(ConnectionSignal.Lost);
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> message)
    {
        JsonElement frame;
        try
        {
            using var document = JsonDocument.Parse(message);
            frame = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            _logger.FrameNotJson(Id);
            return;
        }
        if (frame.ValueKind != JsonValueKind.Object)
        {
            _logger.FrameNotObject(Id);
            return;
        }

        var type = frame.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (frame.TryGetProperty("envelope_id", out var envelopeId) && envelopeId.ValueKind == JsonValueKind.String)
        {
            Interlocked.Increment(ref _inFlight);
            _ = Task.Run(async () =>
            {
                try
                {
                    await _onEnvelope(this, frame).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            });
            return;
        }

        switch (type)
        {
            case "hello":
                _hello.TrySetResult();
                break;
            case "disconnect":
                var reason = frame.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
                DisconnectReason = reason;
                _logger.SocketDisconnect(Id, reason ?? "no reason");
                _signal.TrySetResult(reason switch
                {
                    "link_disabled" or "socket_mode_disabled" => ConnectionSignal.Disabled,
                    "too_many_websockets" => ConnectionSignal.Crowded,
                    _ => ConnectionSignal.Refresh,
                });
                break;
            default:
                _logger.FrameIgnored(Id, type ?? "(none)");
                break;
        }
    }
}
