using System.Net.WebSockets;
using System.Text.Json;
using FollowUpBot.Core.Transport;
using FollowUpBot.Platforms.Slack.Inbound;
using FollowUpBot.Platforms.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Slack.SocketMode;

/// <summary>
/// Keeps <see cref="SlackOptions.SocketConnections"/> Socket Mode connections open. Each slot asks
/// apps.connections.open for a fresh URL per connect, waits for hello, and on a routine disconnect opens the
/// replacement before draining and closing the old socket. Lost connections come back with growing, jittered
/// delays; a disabled link or a rejected token stops the bot instead of looping.
/// </summary>
public sealed class SocketModeService(
    SlackApiClient api,
    SlackInbound inbound,
    FatalStop fatalStop,
    IOptions<SlackOptions> options,
    TransportClock time,
    ILogger<SocketModeService> logger) : BackgroundService
{
    private int _connectionIds;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, SocketModeConnection> _current = new();

    /// <summary>Socket Mode connections open now (hello received, not disconnected since): the health check's signal.</summary>
    public int OpenConnections => _current.Values.Count(c => !c.Signal.IsCompleted);

    private SlackOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, fatalStop.StoppedToken);
        var token = linked.Token;

        // A wrong bot token should stop the bot at start, not at the first nudge.
        try
        {
            var me = await api.PostFormAsync("auth.test", new Dictionary<string, string>(), token).ConfigureAwait(false);
            if (me.IsSuccess)
                logger.LogInformation("Slack: connected to workspace {Team} as {User}", me.GetString("team") ?? "?", me.GetString("user") ?? "?");
            else if (me.Error.Kind == PlatformErrorKind.FatalConfiguration || fatalStop.IsStopped)
                return;
            else
                logger.LogWarning("Slack auth.test failed ({Error}); connecting anyway", me.Error.Summary);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return;
        }

        var slots = new List<Task>();
        for (var slot = 0; slot < Options.SocketConnections; slot++)
        {
            // Staggered so the connections are not refreshed at the same moment.
            if (slot > 0 && Options.ConnectionStagger > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(Options.ConnectionStagger, time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            var number = slot + 1;
            slots.Add(Task.Run(() => RunSlotAsync(number, token), CancellationToken.None));
        }
        await Task.WhenAll(slots).ConfigureAwait(false);
        await inbound.DrainAsync(Options.DrainTimeout).ConfigureAwait(false);
    }

    private async Task RunSlotAsync(int slot, CancellationToken token)
    {
        SocketModeConnection? current = null;
        var failures = 0;
        try
        {
            while (!token.IsCancellationRequested)
            {
                if (current is null)
                {
                    current = await ConnectWithRetriesAsync(slot, failures, token).ConfigureAwait(false);
                    if (current is null) return;
                    _current[slot] = current;
                    failures = 0;
                }

                var signal = await current.Signal.WaitAsync(token).ConfigureAwait(false);
                switch (signal)
                {
                    case ConnectionSignal.Disabled:
                        fatalStop.Stop($"Slack closed the Socket Mode connection with '{current.DisconnectReason}': Socket Mode is switched off " +
                            "for this app. Turn it on under Settings > Socket Mode (or use Slack:Mode=http), then restart the bot.");
                        await current.DisposeAsync().ConfigureAwait(false);
                        current = null;
                        return;
                    case ConnectionSignal.Refresh:
                        // Replacement first, so there is always a socket to receive on; then let the old one finish.
                        var old = current;
                        current = await ConnectWithRetriesAsync(slot, 0, token).ConfigureAwait(false);
                        _ = RetireAsync(old);
                        if (current is null) return;
                        _current[slot] = current;
                        break;
                    case ConnectionSignal.Crowded:
                        // Several instances share Slack's limit of 10 connections per app; wait as after a failure.
                        WarnCrowded(slot);
                        await current.DisposeAsync().ConfigureAwait(false);
                        current = null;
                        failures++;
                        await DelayAsync(Backoff(failures), token).ConfigureAwait(false);
                        break;
                    default:
                        await current.DisposeAsync().ConfigureAwait(false);
                        current = null;
                        failures++;
                        await DelayAsync(Backoff(failures), token).ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            _current.TryRemove(slot, out _);
            if (current is not null)
            {
                await current.DrainAndCloseAsync(Options.DrainTimeout).ConfigureAwait(false);
                await current.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Connects, retrying with backoff; null when the bot is stopping or Slack will never accept it.</summary>
    private async Task<SocketModeConnection?> ConnectWithRetriesAsync(int slot, int failures, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            // Every connection needs a fresh URL; the app-level token is used for nothing else.
            var opened = await api.PostFormAsync("apps.connections.open", new Dictionary<string, string>(), token, SlackTokenKind.App)
                .ConfigureAwait(false);
            string problem;
            if (opened.Error is { } error)
            {
                if (error.Kind == PlatformErrorKind.FatalConfiguration || fatalStop.IsStopped) return null;
                problem = error.Summary;
            }
            else if (opened.GetString("url") is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("wss" or "ws"))
            {
                problem = "invalid_response";
            }
            else
            {
                try
                {
                    return await ConnectAsync(slot, uri, token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException or TimeoutException)
                {
                    problem = ex.GetType().Name;
                }
            }
            failures++;
            var delay = Backoff(failures);
            logger.SocketConnectFailed(slot, problem, delay);
            await DelayAsync(delay, token).ConfigureAwait(false);
        }
        return null;
    }

    private async Task<SocketModeConnection> ConnectAsync(int slot, Uri uri, CancellationToken token)
    {

        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = Options.KeepAliveInterval;
        socket.Options.KeepAliveTimeout = Options.KeepAliveInterval;
        try
        {
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            connectTimeout.CancelAfter(Options.HelloTimeout);
            await socket.ConnectAsync(uri, connectTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException("The Socket Mode connection did not open in time.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new SocketModeConnection(Interlocked.Increment(ref _connectionIds), socket, HandleEnvelopeAsync, time, logger);
        connection.Start();
        try
        {
            await connection.WaitForHelloAsync(Options.HelloTimeout, token).ConfigureAwait(false);
        }
        catch
        {
            if (connection.DisconnectReason == "too_many_websockets") WarnCrowded(slot);
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        logger.SocketOpen(connection.Id, slot);
        return connection;
    }

    private async Task RetireAsync(SocketModeConnection old)
    {
        try
        {
            await old.DrainAndCloseAsync(Options.DrainTimeout).ConfigureAwait(false);
        }
        finally
        {
            await old.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task HandleEnvelopeAsync(SocketModeConnection connection, JsonElement envelope)
    {
        var envelopeId = envelope.GetProperty("envelope_id").GetString()!;
        var type = envelope.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() ?? "" : "";
        var acceptsPayload = envelope.TryGetProperty("accepts_response_payload", out var a) && a.ValueKind == JsonValueKind.True;
        var payload = envelope.TryGetProperty("payload", out var p) ? p : default;
        var retryAttempt = envelope.TryGetProperty("retry_attempt", out var r) && r.TryGetInt32(out var attempt) ? attempt : 0;

        System.Text.Json.Nodes.JsonObject? ackPayload = null;
        try
        {
            ackPayload = await inbound.ReceiveAsync(type, payload, envelopeId, acceptsPayload, retryAttempt, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Whatever went wrong, Slack still gets its ack.
            logger.EnvelopeFailed(ex, envelopeId, type);
        }

        try
        {
            await connection.AckAsync(envelopeId, ackPayload, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            logger.AckFailed(envelopeId, connection.Id, ex.Message);
        }
    }

    private void WarnCrowded(int slot) => logger.SocketsCrowded(slot);

    // Jitter over the upper half, so many bots (or slots) do not reconnect in step.
    private TimeSpan Backoff(int failures) =>
        new Backoff(Options.ReconnectDelay, Options.MaxReconnectDelay) { LowFactor = 0.5 }.Delay(failures);

    private async Task DelayAsync(TimeSpan delay, CancellationToken token)
    {
        try
        {
            await Task.Delay(delay, time, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }
}
