using System.Text.RegularExpressions;
using static FollowUpBot.Host.Tests.ConsoleTranscripts;

namespace FollowUpBot.Host.Tests;

/// <summary>
/// Applications end to end in the console (real engine, database, scheduler and clock), on the paths that cross a
/// restart or a re-plan: a next round and its preparation, silence and closing, an offer and its deadline, details
/// answered with buttons after a one-line /interview done, and the same interview typed twice.
/// </summary>
public sealed class ProcessTranscriptTests : IDisposable
{
    private const string Now = "2026-12-04T16:30";
    private readonly ConsoleTranscripts _console = new();

    public void Dispose() => _console.Dispose();

    /// <summary>The /press id of the latest button with this label, wherever it was printed (nudge or answer).</summary>
    private static Func<Transcript, string> Press(string label) => t =>
        "/press " + t.Lines.Select(l => Regex.Match(l, @"^  /press (\S+)  (.+)$")).Last(m => m.Success && m.Groups[2].Value == label).Groups[1].Value;

    private static Func<Transcript, string> PressOn(string kind, string label) => t => $"/press {t.Last(kind).Button(label)}";

    [Fact]
    public async Task ANextRoundsDateGivenInTheChatBringsItsPreparationTheEveningBeforeAfterARestart()
    {
        var (first, before) = await _console.RunAsync(Now,
            Line(InterviewDone), Line("/wait 12d"), PressOn("outcome_check", "Next round"), Press("Set round date…"), Line("2026-12-22 10:00"));

        Assert.Equal(0, first.ExitCode);
        Assert.True(before.Contains("#1 Acme: on to round 2. No more follow-ups for this round."), first.Out);
        Assert.True(before.Contains("Round 2: Tue 22 Dec 10:00 (your time)."), first.Out);

        var (second, after) = await _console.RunAsync("2026-12-17T09:00", Line("/wait 5d"),
            Line("/interview done company:\"Acme\" interviewers:\"Cleo Day\" format:video"), Line("/interview list"));

        Assert.Equal(0, second.ExitCode);
        var prepare = Assert.Single(after.Nudges, n => n.Kind == "prepare_round");
        Assert.Equal(new DateTimeOffset(2026, 12, 21, 18, 0, 0, TimeSpan.FromHours(-5)), prepare.DueAt);
        Assert.False(prepare.Late);
        Assert.Contains("Your round 2 with Acme is on Tuesday 22 December at 10:00.", prepare.Text);
        Assert.True(after.Contains("#2 Acme saved as round 2 of your Acme application"), second.Out);
        Assert.True(after.Contains("#2 Acme, round 2, interviewing: next,"), second.Out);
        Assert.DoesNotContain("follow_up", before.Kinds.SkipWhile(k => k != "outcome_check").Concat(after.Kinds));
    }

    [Fact]
    public async Task NoReplyLetsItRestForThreeWeeksThenClosingTakesItOffTheList()
    {
        var (run, transcript) = await _console.RunAsync(Now,
            Line(InterviewDone), Line("/wait 12d"), PressOn("outcome_check", "No reply yet"), Line("/wait 22d"),
            PressOn("let_it_rest", "Close it"), Line("/interview list"));

        Assert.Equal(0, run.ExitCode);
        Assert.True(transcript.Contains("that one follow-up was the right amount of contact"), run.Out);
        var rest = transcript.Last("let_it_rest");
        Assert.Equal(new DateTimeOffset(2027, 1, 6, 10, 0, 0, TimeSpan.FromHours(-5)), rest.DueAt);
        Assert.Contains("Shall I close this one?", rest.Text);
        Assert.Equal("let_it_rest", transcript.Kinds[^1]);
        Assert.True(transcript.Contains("#1 Acme: closed without a reply."), run.Out);
        Assert.True(transcript.Contains("You have no open interviews."), run.Out);
    }

    [Fact]
    public async Task AnOffersDeadlineIsRemindedTheDayBeforeAndAcceptingClosesTheApplication()
    {
        var (run, transcript) = await _console.RunAsync(Now,
            Line(InterviewDone), Line("/wait 12d"), PressOn("outcome_check", "Offer"),
            Line("/interview outcome id:1 result:offer deadline:2026-12-23"), Line("/wait 7d"),
            PressOn("offer_deadline", "I accepted"), Line("/interview show id:1"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("record_offer", transcript.Kinds);
        Assert.Single(transcript.Nudges, n => n.Kind == "record_offer");
        var deadline = transcript.Last("offer_deadline");
        Assert.Equal(new DateTimeOffset(2026, 12, 22, 10, 0, 0, TimeSpan.FromHours(-5)), deadline.DueAt);
        Assert.Contains("Acme would like your answer to their offer by Wednesday 23 December 2026.", deadline.Text);
        Assert.True(transcript.Contains("#1 Acme: offer accepted. This application is closed."), run.Out);
        Assert.True(transcript.Contains("#1 Acme (Backend Engineer), closed: offer accepted."), run.Out);
    }

    [Fact]
    public async Task ADecisionDateAnsweredWithAButtonAfterAOneLineInterviewDoneMovesTheFollowUp()
    {
        var (run, transcript) = await _console.RunAsync(Now,
            Line("/interview done company:\"Acme\" interviewers:\"Ana Ruiz\" format:video"),
            Press("Deciding next week"), Line("/wait 11d"));

        Assert.Equal(0, run.ExitCode);
        Assert.True(transcript.Contains("You left out a few details my advice depends on."), run.Out);
        Assert.True(transcript.Contains("Moved: follow up with the employer, now Mon 14 Dec 10:00."), run.Out);
        var followUp = Assert.Single(transcript.Nudges, n => n.Kind == "follow_up");
        Assert.Equal(new DateTimeOffset(2026, 12, 14, 10, 0, 0, TimeSpan.FromHours(-5)), followUp.DueAt);
    }

    [Fact]
    public async Task TheSameInterviewTypedTwiceIsAskedAboutAndStoredOnce()
    {
        var (run, transcript) = await _console.RunAsync(Now,
            Line(InterviewDone), Line(InterviewDone), Press("No, the same one"), Line("/interview list"));

        Assert.Equal(0, run.ExitCode);
        Assert.True(transcript.Contains("You already recorded #1 Acme (Backend Engineer)"), run.Out);
        Assert.True(transcript.Contains("Nothing stored: #1 Acme (Backend Engineer) stays as it was."), run.Out);
        Assert.Single(transcript.Nudges, n => n.Kind == "debrief");
        Assert.DoesNotContain("#2", run.Out);
    }
}
