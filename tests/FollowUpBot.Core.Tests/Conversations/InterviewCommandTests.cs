using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using static FollowUpBot.Core.Tests.Conversations.EngineFixture;

namespace FollowUpBot.Core.Tests.Conversations;

public sealed class InterviewCommandTests
{
    private readonly EngineFixture _f = new();

    [Fact]
    public async Task ListShowsOpenInterviewsWithTheirNextNudgeAndFailures()
    {
        var acme = await _f.RecordAsync();
        await _f.RecordAsync("/interview done company:Beta interviewers:Zoe format:phone");
        var thankYou = _f.NudgesOf(acme, NudgeKind.ThankYou)[0];
        await _f.Store.TryClaimAsync(thankYou.Id, _f.Clock.GetUtcNow(), CancellationToken.None);
        await _f.Store.CompleteAsync(thankYou.Id, NudgeState.Failed, _f.Clock.GetUtcNow(), "direct messages closed", null, possibleRepeat: false, CancellationToken.None);

        var text = ReplyText(await _f.Command("/interview list"));

        Assert.Contains("Your open applications (your time, America/New_York):", text);
        Assert.Contains("#1 Acme (Backend Engineer), interviewing: next, write down your debrief notes, Fri 4 Dec 16:30", text);
        Assert.Contains("#2 Beta, interviewing: next, write down your debrief notes, Fri 4 Dec 16:30", text);
        Assert.Contains("Could not be delivered:", text);
        Assert.Contains($"#1 Acme: thank {thankYou.Interviewer} (Fri 4 Dec 18:00): direct messages closed", text);
    }

    [Fact]
    public async Task ListWithNothingOpenSaysHowToStart() =>
        Assert.Contains("no open interviews", ReplyText(await _f.Command("/interview list")));

    [Fact]
    public async Task ListOfAnotherMemberShowsNothingOfMine()
    {
        await _f.RecordAsync();
        var text = ReplyText(await _f.Command("/interview list", _f.Bob));
        Assert.DoesNotContain("Acme", text);
    }

    [Fact]
    public async Task ALongListStaysUnderTheMessageLimit()
    {
        for (var i = 0; i < 40; i++)
            await _f.RecordAsync($"/interview done company:\"Company number {i} with a rather long name\" role:\"{new string('r', 90)}\" interviewers:Ana format:phone");
        var text = ReplyText(await _f.Command("/interview list"));
        Assert.True(text.Length < Message.MaxTextLength, text.Length.ToString());
        Assert.EndsWith("…", text);
    }

    [Fact]
    public async Task OfferWithoutIdClosesTheOnlyOpenInterviewAndPlansWhatFollows()
    {
        var interview = await _f.RecordAsync();
        var pending = _f.NudgesOf(interview).Where(n => n.IsScheduled).Select(n => n.Id).ToList();

        var text = ReplyText(await _f.Command("/interview outcome result:offer"));

        Assert.Contains("#1 Acme: offer recorded", text);
        var stored = _f.Reload(interview);
        Assert.Equal((Outcome.Offer, _f.Clock.GetUtcNow()), (stored.Outcome, stored.OutcomeAt));
        Assert.All(pending, id => Assert.Equal(NudgeState.Cancelled, _f.Store.Nudges.Single(n => n.Id == id).State));
        Assert.All(pending, id => Assert.DoesNotContain(id, _f.Scheduler.Triggers.Keys));
        var added = _f.NudgesOf(interview).Where(n => n.IsScheduled).ToList();
        Assert.Equal([NudgeKind.RecordOffer, NudgeKind.ThankReferences], added.Select(n => n.Kind).Order());
        Assert.All(added, n => Assert.Equal(n.DueAt, _f.Scheduler.Triggers[n.Id]));
        Assert.Equal(2, _f.Store.InterviewWrites); // stored once, updated once
    }

    [Fact]
    public async Task RejectedBringsTheFeedbackNudge()
    {
        var interview = await _f.RecordAsync();
        await _f.Command("/interview outcome id:1 result:Rejected");
        Assert.Contains(_f.NudgesOf(interview), n => n.Kind == NudgeKind.AskFeedback && n.State == NudgeState.Pending);
    }

    [Fact]
    public async Task WaitingStopsTheChasingAndChecksAgainInAWeek()
    {
        var interview = await _f.RecordAsync();
        var keepSearching = _f.NudgesOf(interview, NudgeKind.KeepSearching).Single();
        var firstCheck = _f.NudgesOf(interview, NudgeKind.OutcomeCheck).Single();

        var text = ReplyText(await _f.Command("/interview outcome id:1 result:waiting"));

        Assert.Contains("still deciding", text);
        Assert.All(_f.NudgesOf(interview, NudgeKind.FollowUp), n => Assert.Equal(NudgeState.Cancelled, n.State));
        var checks = _f.NudgesOf(interview, NudgeKind.OutcomeCheck);
        Assert.Equal(NudgeState.Cancelled, checks.Single(n => n.Id == firstCheck.Id).State);
        var next = Assert.Single(checks, n => n.State == NudgeState.Pending);
        Assert.Equal(_f.Local("2026-12-11T12:00"), next.DueAt);
        Assert.Equal(NudgeState.Pending, _f.Store.Nudges.Single(n => n.Id == keepSearching.Id).State);
        Assert.True(_f.Reload(interview).IsOpen);
    }

