using FollowUpBot.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Platforms.Kit;

/// <summary>Where the exit code of a fatal stop goes: <see cref="Environment.ExitCode"/> in the bot, a recorder in tests.</summary>
public interface IExitCodeSink
{
    void Set(int exitCode);
}

public sealed class EnvironmentExitCodeSink : IExitCodeSink
{
    public void Set(int exitCode) => Environment.ExitCode = exitCode;
}

/// <summary>
/// Stops the bot when a platform says it can never work as configured (a wrong or revoked token, an invalid shard,
/// disallowed intents, Socket Mode switched off): one clear log line, the configuration exit code
/// (<see cref="ExitCodes.Configuration"/>, the same for every platform: README "Operating"), the host asked to stop,
/// instead of a loop of failures. One per process: after it, no adapter makes another call.
/// </summary>
public sealed class FatalStop(IHostApplicationLifetime lifetime, IExitCodeSink exitCode, ILogger<FatalStop> logger)
{
    /// <summary>Each fatal stop is fixed in the configuration.</summary>
    public const int ExitCode = ExitCodes.Configuration;

    private readonly CancellationTokenSource _stopped = new();
    private int _stopping;

    public bool IsStopped => _stopped.IsCancellationRequested;

    /// <summary>The reason, as logged.</summary>
    public string? Reason { get; private set; }

    /// <summary>Cancelled when the bot stops for good.</summary>
    public CancellationToken StoppedToken => _stopped.Token;

    /// <summary><paramref name="reason"/> names the platform and the setting to fix; it must not contain a token: it is logged as it is.</summary>
    public void Stop(string reason)
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 1) return;
        Reason = reason;
        logger.LogCritical("Stopping the bot: {Reason}", reason);
        exitCode.Set(ExitCode);
        _stopped.Cancel();
        lifetime.StopApplication();
    }
}
