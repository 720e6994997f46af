using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FollowUpBot.Testing.Slack;

/// <summary>One envelope sent on one socket by <see cref="FakeSlack.DeliverAsync"/>: which attempt, which connection.</summary>
public sealed record EnvelopeDelivery(string EnvelopeId, string Type, int RetryAttempt, int ConnectionId, string? Instance);

// Slack's side of an app with several connections open, from several processes: each envelope goes to exactly one
// open connection, and one not acked within three seconds comes again (retry_attempt + 1), usually elsewhere.
public sealed partial class FakeSlack
{
    /// <summary>Slack's deadline for an ack.</summary>
    public static readonly TimeSpan AckDeadline = TimeSpan.FromSeconds(3);

    /// <summary>Redeliveries after the first attempt (Slack: a few, then it gives up).</summary>
    public const int MaxRetries = 3;

    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, bool> _killed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _lostAcks = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<EnvelopeDelivery> _deliveries = new();
    private readonly ConcurrentQueue<Task> _delivering = new();
    private int _nextSocket;

    /// <summary>Every envelope sent by <see cref="DeliverAsync"/>, attempt by attempt.</summary>
    public IReadOnlyList<EnvelopeDelivery> Deliveries => _deliveries.ToList();

    /// <summary>Envelopes <see cref="DeliverAsync"/> gave up on: no connection acked any attempt.</summary>
    public ConcurrentQueue<string> Undelivered { get; } = new();

    /// <summary>
    /// The Web API address for one bot instance of a cluster: the same fake, but the sockets it opens and the calls it
    /// makes are known to come from <paramref name="instance"/>, so <see cref="Kill"/> can silence that instance alone.
    /// </summary>
    public Uri ApiBaseUrlFor(string instance) => new(BaseUrl, $"i/{Uri.EscapeDataString(instance)}/api/");

    /// <summary>
    /// What Slack sees when the process of <paramref name="instance"/> is killed: its connections drop at once, and
    /// nothing it might still try to send arrives (its requests hang unanswered and unrecorded).
    /// </summary>
    public void Kill(string instance)
    {
        _killed[instance] = true;
        foreach (var socket in Sockets.Where(s => s.Instance == instance)) socket.Abort();
    }

    /// <summary>
    /// Kills <paramref name="instance"/> (as <see cref="Kill"/>) the moment its next nudge DM reaches Slack: the message
    /// is posted, but the instance never hears so. Completes with that message's delivery key.
    /// </summary>
    public Task<string> KillAfterNextNudgeAsync(string instance) =>
        _dieAfterNextNudge.GetOrAdd(instance, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _dieAfterNextNudge = new(StringComparer.Ordinal);

    private bool IsKilled(string instance) => _killed.ContainsKey(instance);

    private async Task HangAsync(HttpContext context)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, linked.Token);
        }
        catch (OperationCanceledException)
        {
        }
        context.Abort();
    }

    /// <summary>
    /// Delivers an envelope as Slack does with several connections open: to one open connection (round robin), and
    /// again with the next retry_attempt, on the next connection, whenever no ack came within <see cref="AckDeadline"/>.
    /// Returns the envelope id at once; the first ack is <see cref="WaitForAckAsync"/>'s. With
    /// <paramref name="loseFirstAck"/> the first ack is lost on its way to Slack, which then redelivers.
    /// </summary>
    public string Deliver(string type, JsonObject payload, bool acceptsResponsePayload = true, bool loseFirstAck = false)
    {
        var envelopeId = Guid.NewGuid().ToString();
        if (loseFirstAck) _lostAcks[envelopeId] = true;
        var waiter = _firstAcks.GetOrAdd(envelopeId, _ => new TaskCompletionSource<Ack>(TaskCreationOptions.RunContinuationsAsynchronously));
        _delivering.Enqueue(Task.Run(() => DeliverUntilAckedAsync(envelopeId, type, payload, acceptsResponsePayload, waiter.Task)));
        return envelopeId;
    }

    private async Task DeliverUntilAckedAsync(string envelopeId, string type, JsonObject payload, bool acceptsResponsePayload, Task<Ack> acked)
    {
        try
        {
            FakeSocket? previous = null;
            for (var attempt = 0; attempt <= MaxRetries; attempt++)
            {
                var socket = await SendToNextSocketAsync(envelopeId, type, payload, acceptsResponsePayload, attempt, previous);
                if (socket is null) break;
                previous = socket;
                if (await Task.WhenAny(acked, Task.Delay(AckDeadline, _stopping.Token)) == acked) return;
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        if (!acked.IsCompleted) Undelivered.Enqueue(envelopeId);
    }

    /// <summary>
    /// Sends on the next open connection; one that fails on the way is skipped. Null when none is left. A redelivery
    /// avoids the <paramref name="previous"/> connection and, where it can, that connection's instance: the case an
    /// app's per-process memory of what it handled cannot cover.
    /// </summary>
    private async Task<FakeSocket?> SendToNextSocketAsync(string envelopeId, string type, JsonObject payload, bool acceptsResponsePayload,
        int attempt, FakeSocket? previous)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            var open = OpenSockets.Where(s => s.Greeted).OrderBy(s => s.Id).ToList();
            if (previous is not null)
            {
                var elsewhere = open.Where(s => s != previous && (s.Instance is null || s.Instance != previous.Instance)).ToList();
                var others = open.Where(s => s != previous).ToList();
                open = elsewhere.Count > 0 ? elsewhere : others.Count > 0 ? others : open;
            }
            if (open.Count == 0)
            {
                await Task.Delay(50, _stopping.Token);
                continue;
            }
            var socket = open[(int)((uint)Interlocked.Increment(ref _nextSocket) % open.Count)];
            try
            {
                await socket.SendEnvelopeAsync(type, payload, acceptsResponsePayload, retryAttempt: attempt, envelopeId: envelopeId);
                _deliveries.Enqueue(new EnvelopeDelivery(envelopeId, type, attempt, socket.Id, socket.Instance));
                return socket;
            }
            catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or ObjectDisposedException or InvalidOperationException)
            {
                // The connection died under us; Slack tries another one.
            }
        }
        return null;
    }
}
