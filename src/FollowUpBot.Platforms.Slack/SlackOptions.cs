using System.ComponentModel.DataAnnotations;

namespace FollowUpBot.Platforms.Slack;

public enum SlackMode
{
    /// <summary>Slack pushes events over WebSockets the bot opens: no public URL needed.</summary>
    Socket,
    /// <summary>Slack POSTs events to /slack/commands, /slack/interactions and /slack/events on the host's web server.</summary>
    Http,
}

/// <summary>Settings of the Slack adapter (section "Slack"). Tokens are secrets: never log them.</summary>
public sealed class SlackOptions
{
    public const string Section = "Slack";

    /// <summary>The bot token (xoxb-...) every Web API call except apps.connections.open uses.</summary>
    public string? BotToken { get; set; }

    /// <summary>The app-level token (xapp-..., scope connections:write), used only to open Socket Mode connections.</summary>
    public string? AppToken { get; set; }

    /// <summary>Signs HTTP-mode requests (Basic Information page of the app).</summary>
    public string? SigningSecret { get; set; }

    public SlackMode Mode { get; set; } = SlackMode.Socket;

    /// <summary>Where the Web API lives; tests point it at a local fake.</summary>
    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>Socket Mode connections kept open at once; Slack hands each envelope to one of them (at most 10).</summary>
    [Range(1, 10)]
    public int SocketConnections { get; set; } = 2;

    /// <summary>Pause between opening the connections, so they are not refreshed at the same moment.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ConnectionStagger { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First reconnect delay after a failure; it grows with each failure in a row, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A new connection that has not said hello by then is dropped and replaced.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00")]
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>WebSocket ping interval; a connection whose pong does not come back within the same time is dead.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a command or modal submit may wait for the engine's answer before the ack goes out empty
    /// (the answer then follows through response_url). Slack's own deadline is 3 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.05", "00:00:02.8")]
    public TimeSpan AckBudget { get; set; } = TimeSpan.FromSeconds(2.2);

    /// <summary>After a refresh, how long the old connection may finish acking what it already received.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries of one Web API call after 429, 5xx or a network error, before the caller hears "retry later".</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First backoff after a 5xx or network error; doubles per retry.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Up to this much random time is added to every wait after a 429 or an error (spreads the retries).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryJitter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retries of a Web API call: <see cref="RetryDelay"/> doubling, Retry-After first, <see cref="RetryJitter"/> added.
    /// Uncapped: <see cref="MaxRetries"/> bounds it.</summary>
    internal FollowUpBot.Core.Transport.Backoff RetryBackoff => new(RetryDelay, TimeSpan.MaxValue) { AddedJitter = RetryJitter };

    /// <summary>Slack allows about one message per second per channel.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ChannelMessageInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Workspace-wide cap on chat.postMessage (Slack: "several hundred per minute").</summary>
    [Range(1, 10_000)]
    public int MessagesPerMinute { get; set; } = 300;

    /// <summary>Timeout of one Web API request.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long users.info's time zone is reused; short, so a member who moves or changes it is followed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan UserInfoCacheDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Slack user ids (U0123ABCD) of the coaches: they may use /cohort create, status and digest. Checked on every
    /// command, so removing an id here (and restarting) takes effect at once.
    /// </summary>
    public string[] CoachUserIds { get; set; } = [];

    /// <summary>Whether workspace admins and owners (users.info is_admin / is_owner) are coaches too.</summary>
    public bool AdminsAreCoaches { get; set; } = true;

    /// <summary>How many recent DM messages are searched for an earlier copy of a possibly repeated nudge.</summary>
    [Range(1, 1000)]
    public int RepeatSearchDepth { get; set; } = 50;
}
