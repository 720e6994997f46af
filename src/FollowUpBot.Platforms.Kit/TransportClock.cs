namespace FollowUpBot.Platforms.Kit;

/// <summary>
/// The clock of the wire: heartbeats, rate-limit windows, acknowledgement windows, signature replay windows, caches
/// and backoff run in the platform's real time even when the engine runs on a simulated clock, so it is kept apart
/// from the TimeProvider the engine and scheduler share. It is a TimeProvider itself (delegating to <see cref="Time"/>)
/// so adapters wait on it with <c>Task.Delay(delay, clock, token)</c>; tests register one over a fake time.
/// </summary>
public sealed class TransportClock(TimeProvider time) : TimeProvider
{
    /// <summary>The real clock, what the bot runs on.</summary>
    public static TransportClock Real { get; } = new(TimeProvider.System);

    /// <summary>The time this clock reads.</summary>
    public TimeProvider Time { get; } = time;

    public override DateTimeOffset GetUtcNow() => Time.GetUtcNow();

    public override long GetTimestamp() => Time.GetTimestamp();

    public override long TimestampFrequency => Time.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Time.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        Time.CreateTimer(callback, state, dueTime, period);
}
