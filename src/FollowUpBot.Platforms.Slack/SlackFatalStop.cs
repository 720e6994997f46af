using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Platforms.Slack;

/// <summary>Where the exit code of a fatal Slack error goes: <see cref="Environment.ExitCode"/> in the bot, a recorder in tests.</summary>
public interface IExitCodeSink
{
    void Set(int exitCode);
}

internal sealed class EnvironmentExitCodeSink : IExitCodeSink
{
    public void Set(int exitCode) => Environment.ExitCode = exitCode;
}

/// <summary>
/// Stops the bot when Slack will never accept it as configured (a wrong or revoked token, Socket Mode switched
/// off): one clear alert, a non-zero exit code, the host asked to stop, instead of a loop of failures.
/// </summary>
public sealed class SlackFatalStop(IHostApplicationLifetime lifetime, IExitCodeSink exitCode, ILogger<SlackFatalStop> logger)
{
    /// <summary>The configuration (tokens, app settings) needs an operator: the bot's configuration exit code.</summary>
    public const int ExitCode = FollowUpBot.Core.ExitCodes.Configuration;

    private readonly CancellationTokenSource _stopped = new();
    private int _stopping;

    public bool IsStopped => _stopped.IsCancellationRequested;

    public string? Reason { get; private set; }

    /// <summary>Cancelled when the adapter stops for good.</summary>
    public CancellationToken StoppedToken => _stopped.Token;

    /// <summary><paramref name="reason"/> must not contain a token: it is logged as it is.</summary>
    public void Stop(string reason)
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 1) return;
        Reason = reason;
        logger.LogCritical("Slack adapter stopped: {Reason}", reason);
        exitCode.Set(ExitCode);
        _stopped.Cancel();
        lifetime.StopApplication();
    }
}