    [Fact]
    public async Task OutcomeWithSeveralOpenAndNoIdAsksWhichAndChangesNothing()
    {
        await _f.RecordAsync();
        await _f.RecordAsync(FullCommand.Replace("Acme", "Beta"));
        var before = _f.Store.Snapshot();

        var text = ReplyText(await _f.Command("/interview outcome result:offer"));

        Assert.Contains("Which interview do you want to record an outcome for? You have 2 open:", text);
        Assert.Contains("• #1 Acme (Backend Engineer)", text);
        Assert.Contains("• #2 Beta (Backend Engineer)", text);
        Assert.Contains("/interview outcome id:1 result:offer", text);
        Assert.Equal(before, _f.Store.Snapshot());
    }

    [Theory]
    [InlineData("/interview outcome id:7 result:offer", "You have no interview #7. Your open ones: #1 Acme.")]
    [InlineData("/interview outcome id:two result:offer", "id should be the interview's number, like id:2 (you wrote \"two\")")]
    [InlineData("/interview outcome id:1 result:hired", "closed (no reply, stop following it) (you wrote \"hired\")")]
    [InlineData("/interview outcome id:1 result:1", "(you wrote \"1\")")]
    [InlineData("/interview outcome id:1", "Which result? Add result: with one of offer, next-round, rejected")]
    [InlineData("/interview outcome id:1 result:rejected next-round:2026-12-15T10:00", "goes with result:next-round")]
    [InlineData("/interview outcome id:1 result:next-round next-round:tomorrow", "Give both, in your time, for example 2026-12-11T10:00")]
    [InlineData("/interview outcome id:1 result:next-round next-round:2026-12-03T10:00", "has already passed")]
    [InlineData("/interview outcome id:1 result:waiting deadline:friday", "goes with result:offer")]
    [InlineData("/interview outcome id:1 result:offer deadline:2026-12-01", "2026-12-01 has already passed")]
    [InlineData("/interview outcome id:1 result:offer deadline:soonish", "couldn't read \"soonish\"")]
    public async Task BadOutcomeCommandsChangeNothing(string line, string expected)
    {
        await _f.RecordAsync();
        var before = _f.Store.Snapshot();
        Assert.Contains(expected, ReplyText(await _f.Command(line)));
        Assert.Equal(before, _f.Store.Snapshot());
    }

    [Fact]
    public async Task AClosedInterviewKeepsItsOutcome()
    {
        await _f.RecordAsync();
        await _f.Command("/interview outcome result:rejected");
        var before = _f.Store.Snapshot();
        Assert.Contains("already has its outcome (closed: rejected)", ReplyText(await _f.Command("/interview outcome id:1 result:offer")));
        Assert.Equal(before, _f.Store.Snapshot());
    }

    [Fact]
    public async Task AnotherMembersNumberIsNotTheirs()
    {
        await _f.RecordAsync();
        var before = _f.Store.Snapshot();
        Assert.Contains("You have no interview #1", ReplyText(await _f.Command("/interview outcome id:1 result:offer", _f.Bob)));
        Assert.Contains("You have no interview #1", ReplyText(await _f.Command("/interview forget id:1", _f.Bob)));
        Assert.Equal(before, _f.Store.Snapshot());
    }

    [Fact]
    public async Task FollowUpTooSoonSaysExactlyWhenTheWindowOpensAndLogsNothing()
    {
        var interview = await _f.RecordAsync(); // decision date Tue 8 Dec: the window opens the day after
        _f.Clock.Advance(TimeSpan.FromDays(2));
        var before = _f.Store.Snapshot();

        var text = ReplyText(await _f.Command("/interview followup"));

        Assert.Contains("too soon to follow up on #1 Acme", text);
        Assert.Contains("The window opens Wed 9 Dec 00:00 (your time)", text);
        Assert.Equal(before, _f.Store.Snapshot());
        Assert.Equal(0, _f.Reload(interview).FollowUpsLogged);
    }

    [Fact]
    public async Task FollowUpWithoutADecisionDateOpensThreeDaysAfterTheInterview()
    {
        await _f.RecordAsync("/interview done company:Acme interviewers:Ana format:video");
        Assert.Contains("The window opens Mon 7 Dec 16:30", ReplyText(await _f.Command("/interview followup id:1")));
    }

