namespace FollowUpBot.Core.Ports;

/// <summary>
/// Everything the scheduler will run, seen from a clock that moves in jumps (the console's simulated time): when the
/// next piece of work (a nudge, a digest, the nightly clean-up) falls due, and whether everything due by now has run.
/// </summary>
public interface IScheduledWork
{
    /// <summary>The earliest time any scheduled work falls due, if any is scheduled.</summary>
    Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken);

    /// <summary>True when nothing due at or before <paramref name="now"/> is still waiting to run or running.</summary>
    Task<bool> IsIdleAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
