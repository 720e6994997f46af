using Microsoft.Extensions.Options;

namespace FollowUpBot.Platforms.Slack;

/// <summary>Checks the tokens' shapes and the mode's needs. Messages name settings, never their values.</summary>
internal sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BotToken))
            failures.Add("Slack:BotToken is required (the bot token from OAuth & Permissions, starting with xoxb-).");
        else if (!options.BotToken.StartsWith("xoxb-", StringComparison.Ordinal))
            failures.Add("Slack:BotToken must be a bot token starting with xoxb-.");

        if (options.Mode == SlackMode.Socket)
        {
            if (string.IsNullOrWhiteSpace(options.AppToken))
                failures.Add("Slack:AppToken is required in socket mode (an app-level token with connections:write, starting with xapp-).");
            else if (!options.AppToken.StartsWith("xapp-", StringComparison.Ordinal))
                failures.Add("Slack:AppToken must be an app-level token starting with xapp-.");
        }
        else if (string.IsNullOrWhiteSpace(options.SigningSecret))
        {
            failures.Add("Slack:SigningSecret is required in http mode (Basic Information > Signing Secret).");
        }

        if (!options.ApiBaseUrl.IsAbsoluteUri || options.ApiBaseUrl.Scheme is not ("https" or "http"))
            failures.Add("Slack:ApiBaseUrl must be an absolute http(s) URL such as https://slack.com/api/.");
        if (options.MaxReconnectDelay < options.ReconnectDelay)
            failures.Add("Slack:MaxReconnectDelay must not be shorter than Slack:ReconnectDelay.");

        foreach (var id in options.CoachUserIds ?? [])
        {
            // A name or an @mention here would silently make nobody a coach: say so at start instead.
            if (!SlackIds.IsUserId(id))
                failures.Add($"Slack:CoachUserIds must hold Slack user ids such as U0123ABCD (a member's profile > ⋮ > Copy member ID); \"{Shown(id)}\" is not one.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Shown(string? id) => id is null ? "(empty)" : id.Length <= 40 ? id : id[..40] + "…";
}
