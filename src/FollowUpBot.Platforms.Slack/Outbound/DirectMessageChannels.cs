using System.Collections.Concurrent;
using FollowUpBot.Platforms.Slack.WebApi;

namespace FollowUpBot.Platforms.Slack.Outbound;

/// <summary>The DM channel (D...) of each user, opened once with conversations.open and then reused.</summary>
public sealed class DirectMessageChannels(SlackApiClient api)
{
    private readonly ConcurrentDictionary<string, string> _channels = new(StringComparer.Ordinal);

    public async Task<string> OpenAsync(string userId, CancellationToken cancellationToken)
    {
        if (_channels.TryGetValue(userId, out var known)) return known;
        var answer = await api.PostFormAsync("conversations.open",
            new Dictionary<string, string> { ["users"] = userId, ["return_im"] = "true" }, cancellationToken).ConfigureAwait(false);
        var channel = answer.GetProperty("channel").GetProperty("id").GetString()
            ?? throw new SlackApiException("conversations.open", "invalid_response", "no channel id");
        _channels[userId] = channel;
        return channel;
    }

    /// <summary>Slack said the cached channel is gone (the DM was closed for good): open a fresh one next time.</summary>
    public void Forget(string userId) => _channels.TryRemove(userId, out _);
}
