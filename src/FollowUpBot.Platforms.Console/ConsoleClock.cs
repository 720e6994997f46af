using System.Diagnostics;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Core.Time;

namespace FollowUpBot.Platforms.Console;

/// <summary>
/// The console's view of time. On a <see cref="SimulatedClock"/> time stands still between commands and
/// <see cref="WaitAsync"/> walks it forward one due nudge at a time, letting the real scheduler deliver each
/// before moving on, so every delivery happens on time and in order.
/// </summary>
public sealed class ConsoleClock(TimeProvider time, INudgeRepository nudges, ConsoleMailbox mailbox)
{
    private static readonly NudgeState[] Unfinished = [NudgeState.Pending, NudgeState.Snoozed, NudgeState.Sending];

    /// <summary>How long (real time) to wait for the scheduler to finish the deliveries already due.</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public bool IsSimulated => time is SimulatedClock;

    public DateTimeOffset UtcNow => time.GetUtcNow();

    /// <summary>
    /// Waits until no nudge due by now is still pending or being sent (the scheduler runs on its own threads).
    /// Returns false when that took longer than <see cref="SettleTimeout"/>.
    /// </summary>
    public async Task<bool> SettleAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var now = time.GetUtcNow();
            var unfinished = await nudges.ListByStateAsync(Unfinished, cancellationToken);
            if (!unfinished.Any(n => n.DueAt <= now)) return true;
            if (watch.Elapsed > SettleTimeout) return false;
            // Real time on purpose: this polls background work, it does not measure the member's time.
            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
        }
    }

    /// <summary>
    /// Moves a simulated clock forward by <paramref name="span"/>, stopping at each due nudge until it is delivered
    /// and printed. Returns false if a delivery did not finish in time (the clock stays where it stopped).
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan span, CancellationToken cancellationToken)
    {
        var clock = time as SimulatedClock
            ?? throw new InvalidOperationException("Only a simulated clock can be moved.");
        var target = clock.GetUtcNow() + span;
        while (true)
        {
            var next = await nudges.NextDueAtAsync(cancellationToken);
            var stop = next is { } due && due < target ? due : target;
            if (stop > clock.GetUtcNow()) clock.SetUtcNow(stop);
            if (!await SettleAsync(cancellationToken)) return false;
            mailbox.Flush();
            if (stop >= target) return true;
        }
    }
}
