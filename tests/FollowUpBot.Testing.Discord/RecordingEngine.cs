using System.Collections.Concurrent;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Testing.Discord;

/// <summary>An engine that records what it is told and answers as the test scripts it.</summary>
public sealed class RecordingEngine : IConversationEngine
{
    private readonly ConcurrentQueue<InboundEvent> _events = new();

    public Func<InboundEvent, Task<IReadOnlyList<OutboundAction>>> Answer { get; set; } =
        _ => Task.FromResult<IReadOnlyList<OutboundAction>>([new Reply(new Message("ok"))]);

    public IReadOnlyList<InboundEvent> Events => _events.ToArray();

    public Task<IReadOnlyList<OutboundAction>> HandleAsync(InboundEvent inbound, CancellationToken cancellationToken)
    {
        _events.Enqueue(inbound);
        return Answer(inbound);
    }

    public void AnswerWith(params OutboundAction[] actions) => Answer = _ => Task.FromResult<IReadOnlyList<OutboundAction>>(actions);

    public async Task<T> WaitForEventAsync<T>(Func<T, bool>? match = null) where T : InboundEvent
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (_events.OfType<T>().FirstOrDefault(e => match?.Invoke(e) ?? true) is { } found) return found;
            await Task.Delay(10);
        }
        throw new TimeoutException($"The engine never got a {typeof(T).Name}; it got {string.Join(", ", _events)}");
    }
}
