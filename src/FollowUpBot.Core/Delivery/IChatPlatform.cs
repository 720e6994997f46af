using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Core.Delivery;

/// <summary>What the console shows as the header of a nudge; other platforms may ignore it.</summary>
public sealed record NudgeHeader(NudgeKind Kind, DateTimeOffset LocalDueAt, bool Late);

/// <summary>
/// A direct message to deliver. <see cref="DeliveryKey"/> is stable across retries of the same send
/// (use it as Discord's nonce or Slack's metadata). <see cref="PossibleRepeat"/> is set when an earlier
/// attempt may already have reached the member (a crash mid-send): the adapter should check before sending.
/// </summary>
public sealed record DirectMessageRequest(
    Member To,
    Message Message,
    string DeliveryKey,
    bool PossibleRepeat,
    NudgeHeader? Nudge = null);

public sealed record ChannelPostRequest(string Workspace, string ChannelId, Message Message);

public enum DeliveryStatus
{
    /// <summary>The member has it (also when the adapter found it was already delivered earlier).</summary>
    Delivered,
    /// <summary>The member cannot be messaged (DMs closed, left the server). Do not retry.</summary>
    Unreachable,
    /// <summary>Will never work as it is (bad request, unknown channel). Do not retry.</summary>
    PermanentFailure,
    /// <summary>Try again later (rate limit, server error, network). <see cref="DeliveryResult.RetryAfter"/> may say when.</summary>
    RetryLater,
}

public sealed record DeliveryResult(DeliveryStatus Status, string? Detail = null, TimeSpan? RetryAfter = null)
{
    public static DeliveryResult Delivered { get; } = new(DeliveryStatus.Delivered);
}

/// <summary>The port every platform adapter implements for messages the engine starts.</summary>
public interface IChatPlatform
{
    /// <summary>The <see cref="MemberKey.Platform"/> value this adapter serves.</summary>
    string Name { get; }

    Task<DeliveryResult> SendDirectMessageAsync(DirectMessageRequest request, CancellationToken cancellationToken);

    Task<DeliveryResult> PostToChannelAsync(ChannelPostRequest request, CancellationToken cancellationToken);
}

/// <summary>Finds the adapter for a member's platform.</summary>
public sealed class ChatPlatformDirectory(IEnumerable<IChatPlatform> platforms)
{
    private readonly Dictionary<string, IChatPlatform> _byName =
        platforms.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    public IChatPlatform? Find(string name) => _byName.GetValueOrDefault(name);

    public IReadOnlyCollection<string> Names => _byName.Keys;
}
