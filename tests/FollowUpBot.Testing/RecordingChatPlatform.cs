using FollowUpBot.Core.Delivery;

namespace FollowUpBot.Testing;

/// <summary>
/// An IChatPlatform that records every request and answers <see cref="DeliveryResult.Delivered"/>, unless told
/// otherwise: <see cref="FailNext"/> queues results for the next sends, <see cref="Respond"/> decides per request.
/// </summary>
public sealed class RecordingChatPlatform(string name = "test") : IChatPlatform
{
    private readonly object _gate = new();
    private readonly List<DirectMessageRequest> _directMessages = [];
    private readonly List<ChannelPostRequest> _channelPosts = [];
    private readonly Queue<DeliveryResult> _next = new();

    public string Name => name;

    /// <summary>When set, decides the result of each direct message (after any queued <see cref="FailNext"/> results).</summary>
    public Func<DirectMessageRequest, DeliveryResult>? Respond { get; set; }

    public IReadOnlyList<DirectMessageRequest> DirectMessages { get { lock (_gate) return _directMessages.ToList(); } }
    public IReadOnlyList<ChannelPostRequest> ChannelPosts { get { lock (_gate) return _channelPosts.ToList(); } }

    /// <summary>The next <paramref name="times"/> sends (direct or channel) return <paramref name="status"/>.</summary>
    public void FailNext(DeliveryStatus status, int times = 1, string? detail = "simulated failure", TimeSpan? retryAfter = null)
    {
        lock (_gate)
        {
            for (var i = 0; i < times; i++) _next.Enqueue(new DeliveryResult(status, detail, retryAfter));
        }
    }

    public Task<DeliveryResult> SendDirectMessageAsync(DirectMessageRequest request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _directMessages.Add(request);
            if (_next.TryDequeue(out var queued)) return Task.FromResult(queued);
        }
        return Task.FromResult(Respond?.Invoke(request) ?? DeliveryResult.Delivered);
    }

    public Task<DeliveryResult> PostToChannelAsync(ChannelPostRequest request, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _channelPosts.Add(request);
            return Task.FromResult(_next.TryDequeue(out var queued) ? queued : DeliveryResult.Delivered);
        }
    }
}
