using System.Collections.Concurrent;
using FollowUpBot.Platforms.Slack.WebApi;

namespace FollowUpBot.Platforms.Slack.Outbound;

/// <summary>
/// The DM channel (D...) of each user, opened once with conversations.open and then reused. Sends to the same
/// user at the same moment share one open call (a burst of due nudges must not spend the Tier 3 budget).
/// </summary>
public sealed class DirectMessageChannels(SlackApiClient api)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _channels = new(StringComparer.Ordinal);

    public async Task<string> OpenAsync(string userId, CancellationToken cancellationToken)
    {
        var opening = _channels.GetOrAdd(userId, id => new Lazy<Task<string>>(() => OpenNowAsync(id)));
        try
        {
            return await opening.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || opening.Value.IsFaulted)
        {
            // A failed open is not remembered: the next send asks Slack again.
            _channels.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(userId, opening));
            throw;
        }
    }

    /// <summary>Slack said the cached channel is gone (the DM was closed for good): open a fresh one next time.</summary>
    public void Forget(string userId) => _channels.TryRemove(userId, out _);

    // Shared by every waiting send, so no single caller's cancellation may end it (HTTP timeouts still bound it).
    private async Task<string> OpenNowAsync(string userId)
    {
        var answer = await api.PostFormAsync("conversations.open",
            new Dictionary<string, string> { ["users"] = userId, ["return_im"] = "true" }, CancellationToken.None).ConfigureAwait(false);
        return answer.GetProperty("channel").GetProperty("id").GetString()
            ?? throw new SlackApiException("conversations.open", "invalid_response", "no channel id");
    }
}
