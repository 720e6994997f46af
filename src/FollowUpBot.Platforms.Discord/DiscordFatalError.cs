using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Platforms.Discord;

/// <summary>
/// What happens when Discord says the bot can never work as configured (wrong token, invalid shard,
/// disallowed intents): a clear log line, a non-zero exit code and an orderly stop of the host.
/// </summary>
public class DiscordFatalError(IHostApplicationLifetime lifetime, ILogger<DiscordFatalError> logger)
{
    /// <summary>Exit code the process ends with after a fatal Discord error: each one is fixed in the configuration.</summary>
    public const int ExitCode = FollowUpBot.Core.ExitCodes.Configuration;

    private int _raised;

    public bool HasStopped => Volatile.Read(ref _raised) == 1;

    /// <summary>The reason, as logged; never contains the token.</summary>
    public string? Reason { get; private set; }

    public virtual void Stop(string reason)
    {
        if (Interlocked.Exchange(ref _raised, 1) == 1) return;
        Reason = reason;
        logger.LogCritical("Discord adapter stopping the bot: {Reason}", reason);
        Environment.ExitCode = ExitCode;
        lifetime.StopApplication();
    }
}
