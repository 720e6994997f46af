using static FollowUpBot.Host.Tests.ConsoleTranscripts;

namespace FollowUpBot.Host.Tests;

public sealed class ConsoleChatTests : IDisposable
{
    private const string Now = "2026-12-04T16:30";
    private readonly ConsoleTranscripts _console = new();

    public void Dispose() => _console.Dispose();

    [Fact]
    public async Task InterviewDoneWithEveryOptionPrintsTheDebriefAtOnce()
    {
        var (run, transcript) = await _console.RunAsync(Now, Line(InterviewDone));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        var debrief = Assert.Single(transcript.Nudges);
        Assert.Equal("debrief", debrief.Kind);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 16, 30, 0, TimeSpan.FromHours(-5)), debrief.DueAt);
        Assert.Equal(TimeSpan.FromHours(-5), debrief.DueAt.Offset);
        Assert.False(debrief.Late);
        Assert.Contains("Acme", debrief.Text);
    }

    [Fact]
    public async Task WaitingWalksThroughTheWholeAdviceCycleOnTimeAndInOrder()
    {
        var (run, transcript) = await _console.RunAsync(Now, Line(InterviewDone), Line("/wait 12d"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
        [
            "debrief", "thank_you", "thank_you", "thank_you_reminder", "thank_you_reminder", "mail_card",
            "brief_references", "hold_off", "keep_searching", "follow_up", "outcome_check",
        ], transcript.Kinds);
        var nudges = transcript.Nudges;
        Assert.All(nudges, n => Assert.False(n.Late));
        Assert.Equal(nudges.Select(n => n.DueAt).Order(), nudges.Select(n => n.DueAt));
        Assert.Equal(["Ana Ruiz", "Ben Ode"], nudges.Where(n => n.Kind == "thank_you")
            .Select(n => n.Text.Contains("Ana Ruiz") ? "Ana Ruiz" : n.Text.Contains("Ben Ode") ? "Ben Ode" : "?").Order());
        // R2: the same evening, never in quiet hours; R4: the business day after the decision date, 09:00-17:00.
        Assert.Equal(new DateTime(2026, 12, 4, 18, 0, 0), transcript.Last("thank_you").DueAt.DateTime);
        var followUp = transcript.Last("follow_up").DueAt;
        Assert.Equal(new DateOnly(2026, 12, 9), DateOnly.FromDateTime(followUp.DateTime));
        Assert.InRange(followUp.Hour, 9, 16);
        Assert.All(["Offer", "Next round", "Rejected", "Replied: still deciding", "No reply yet", "Withdrawn"],
            label => transcript.Last("outcome_check").Button(label));
    }

    [Theory]
    [InlineData("Offer", new[] { "record_offer", "thank_references" })]
    [InlineData("Rejected", new[] { "ask_feedback", "thank_references" })]
    [InlineData("Withdrawn", new[] { "thank_references" })]
    [InlineData("Replied: still deciding", new[] { "outcome_check" })]
    [InlineData("Next round", new string[0])]
    [InlineData("No reply yet", new string[0])]
    public async Task EachOutcomeBringsItsOwnNudgesAndNothingElse(string outcome, string[] expected)
    {
        var (run, transcript) = await _console.RunAsync(Now,
            Line(InterviewDone), Line("/wait 12d"), t => $"/press {t.Last("outcome_check").Button(outcome)}", Line("/wait 10d"));

        Assert.Equal(0, run.ExitCode);
        var kinds = transcript.Kinds;
        var afterCheck = kinds.Skip(kinds.ToList().IndexOf("outcome_check") + 1).ToList();
        Assert.Equal(expected, afterCheck);
        Assert.DoesNotContain(transcript.Nudges, n => n.Late);
    }

    [Fact]
    public async Task TheFormAsksWhatIsMissingAndAsksAgainOnlyForTheBadField()
    {
        var (run, transcript) = await _console.RunAsync(Now,
            Line("/interview done company:\"Acme\""),
            Line("Ana Ruiz"),  // interviewers
            Line("zoom"),      // format: not one of the choices
            Line(""), Line(""), Line(""), Line(""), Line(""), Line(""),
            Line("video"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(transcript.Lines, l => l.StartsWith("Format (required)", StringComparison.Ordinal));
        var retry = Array.IndexOf(transcript.Lines, "Some answers need another look:");
        Assert.True(retry > 0, run.Out);
        Assert.StartsWith("- Format:", transcript.Lines[retry + 1]);
        Assert.Contains("  You typed: zoom", transcript.Lines.Skip(retry));
        Assert.DoesNotContain(transcript.Lines.Skip(retry), l => l.StartsWith("Interviewers", StringComparison.Ordinal));
        Assert.Equal("debrief", Assert.Single(transcript.Nudges).Kind);
        Assert.Contains("#1 Acme", run.Out);
    }

    [Fact]
    public async Task ASlashLineCancelsTheFormAndRunsAsACommand()
    {
        var (run, transcript) = await _console.RunAsync(Now, Line("/interview done company:\"Acme\""), Line("/interview list"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("(Form cancelled.)", transcript.Lines);
        Assert.Empty(transcript.Nudges);
    }

    [Fact]
    public async Task AnUnknownButtonGetsOneLine()
    {
        var (run, transcript) = await _console.RunAsync(Now, Line("/press 42"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["There is no button 42 here: use a number shown as /press ID."], transcript.Lines.Where(l => l.Length > 0));
    }

    [Fact]
    public async Task ARestartDeliversWhatFellDueWhileDownOnceMarkedLateOrSkipped()
    {
        var (first, before) = await _console.RunAsync(Now, Line(InterviewDone));
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(["debrief"], before.Kinds);

        // Back two days later, at 13:00: the thank-yous, reminders, card, briefing and hold-off fell due meanwhile.
        var (second, after) = await _console.RunAsync("2026-12-06T13:00", Line("/wait 4d"));

        Assert.Equal(0, second.ExitCode);
        var atStart = after.Nudges.TakeWhile(n => n.Late).ToList();
        Assert.NotEmpty(atStart);
        Assert.DoesNotContain("debrief", after.Kinds);
        Assert.All(atStart, n => Assert.True(n.DueAt < new DateTimeOffset(2026, 12, 6, 13, 0, 0, TimeSpan.FromHours(-5))));
        // Nothing twice: each (kind, text) once across both runs.
        var all = before.Nudges.Concat(after.Nudges).Select(n => (n.Kind, n.Lines[0])).ToList();
        Assert.Equal(all.Distinct().Count(), all.Count);
        // What /wait delivers afterwards is on time.
        Assert.All(after.Nudges.Skip(atStart.Count), n => Assert.False(n.Late));
        Assert.Contains("keep_searching", after.Kinds.Skip(atStart.Count));
    }

    [Fact]
    public async Task WaitNeedsASimulatedClock()
    {
        using var folder = new TempFolder();
        var run = await Followupbot.RunAsync("/wait 1d\n", interactive: false, "console", "--db", folder.File("x.db"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--now", Assert.Single(run.OutLines));
    }
}
