using System.Collections.Concurrent;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Ports;

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

    /// <summary>The interaction key each call ran under (<see cref="InteractionKey.Current"/>), when it had one.</summary>
    public IReadOnlyList<string> Keys => _keys.ToList();

    private readonly ConcurrentQueue<string> _keys = new();

    public async Task<IReadOnlyList<OutboundAction>> HandleAsync(InboundEvent inbound, CancellationToken cancellationToken)
    {
        if (InteractionKey.Current is { } key) _keys.Enqueue(key.Id);
        _events.Enqueue(inbound);
        if (Gate is { } gate) await gate.Task.WaitAsync(cancellationToken);
        return Answer(inbound);
    }
}
