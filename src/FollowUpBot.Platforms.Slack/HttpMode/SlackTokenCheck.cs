using FollowUpBot.Platforms.Slack.WebApi;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Platforms.Slack.HttpMode;

/// <summary>In HTTP mode nothing calls Slack until the first nudge; check the bot token at start instead.</summary>
internal sealed class SlackTokenCheck(SlackApiClient api, ILogger<SlackTokenCheck> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await api.PostFormAsync("auth.test", new Dictionary<string, string>(), stoppingToken).ConfigureAwait(false);
            logger.LogInformation("Slack: bot token accepted; serving /slack/commands, /slack/interactions and /slack/events");
        }
        catch (SlackApiException ex) when (ex.Kind != SlackErrorKind.Auth)
        {
            logger.LogWarning("Slack auth.test failed ({Error}); the bot token could not be checked at start", ex.Error);
        }
        catch (SlackApiException)
        {
            // Auth errors have already stopped the bot with an alert.
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
