using static FollowUpBot.Host.Tests.ConsoleTranscripts;

namespace FollowUpBot.Host.Tests;

/// <summary>Re-plans end to end in the console, over a real SQLite file and across a restart.</summary>
public sealed class ReplanTranscripts : IDisposable
{
    private readonly ConsoleTranscripts _console = new();

    // Found 1, the issue's own steps: recorded at 16:30 in New York, then the zone becomes Asia/Kolkata. Every nudge is
    // re-planned in Kolkata's wall-clock time; after a restart they arrive then, worded for that moment.
    [Fact]
    public async Task AZoneChangeReplansAndTheNudgesArriveInTheNewZoneAfterARestart()
    {
        var (first, recorded) = await _console.RunAsync("2026-12-04T16:30",
            Line("/interview done company:\"Acme\" interviewers:\"Ana Ruiz\" format:video"),
            Line("/followup settings time-zone:Asia/Kolkata"));
        Assert.Equal(0, first.ExitCode);
        Assert.True(recorded.Contains("• thank Ana Ruiz: Sat 5 Dec 04:30 → Sat 5 Dec 18:00"), recorded.Output);
        Assert.True(recorded.Contains("Next: thank Ana Ruiz, Sat 5 Dec 18:00 (your time, Asia/Kolkata)."), recorded.Output);

        var (second, after) = await _console.RunInZoneAsync("Asia/Kolkata", "2026-12-05T03:10", Line("/wait 1d12h"));

        Assert.Equal(0, second.ExitCode);
        var thankYou = after.Last("thank_you");
        Assert.Equal(DateTimeOffset.Parse("2026-12-05T18:00:00+05:30"), thankYou.DueAt);
        Assert.False(thankYou.Late);
        Assert.Contains("until Monday", thankYou.Text);
        Assert.DoesNotContain("tonight", thankYou.Text);
        var reminder = after.Last("thank_you_reminder");
        Assert.Equal(DateTimeOffset.Parse("2026-12-06T09:00:00+05:30"), reminder.DueAt);
        Assert.Contains("This morning", reminder.Text);
    }

    // Found 2: Done on the reminder counts as the thank-you sent; the follow-up is planned from then, and the
    // answer says so.
    [Fact]
    public async Task DoneOnTheReminderReplansTheFollowUpFromThatMoment()
    {
        var (run, transcript) = await _console.RunAsync("2026-12-04T16:30",
            Line("/interview done company:\"Acme\" interviewers:\"Ana Ruiz\" format:video"),
            Line("/wait 2d"),
            t => "/press " + t.Last("thank_you_reminder").Button("Done"),
            Line("/interview list"));

        Assert.Equal(0, run.ExitCode);
        Assert.True(transcript.Contains("Done: your thank-you to Ana Ruiz counts as sent. All thank-yous are sent, so your follow-up is now planned for Mon 14 Dec 09:00."),
            transcript.Output);
        Assert.Contains("Next: ", transcript.Output);
    }

    // An edit crosses a restart: the moved follow-up is what the next run delivers.
    [Fact]
    public async Task AnEditedDecisionDateIsWhatTheNextRunDelivers()
    {
        var (first, edited) = await _console.RunAsync("2026-12-04T16:30", Line(InterviewDone),
            Line("/interview edit id:1 decision-date:2026-12-14"));
        Assert.Equal(0, first.ExitCode);
        Assert.True(edited.Contains("• follow up with the employer: Wed 9 Dec 10:00 → Tue 15 Dec 10:00"), edited.Output);

        var (second, after) = await _console.RunAsync("2026-12-09T09:00", Line("/wait 7d"));

        Assert.Equal(0, second.ExitCode);
        var followUp = after.Last("follow_up");
        Assert.Equal(DateTimeOffset.Parse("2026-12-15T10:00:00-05:00"), followUp.DueAt);
        Assert.Contains("Their decision date, Monday 14 December 2026, has passed without news", followUp.Text);
    }

    public void Dispose() => _console.Dispose();
}
