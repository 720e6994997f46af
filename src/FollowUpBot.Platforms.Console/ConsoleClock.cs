using System.Diagnostics;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Core.Time;

namespace FollowUpBot.Platforms.Console;

/// <summary>
/// The console's view of time. On a <see cref="SimulatedClock"/> time stands still between commands and
/// <see cref="WaitAsync"/> walks it forward one piece of due work at a time (a nudge, a digest, the nightly
/// clean-up), letting the real scheduler run each before moving on, so everything happens on time and in order:
/// a jump past a trigger's time would leave it to Quartz's misfire handling, which runs on real time.
/// </summary>
public sealed class ConsoleClock(TimeProvider time, INudgeRepository nudges, IScheduledWork work, ConsoleMailbox mailbox)
{
    private static readonly NudgeState[] Unfinished = [NudgeState.Pending, NudgeState.Snoozed, NudgeState.Sending];

    /// <summary>How long (real time) to wait for the scheduler to finish the deliveries already due.</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public bool IsSimulated => time is SimulatedClock;

    public DateTimeOffset UtcNow => time.GetUtcNow();

    /// <summary>
    /// Waits until no nudge due by now is still pending or being sent and the scheduler has nothing due or running
    /// (it runs on its own threads). Returns false when that took longer than <see cref="SettleTimeout"/>.
    /// </summary>
    public async Task<bool> SettleAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var now = time.GetUtcNow();
            var unfinished = await nudges.ListByStateAsync(Unfinished, cancellationToken);
            if (!unfinished.Any(n => n.DueAt <= now) && await work.IsIdleAsync(now, cancellationToken)) return true;
            if (watch.Elapsed > SettleTimeout) return false;
            // Real time on purpose: this polls background work, it does not measure the member's time.
            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
        }
    }

    /// <summary>
    /// Moves a simulated clock forward by <paramref name="span"/>, stopping at each due nudge or other scheduled work
    /// until it has run and its messages are printed. Returns false if a delivery did not finish in time (the clock stays where it stopped).
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan span, CancellationToken cancellationToken)
    {
        var clock = time as SimulatedClock
            ?? throw new InvalidOperationException("Only a simulated clock can be moved.");
        var target = clock.GetUtcNow() + span;
        while (true)
        {
            var stop = target;
            foreach (var next in new[] { await nudges.NextDueAtAsync(cancellationToken), await work.NextDueAtAsync(cancellationToken) })
                if (next is { } due && due < stop) stop = due;
            if (stop > clock.GetUtcNow()) clock.SetUtcNow(stop);
            if (!await SettleAsync(cancellationToken)) return false;
            mailbox.Flush();
            if (stop >= target) return true;
        }
    }
}
