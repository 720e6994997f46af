using static FollowUpBot.Host.Tests.ConsoleTranscripts;

namespace FollowUpBot.Host.Tests;

public sealed class ZoneChangeTranscripts : IDisposable
{
    private readonly ConsoleTranscripts _console = new();

    [Fact]
    public async Task ARestartInANewZoneDeliversTheCatchUpInThatZoneAndOutsideItsQuietHours()
    {
        var (first, _) = await _console.RunAsync("2026-12-04T16:30", Line(InterviewDone));
        Assert.Equal(0, first.ExitCode);

        // The member moved to Berlin; it is 23:30 there (17:30 in New York) the next day. What fell due meanwhile
        // must be handled in the new zone: nothing in Berlin's quiet hours, every header with Berlin's offset.
        var (second, after) = await _console.RunInZoneAsync("Europe/Berlin", "2026-12-05T23:30", Line("/wait 1d"));

        Assert.Equal(0, second.ExitCode);
        Assert.NotEmpty(after.Nudges);
        Assert.All(after.Nudges, n =>
        {
            Assert.Equal(TimeSpan.FromHours(1), n.DueAt.Offset);
            Assert.InRange(n.DueAt.TimeOfDay, TimeSpan.FromHours(8), TimeSpan.FromHours(21) - TimeSpan.FromTicks(1));
        });
    }

    public void Dispose() => _console.Dispose();
}
