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
            var answer = await api.PostFormAsync("auth.test", new Dictionary<string, string>(), stoppingToken).ConfigureAwait(false);
            if (answer.IsSuccess)
                logger.LogInformation("Slack: bot token accepted; serving /slack/commands, /slack/interactions and /slack/events");
            // Auth errors have already stopped the bot with an alert.
            else if (answer.Error.Kind != PlatformErrorKind.FatalConfiguration)
                logger.LogWarning("Slack auth.test failed ({Error}); the bot token could not be checked at start", answer.Error.Summary);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
