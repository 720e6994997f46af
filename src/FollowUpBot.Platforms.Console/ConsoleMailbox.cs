using FollowUpBot.Core.Delivery;

namespace FollowUpBot.Platforms.Console;

/// <summary>
/// Direct messages the bot sent to the console member. On a simulated clock they are held and printed at the
/// chat's quiet points, in due-time order (triggers of one instant fire in any order, so ties are broken by kind and text); on the real
/// clock they are printed as they arrive, since the member may be sitting at an idle prompt.
/// </summary>
public sealed class ConsoleMailbox(ConsoleRenderer renderer, TimeProvider time)
{
    private readonly object _gate = new();
    private readonly List<(DateTimeOffset At, int Kind, long Order, DirectMessageRequest Request)> _held = [];
    private long _order;

    /// <summary>True while messages are held for <see cref="Flush"/>.</summary>
    public bool Holding { get; set; }

    public void Deliver(DirectMessageRequest request)
    {
        lock (_gate)
        {
            if (Holding)
            {
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
            due = _held.OrderBy(h => h.At).ThenBy(h => h.Kind)
                .ThenBy(h => h.Request.Message.Text, StringComparer.Ordinal).ThenBy(h => h.Order).Select(h => h.Request).ToList();
            _held.Clear();
        }
        foreach (var request in due) Print(request);
    }

    private void Print(DirectMessageRequest request)
    {
        if (request.Nudge is { } header) renderer.WriteNudge(header, request.Message);
        else renderer.WriteMessage(request.Message);
    }
}
