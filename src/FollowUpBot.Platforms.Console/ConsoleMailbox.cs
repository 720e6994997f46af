using FollowUpBot.Core.Delivery;

namespace FollowUpBot.Platforms.Console;

/// <summary>
/// Direct messages the bot sent to the console member. On a simulated clock they are held and printed at the
/// chat's quiet points, in due-time order (triggers of one instant fire in any order, so ties are broken by kind and
/// text), and kept in the <see cref="ConsoleOutbox"/> until then; on the real clock they are printed as they arrive,
/// since the member may be sitting at an idle prompt. Either way a message is on the screen or in the outbox file,
/// flushed, before it counts as delivered.
/// </summary>
public sealed class ConsoleMailbox(ConsoleRenderer renderer, ConsoleOutbox outbox, TimeProvider time)
{
    private readonly object _gate = new();
    private readonly List<(DateTimeOffset At, int Kind, long Order, DirectMessageRequest Request)> _held = [];
    private readonly HashSet<string> _recovered = new(StringComparer.Ordinal);
    private long _order;

    /// <summary>True while messages are held for <see cref="Flush"/>.</summary>
    public bool Holding { get; set; }

    /// <summary>Prints what an earlier run took on but may not have shown (marked as possible repeats).</summary>
    public void Recover()
    {
        foreach (var held in outbox.Recover())
        {
            lock (_gate) _recovered.Add(held.DeliveryKey);
            if (held.Header is { } header) renderer.WriteNudge(header, held.Message, possibleRepeat: true);
            else renderer.WriteMessage(held.Message);
        }
        outbox.Clear();
    }

    public void Deliver(DirectMessageRequest request)
    {
        lock (_gate)
        {
            // Resumed after a crash, and already shown again from the outbox at this start: once is enough.
            if (request.PossibleRepeat && _recovered.Contains(request.DeliveryKey)) return;
            if (Holding)
            {
                outbox.Append(request);
                var at = request.Nudge?.LocalDueAt ?? time.GetUtcNow();
                _held.Add((at, request.Nudge is null ? int.MaxValue : (int)request.Nudge.Kind, ++_order, request));
                return;
            }
        }
        Print(request);
    }

    /// <summary>Prints what is held, earliest first.</summary>
    public void Flush()
    {
        List<DirectMessageRequest> due;
        lock (_gate)
        {
            if (_held.Count == 0) return;
            due = _held.OrderBy(h => h.At).ThenBy(h => h.Kind)
                .ThenBy(h => h.Request.Message.Text, StringComparer.Ordinal).ThenBy(h => h.Order).Select(h => h.Request).ToList();
            _held.Clear();
        }
        foreach (var request in due) Print(request);
        outbox.Clear();
    }

    private void Print(DirectMessageRequest request)
    {
        if (request.Nudge is { } header) renderer.WriteNudge(header, request.Message, request.PossibleRepeat);
        else renderer.WriteMessage(request.Message);
    }
}
