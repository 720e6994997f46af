using System.Net;
using System.Net.Sockets;

namespace FollowUpBot.Platforms.Slack.Tests.Support;

/// <summary>
/// A TCP relay in front of the fake's Socket Mode server that can make the connections it carries go silent
/// without closing them: the half-open, dead-network case only pings can detect.
/// </summary>
public sealed class SilencingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Relay> _relays = [];

    public SilencingProxy(Uri target)
    {
        _targetPort = target.Port;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>From now on nothing passes either way on the connections open so far (new ones are relayed).</summary>
    public void SilenceExisting()
    {
        lock (_relays) foreach (var relay in _relays) relay.Silenced = true;
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var server = new TcpClient();
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                var relay = new Relay();
                lock (_relays) _relays.Add(relay);
                _ = PumpAsync(client, server, relay);
                _ = PumpAsync(server, client, relay);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, Relay relay)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            var input = from.GetStream();
            var output = to.GetStream();
            int read;
            while ((read = await input.ReadAsync(buffer, _stop.Token)) > 0)
                if (!relay.Silenced) await output.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            if (!relay.Silenced)
            {
                from.Dispose();
                to.Dispose();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        return ValueTask.CompletedTask;
    }

    private sealed class Relay
    {
        public volatile bool Silenced;
    }
}
