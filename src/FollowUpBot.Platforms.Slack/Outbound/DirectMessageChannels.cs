using System.Collections.Concurrent;
using System.Text.Json;
using FollowUpBot.Platforms.Slack.WebApi;

namespace FollowUpBot.Platforms.Slack.Outbound;

/// <summary>
/// The DM channel (D...) of each user, opened once with conversations.open and then reused. Sends to the same
/// user at the same moment share one open call (a burst of due nudges must not spend the Tier 3 budget).
/// </summary>
public sealed class DirectMessageChannels(SlackApiClient api)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<(string? Channel, PlatformCallResult? Failure)>>> _channels = new(StringComparer.Ordinal);

    /// <summary>The channel id, or null with what Slack answered instead.</summary>
    public async Task<(string? Channel, PlatformCallResult? Failure)> OpenAsync(string userId, CancellationToken cancellationToken)
    {
        var opening = _channels.GetOrAdd(userId, id => new Lazy<Task<(string?, PlatformCallResult?)>>(() => OpenNowAsync(id)));
        try
        {
            var opened = await opening.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            // A failed open is not remembered: the next send asks Slack again.
            if (opened.Channel is null) Forget(userId, opening);
            return opened;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || opening.Value.IsFaulted)
        {
            Forget(userId, opening);
            throw;
        }
    }

    /// <summary>Slack said the cached channel is gone (the DM was closed for good): open a fresh one next time.</summary>
    public void Forget(string userId) => _channels.TryRemove(userId, out _);

    private void Forget(string userId, Lazy<Task<(string?, PlatformCallResult?)>> opening) =>
        _channels.TryRemove(new KeyValuePair<string, Lazy<Task<(string?, PlatformCallResult?)>>>(userId, opening));

    // Shared by every waiting send, so no single caller's cancellation may end it (HTTP timeouts still bound it).
    private async Task<(string?, PlatformCallResult?)> OpenNowAsync(string userId)
    {
        var answer = await api.PostFormAsync("conversations.open",
            new Dictionary<string, string> { ["users"] = userId, ["return_im"] = "true" }, CancellationToken.None).ConfigureAwait(false);
        if (!answer.IsSuccess) return (null, answer);
        return answer.Body is { } root && root.TryGetProperty("channel", out var channel) && channel.ValueKind == JsonValueKind.Object
               && channel.TryGetProperty("id", out var id) && id.GetString() is { Length: > 0 } channelId
            ? (channelId, null)
            : (null, SlackErrors.InvalidResponse(answer.Status, "no channel id"));
    }
}
