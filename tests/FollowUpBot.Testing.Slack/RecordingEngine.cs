using System.Collections.Concurrent;
using FollowUpBot.Core.Conversations;

namespace FollowUpBot.Testing.Slack;

/// <summary>
/// A conversation engine that records what the adapter hands it and answers what the test scripted
/// (an empty list by default). <see cref="Gate"/> lets a test hold the engine "busy" to prove the ack comes first.
/// </summary>
public sealed class RecordingEngine : IConversationEngine
{
    private readonly ConcurrentQueue<InboundEvent> _events = new();

    public Func<InboundEvent, IReadOnlyList<OutboundAction>> Answer { get; set; } = _ => [];

    /// <summary>When set, every call waits for it before answering.</summary>
    public TaskCompletionSource? Gate { get; set; }

    public IReadOnlyList<InboundEvent> Events => _events.ToList();

    public async Task<IReadOnlyList<OutboundAction>> HandleAsync(InboundEvent inbound, CancellationToken cancellationToken)
    {
        _events.Enqueue(inbound);
        if (Gate is { } gate) await gate.Task.WaitAsync(cancellationToken);
        return Answer(inbound);
    }
}
