namespace FollowUpBot.Platforms.Discord;

/// <summary>
/// The clock of the wire: heartbeats, rate-limit windows, the 3-second interaction window and backoff run in
/// Discord's real time even when the engine runs on a simulated clock, so it is kept apart from the
/// TimeProvider the engine and scheduler share.
/// </summary>
public sealed record DiscordTransportClock(TimeProvider Time)
{
    public static DiscordTransportClock System { get; } = new(TimeProvider.System);
}
