using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FollowUpBot.Core.Transport;
using FollowUpBot.Platforms.Discord.Interactions;
using FollowUpBot.Platforms.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Discord.Gateway;

/// <summary>
/// The gateway WebSocket of one shard: Hello, heartbeats (first one jittered, zombie detection), Identify or
/// Resume, dispatches, and reconnects as Discord's close codes and opcodes say. Interactions are handed to the
/// <see cref="InteractionHandler"/> without holding up the receive loop. <see cref="DiscordShards"/> runs one per
/// shard this instance holds.
/// </summary>
public sealed class DiscordGateway(
    int shardId,
    DiscordRestClient rest,
    InteractionHandler interactions,
    DiscordApplication application,
    FatalStop fatal,
    TransportClock transportClock,
    IOptions<DiscordOptions> options,
    ILogger<DiscordGateway> logger)
{
    private const int MaxMessageBytes = 8 * 1024 * 1024;

    private readonly DiscordOptions _options = options.Value;
    private readonly DiscordRestClient _rest = rest;
    private readonly InteractionHandler _interactions = interactions;
    private readonly DiscordApplication _application = application;
    private readonly ILogger _logger = logger;
    private readonly TimeProvider _clock = transportClock.Time;
    private string? _gatewayUrl;
    private string? _sessionId;
    private string? _resumeUrl;
    private long? _sequence;
    private DateTimeOffset _lastIdentify = DateTimeOffset.MinValue;

    /// <summary>The shard this connection identifies as.</summary>
    public int ShardId => shardId;

    public string? SessionId => _sessionId;

    /// <summary>The last dispatch sequence number seen.</summary>
    public long? Sequence => _sequence;

    /// <summary>Heartbeat ACKs received so far, over all connections (health and tests).</summary>
    public int AcknowledgedHeartbeats => Volatile.Read(ref _acks);

    private int _acks;

    // Health signals, read by DiscordHealth: a session is ready from READY/RESUMED until its connection ends.
    private volatile bool _ready;
    private long _lastAckTicks;
    private long _unansweredSinceTicks;
    private volatile string? _lastProblem;

    /// <summary>The current connection has a session (READY or RESUMED seen, connection not lost since).</summary>
    public bool IsReady => _ready;

    /// <summary>When the last heartbeat ACK arrived.</summary>
    public DateTimeOffset? LastAcknowledgedAt => Ticks(Interlocked.Read(ref _lastAckTicks));

    /// <summary>When the heartbeat still waiting for its ACK was sent; null when every heartbeat has been answered.</summary>
    public DateTimeOffset? HeartbeatUnansweredSince => Ticks(Interlocked.Read(ref _unansweredSinceTicks));

    /// <summary>Why the gateway last failed to connect or lost its connection.</summary>
    public string? LastProblem => _lastProblem;

    private static DateTimeOffset? Ticks(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var backoff = new Backoff(_options.FirstReconnectDelay, _options.MaxReconnectDelay) { LowFactor = 0.75, HighFactor = 1.25 };
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested && !fatal.IsStopped)
        {
            var resume = _sessionId is not null && _sequence is not null;
            // READY names the URL to resume on; a READY without one resumes on the gateway URL.
            var url = resume && _resumeUrl is not null ? _resumeUrl : await GatewayUrlAsync(stoppingToken).ConfigureAwait(false);
            // Without a URL, GatewayUrlAsync has just said why (what was asked, and what came back or did not).
            var outcome = new ConnectionOutcome(GatewayNext.Resume, _lastProblem ?? "gateway URL unavailable", Healthy: false);
            if (url is not null)
            {
                if (!resume) await PaceIdentifyAsync(stoppingToken).ConfigureAwait(false);
                try
                {
                    outcome = await RunConnectionAsync(url, resume, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is WebSocketException or IOException or HttpRequestException)
                {
                    outcome = new ConnectionOutcome(resume ? GatewayNext.Resume : GatewayNext.Identify, $"connection failed: {e.Message}", Healthy: false);
                }
            }
            _lastProblem = outcome.Reason;
            switch (outcome.Next)
            {
                case GatewayNext.Stop:
                    return;
                case GatewayNext.Fatal:
                    fatal.Stop($"Discord gateway closed the connection: {outcome.Reason}.");
                    return;
                case GatewayNext.Identify:
                    _sessionId = null;
                    _resumeUrl = null;
                    _sequence = null;
                    break;
            }
            _logger.GatewayDisconnected(outcome.Reason, outcome.Next == GatewayNext.Resume && _sessionId is not null ? "resume" : "identify");
            // A connection that was healthy starts the doubling over.
            failures = outcome.Healthy ? 1 : failures + 1;
            var jittered = backoff.Delay(failures);
            try
            {
                await Task.Delay(jittered, _clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<string?> GatewayUrlAsync(CancellationToken cancellationToken)
    {
        if (_options.GatewayUrl is { Length: > 0 } configured) return configured;
        if (_gatewayUrl is not null) return _gatewayUrl;
        var response = await _rest.SendAsync(DiscordRoutes.GatewayBot(), null, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccess && response.GetString("url") is { Length: > 0 } url) return _gatewayUrl = url;
        _logger.LogWarning("Discord GET /gateway/bot failed: {Problem}", response.Describe());
        _lastProblem = $"GET /gateway/bot: {response.Describe()}";
        return null;
    }

    private async Task PaceIdentifyAsync(CancellationToken cancellationToken)
    {
        var wait = _lastIdentify + _options.IdentifyInterval - _clock.GetUtcNow();
        if (wait > TimeSpan.Zero) await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
        _lastIdentify = _clock.GetUtcNow();
    }

    private static Uri ConnectUri(string url)
    {
        var builder = new UriBuilder(url);
        if (string.IsNullOrEmpty(builder.Path)) builder.Path = "/";
        builder.Query = "v=10&encoding=json";
        return builder.Uri;
    }

    private async Task<ConnectionOutcome> RunConnectionAsync(string url, bool resume, CancellationToken stoppingToken)
    {
        using var socket = new ClientWebSocket();
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await socket.ConnectAsync(ConnectUri(url), connection.Token).ConfigureAwait(false);
        var session = new Connection(this, socket, connection);
        try
        {
            return await session.ReceiveLoopAsync(resume).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested && session.Zombie)
        {
            return new ConnectionOutcome(GatewayNext.Resume, "zombie connection: no heartbeat ACK between two heartbeats", session.Healthy);
        }
        catch (Exception e) when (e is WebSocketException or IOException && !stoppingToken.IsCancellationRequested)
        {
            return new ConnectionOutcome(GatewayNext.Resume, $"connection lost ({e.GetType().Name})", session.Healthy);
        }
        finally
        {
            _ready = false;
            Interlocked.Exchange(ref _unansweredSinceTicks, 0);
            await connection.CancelAsync().ConfigureAwait(false);
            await session.StopHeartbeatAsync().ConfigureAwait(false);
            if (stoppingToken.IsCancellationRequested && socket.State == WebSocketState.Open)
            {
                // A deliberate shutdown with 1000 ends the session so Discord does not wait for a resume.
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try { await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "shutting down", closing.Token).ConfigureAwait(false); }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException) { }
            }
        }
    }

    private sealed record ConnectionOutcome(GatewayNext Next, string Reason, bool Healthy);

    /// <summary>One WebSocket connection's state: its heartbeat loop and the frames on it.</summary>
    private sealed class Connection(DiscordGateway gateway, ClientWebSocket socket, CancellationTokenSource lifetime)
    {
        private readonly SemaphoreSlim _sendLock = new(1, 1);
        private Task _heartbeat = Task.CompletedTask;
        private volatile bool _acknowledged = true;
        private bool _helloSeen;

        public bool Zombie { get; private set; }

        public bool Healthy { get; private set; }

        public async Task<ConnectionOutcome> ReceiveLoopAsync(bool resume)
        {
            var buffer = new ArrayBufferWriter<byte>(16 * 1024);
            while (true)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.GetMemory(8 * 1024), lifetime.Token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close) break;
                    buffer.Advance(result.Count);
                    if (buffer.WrittenCount > MaxMessageBytes)
                        return new ConnectionOutcome(GatewayNext.Resume, "message too large", Healthy);
                } while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var code = (int?)socket.CloseStatus;
                    var (next, meaning) = GatewayCloseCodes.Classify(code);
                    return new ConnectionOutcome(next, $"close {code?.ToString() ?? "without code"} {meaning}", Healthy);
                }
                if (result.MessageType != WebSocketMessageType.Text) continue;

                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(buffer.WrittenMemory);
                }
                catch (JsonException)
                {
                    gateway._logger.GatewayFrameNotJson();
                    continue;
                }
                using (document)
                {
                    var outcome = await HandleFrameAsync(document.RootElement, resume).ConfigureAwait(false);
                    if (outcome is not null) return outcome;
                }
            }
        }

        private async Task<ConnectionOutcome?> HandleFrameAsync(JsonElement frame, bool resume)
        {
            if (frame.ValueKind != JsonValueKind.Object || !frame.TryGetProperty("op", out var opElement) || !opElement.TryGetInt32(out var op))
                return null;
            frame.TryGetProperty("d", out var data);
            switch (op)
            {
                case 10 when !_helloSeen:
                    _helloSeen = true;
                    var interval = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("heartbeat_interval", out var hi) && hi.TryGetDouble(out var ms)
                        ? TimeSpan.FromMilliseconds(Math.Max(ms, 1))
                        : TimeSpan.FromSeconds(41.25);
                    _heartbeat = HeartbeatLoopAsync(interval);
                    if (resume) await SendAsync(gateway.ResumePayload()).ConfigureAwait(false);
                    else await SendAsync(gateway.IdentifyPayload()).ConfigureAwait(false);
                    return null;
                case 11:
                    _acknowledged = true;
                    Interlocked.Increment(ref gateway._acks);
                    Interlocked.Exchange(ref gateway._lastAckTicks, gateway._clock.GetUtcNow().UtcTicks);
                    Interlocked.Exchange(ref gateway._unansweredSinceTicks, 0);
                    return null;
                case 1:
                    // Asked for out of turn: the regular beat checks the ACK of the previous regular beat, so this
                    // one's ACK, perhaps still on its way at the next tick, cannot mark a healthy connection a zombie.
                    await SendHeartbeatAsync(regular: false).ConfigureAwait(false);
                    return null;
                case 7:
                    await CloseForResumeAsync().ConfigureAwait(false);
                    return new ConnectionOutcome(GatewayNext.Resume, "Discord asked to reconnect (op 7)", Healthy);
                case 9:
                    var resumable = data.ValueKind == JsonValueKind.True;
                    await CloseForResumeAsync().ConfigureAwait(false);
                    return new ConnectionOutcome(resumable ? GatewayNext.Resume : GatewayNext.Identify,
                        $"invalid session (op 9, d:{(resumable ? "true" : "false")})", Healthy);
                case 0:
                    if (frame.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var sequence))
                        gateway._sequence = sequence;
                    var type = frame.TryGetProperty("t", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                    Dispatch(type, data);
                    return null;
                default:
                    return null; // opcodes this client does not know are ignored
            }
        }

        private void Dispatch(string? type, JsonElement data)
        {
            switch (type)
            {
                case "READY" when data.ValueKind == JsonValueKind.Object:
                    gateway._sessionId = Text(data, "session_id");
                    gateway._resumeUrl = Text(data, "resume_gateway_url");
                    if (data.TryGetProperty("application", out var app) && app.ValueKind == JsonValueKind.Object && Text(app, "id") is { } appId)
                        gateway._application.Learn(appId);
                    Healthy = true;
                    gateway._ready = true;
                    gateway._logger.GatewayReady(gateway.ShardId, gateway._options.ShardCount);
                    break;
                case "RESUMED":
                    Healthy = true;
                    gateway._ready = true;
                    gateway._logger.GatewayResumed(gateway.ShardId);
                    break;
                case "INTERACTION_CREATE" when data.ValueKind == JsonValueKind.Object:
                    gateway._interactions.Start(data.Clone(), new GatewayInitialResponder(gateway._rest));
                    break;
            }
        }

        private static string? Text(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private async Task HeartbeatLoopAsync(TimeSpan interval)
        {
            try
            {
                await Task.Delay(interval * Random.Shared.NextDouble(), gateway._clock, lifetime.Token).ConfigureAwait(false);
                while (!lifetime.IsCancellationRequested)
                {
                    if (!_acknowledged)
                    {
                        gateway._logger.GatewayHeartbeatMissed();
                        Zombie = true;
                        await CloseForResumeAsync().ConfigureAwait(false);
                        await lifetime.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                    await SendHeartbeatAsync().ConfigureAwait(false);
                    await Task.Delay(interval, gateway._clock, lifetime.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
            {
            }
        }

        private Task SendHeartbeatAsync(bool regular = true)
        {
            if (regular) _acknowledged = false;
            Interlocked.CompareExchange(ref gateway._unansweredSinceTicks, gateway._clock.GetUtcNow().UtcTicks, 0);
            return SendAsync(new JsonObject { ["op"] = 1, ["d"] = gateway._sequence is { } s ? JsonValue.Create(s) : null });
        }

        private async Task SendAsync(JsonNode payload)
        {
            var bytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
            await _sendLock.WaitAsync(lifetime.Token).ConfigureAwait(false);
            try
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, lifetime.Token).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }

        /// <summary>Any close code but 1000/1001 keeps the session resumable.</summary>
        private async Task CloseForResumeAsync()
        {
            if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await socket.CloseOutputAsync((WebSocketCloseStatus)4000, "reconnecting", timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
            }
        }

        public async Task StopHeartbeatAsync()
        {
            try { await _heartbeat.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
    }

    private JsonNode IdentifyPayload() => new JsonObject
    {
        ["op"] = 2,
        ["d"] = new JsonObject
        {
            ["token"] = _options.Token,
            ["intents"] = 0,
            ["properties"] = new JsonObject { ["os"] = "linux", ["browser"] = "followupbot", ["device"] = "followupbot" },
            ["shard"] = new JsonArray(shardId, _options.ShardCount),
        },
    };

    private JsonNode ResumePayload() => new JsonObject
    {
        ["op"] = 6,
        ["d"] = new JsonObject { ["token"] = _options.Token, ["session_id"] = _sessionId, ["seq"] = _sequence },
    };
}