    [Fact]
    public async Task FollowUpOnceClosesTheRemainingFollowUpReminders()
    {
        var interview = await _f.RecordAsync();
        _f.Clock.SetUtcNow(_f.Local("2026-12-09T09:00"));

        var text = ReplyText(await _f.Command("/interview followup id:1"));

        Assert.Contains("Logged your first follow-up on #1 Acme", text);
        var stored = _f.Reload(interview);
        Assert.Equal((1, _f.Clock.GetUtcNow()), (stored.FollowUpsLogged, stored.LastFollowUpAt));
        var followUp = Assert.Single(_f.NudgesOf(interview, NudgeKind.FollowUp));
        Assert.Equal(NudgeState.Cancelled, followUp.State);
        Assert.DoesNotContain(followUp.Id, _f.Scheduler.Triggers.Keys);
        Assert.Equal(NudgeState.Pending, _f.NudgesOf(interview, NudgeKind.OutcomeCheck).Single().State);
    }

    [Fact]
    public async Task InvitedFollowUpsCountEachCheckInFromTheOneActuallyMadeUntilFive()
    {
        var interview = await _f.RecordAsync(FullCommand.Replace("follow-up-invited:no", "follow-up-invited:yes"));
        Assert.Equal(5, _f.NudgesOf(interview, NudgeKind.FollowUp).Count);
        _f.Clock.SetUtcNow(_f.Local("2026-12-09T09:00"));

        // Made before its nudge came: that nudge closes, and the next check-in counts a week from this one.
        var answer = ReplyText(await _f.Command("/interview followup"));
        Assert.Contains("the next check-in counts a week from this one", answer);
        var followUps = _f.NudgesOf(interview, NudgeKind.FollowUp).OrderBy(n => n.Sequence).ToList();
        Assert.Equal(NudgeState.Cancelled, followUps[0].State);
        Assert.Equal([_f.Local("2026-12-16T10:00"), _f.Local("2026-12-23T10:00"), _f.Local("2026-12-30T10:00"), _f.Local("2027-01-06T10:00")],
            followUps.Skip(1).Select(n => n.DueAt));
        Assert.Contains("Next: ", answer);

        for (var i = 2; i <= 5; i++) await _f.Command("/interview followup");
        Assert.Equal(5, _f.Reload(interview).FollowUpsLogged);
        Assert.DoesNotContain(_f.NudgesOf(interview, NudgeKind.FollowUp), n => n.IsScheduled);
    }

    [Fact]
    public async Task ForgetAsksFirstAndYesDeletesEverything()
    {
        var interview = await _f.RecordAsync();
        var ids = _f.NudgesOf(interview).Select(n => n.Id).ToList();
        var before = _f.Store.Snapshot();

        var ask = Assert.IsType<Reply>(Assert.Single(await _f.Command("/interview forget id:1")));

        Assert.Contains("Forget #1 Acme (Backend Engineer)", ask.Message.Text);
        Assert.Equal(before, _f.Store.Snapshot());
        Assert.Equal([new ConfirmButton(ConfirmationKind.Forget, interview.Id, true).Format(), new ConfirmButton(ConfirmationKind.Forget, interview.Id, false).Format()],
            ask.Message.Buttons.Select(b => b.Id));

        // Someone else pressing the confirmation changes nothing.
        Assert.Contains("someone else's", ReplyText(await _f.Press(ask.Message.Buttons[0].Id, _f.Bob)));
        Assert.Equal(before, _f.Store.Snapshot());

        var done = UpdateOf(await _f.Press(ask.Message.Buttons[0].Id));
        Assert.StartsWith("Forgot #1 Acme", done.Text);
        Assert.Empty(done.Buttons);
        Assert.Empty(_f.Store.Interviews);
        Assert.Empty(_f.Store.Nudges);
        Assert.Empty(_f.Scheduler.Triggers);
        Assert.Equal(ids.Order(), _f.Scheduler.Unscheduled.Order());
    }

    [Fact]
    public async Task ForgetAnsweredNoKeepsEverything()
    {
        var interview = await _f.RecordAsync();
        var ask = Assert.IsType<Reply>(Assert.Single(await _f.Command("/interview forget id:1")));
        var before = _f.Store.Snapshot();

        var kept = UpdateOf(await _f.Press(ask.Message.Buttons[1].Id));

        Assert.Contains("Kept #1 Acme", kept.Text);
        Assert.Equal(before, _f.Store.Snapshot());
        Assert.Equal(_f.NudgesOf(interview).Count, _f.Scheduler.Triggers.Count);
    }

    [Fact]
    public async Task ForgetWithoutIdAsksWhich() =>
        Assert.Contains("/interview forget id:2", ReplyText(await _f.Command("/interview forget")));
}
