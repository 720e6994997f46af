using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Planning;
using FollowUpBot.Core.Tests.Planning;
using static FollowUpBot.Core.Tests.Conversations.EngineFixture;

namespace FollowUpBot.Core.Tests.Conversations;

/// <summary>An application as a process on the real engine: rounds, next round, no reply, offer, accepted, closed.</summary>
public sealed class ProcessTests
{
    private readonly EngineFixture _f = new();

    private Nudge Current(Nudge nudge) => _f.Store.Nudges.Single(n => n.Id == nudge.Id);

    private IReadOnlyList<Nudge> Pending(Interview interview, NudgeKind kind) =>
        _f.NudgesOf(interview, kind).Where(n => n.IsScheduled).ToList();

    /// <summary>Records the example interview and delivers its outcome check, as it arrives on Mon 16 Dec.</summary>
    private async Task<(Interview Interview, Nudge Check)> AtTheOutcomeCheckAsync()
    {
        var interview = await _f.RecordAsync();
        var check = _f.NudgesOf(interview, NudgeKind.OutcomeCheck).Single();
        _f.Clock.SetUtcNow(check.DueAt);
        return (interview, await _f.DeliverAsync(check));
    }

    /// <summary>No reply yet recorded at the check-in, and the question about closing delivered three weeks on.</summary>
    private async Task<(Interview Interview, Nudge Question)> AtLetItRestAsync()
    {
        var (interview, check) = await AtTheOutcomeCheckAsync();
        await _f.Press(new NudgeOutcomeButton(check.Id, Outcome.NoReply).Format());
        var rest = Assert.Single(Pending(interview, NudgeKind.LetItRest));
        _f.Clock.SetUtcNow(rest.DueAt);
        return (interview, await _f.DeliverAsync(rest));
    }

    /// <summary>An offer with its deadline, and the reminder the day before delivered.</summary>
    private async Task<(Interview Interview, Nudge Deadline)> AtTheOfferDeadlineAsync()
    {
        var interview = await _f.RecordAsync();
        await _f.Command("/interview outcome id:1 result:offer deadline:2026-12-18");
        var deadline = Assert.Single(Pending(interview, NudgeKind.OfferDeadline));
        _f.Clock.SetUtcNow(deadline.DueAt);
        return (interview, await _f.DeliverAsync(deadline));
    }

    // ---- next round

    [Fact]
    public async Task TheNextRoundButtonClosesThisRoundsFollowUpsAndAsksForTheDate()
    {
        var (interview, check) = await AtTheOutcomeCheckAsync();
        var followUp = _f.NudgesOf(interview, NudgeKind.FollowUp).Single();

        var update = UpdateOf(await _f.Press(new NudgeOutcomeButton(check.Id, Outcome.NextRound).Format()));

        Assert.Contains("#1 Acme: on to round 2. No more follow-ups for this round.", update.Text);
        Assert.Contains("your debrief notes are now your preparation", update.Text);
        var ask = Assert.Single(update.Buttons);
        Assert.Equal((new InterviewButton(interview.Id, InterviewAction.RoundDate).Format(), "Set round date…"), (ask.Id, ask.Label));
        var stored = _f.Reload(interview);
        Assert.Equal((Outcome.NextRound, ProcessStage.NextRound, true), (stored.Outcome, stored.Stage, stored.IsOpen));
        Assert.Equal(NudgeState.Done, Current(check).State);
        Assert.Empty(_f.NudgesOf(interview, NudgeKind.PrepareRound));
        Assert.NotEqual(NudgeState.Pending, Current(followUp).State);
    }

    [Fact]
    public async Task NextRoundWithItsDatePlansThePreparationTheEveningBefore()
    {
        var interview = await _f.RecordAsync();
        _f.Clock.SetUtcNow(_f.Local("2026-12-08T11:00"));

        var text = ReplyText(await _f.Command("/interview outcome id:1 result:next-round next-round:2026-12-15T10:00"));

        Assert.Contains("Round 2: Tue 15 Dec 10:00 (your time).", text);
        Assert.Contains("Mon 14 Dec 18:00: prepare for your next round", text);
        var prepare = Assert.Single(Pending(interview, NudgeKind.PrepareRound));
        Assert.Equal(_f.Local("2026-12-14T18:00"), prepare.DueAt);
        Assert.Equal(prepare.DueAt, _f.Scheduler.Triggers[prepare.Id]);
        Assert.Empty(Pending(interview, NudgeKind.FollowUp));
        Assert.Empty(Pending(interview, NudgeKind.HoldOff));
        Assert.Equal(_f.Local("2026-12-15T10:00"), _f.Reload(interview).NextRoundAt);
    }

    [Fact]
    public async Task TheRoundDateFormAsksAgainOnABadTimeAndPlansOnAGoodOne()
    {
        var (interview, check) = await AtTheOutcomeCheckAsync();
        await _f.Press(new NudgeOutcomeButton(check.Id, Outcome.NextRound).Format());

        var form = FormOf(await _f.Press(new InterviewButton(interview.Id, InterviewAction.RoundDate).Format()));
        Assert.Equal(["next-round"], form.Fields.Select(f => f.Name));
        var before = _f.Store.Snapshot();

        var again = FormOf(await _f.Submit(form.Id, new() { ["next-round"] = "next tuesday" }));
        Assert.Equal("next tuesday", again.Fields[0].Value);
        Assert.Contains("Give both, in your time", again.Fields[0].Error);
        Assert.Equal(before, _f.Store.Snapshot());

        var text = ReplyText(await _f.Submit(form.Id, new() { ["next-round"] = "2026-12-22 09:30" }));
        Assert.Contains("Round 2: Tue 22 Dec 09:30", text);
        Assert.Equal(_f.Local("2026-12-21T18:00"), Assert.Single(Pending(interview, NudgeKind.PrepareRound)).DueAt);
    }

    [Fact]
    public async Task AMovedNextRoundMovesItsPreparationAndNeverDoublesIt()
    {
        var interview = await _f.RecordAsync();
        await _f.Command("/interview outcome id:1 result:next-round next-round:2026-12-15T10:00");
        var first = Assert.Single(Pending(interview, NudgeKind.PrepareRound));

        await _f.Command("/interview outcome id:1 result:next-round next-round:2026-12-17T14:00");

        Assert.Equal(NudgeState.Cancelled, Current(first).State);
        Assert.DoesNotContain(first.Id, _f.Scheduler.Triggers.Keys);
        Assert.Equal(_f.Local("2026-12-16T18:00"), Assert.Single(Pending(interview, NudgeKind.PrepareRound)).DueAt);
    }

    // The follow-ups are re-planned from a thank-you marked sent only while interviewing: a next round closed them.
    [Fact]
    public async Task AThankYouMarkedSentAfterANextRoundBringsNoFollowUpBack()
    {
        var interview = await _f.RecordAsync("/interview done company:Acme interviewers:Ana format:video decision-date:\"not said\" follow-up-invited:no references:none");
        var thankYou = _f.NudgesOf(interview, NudgeKind.ThankYou).Single();
        await _f.Command("/interview outcome result:next-round");
        _f.Clock.SetUtcNow(thankYou.DueAt);
        await _f.DeliverAsync(thankYou);

        await _f.Press(new NudgeButton(thankYou.Id, NudgeAction.Done).Format());

        Assert.Empty(Pending(interview, NudgeKind.FollowUp));
        Assert.Empty(Pending(interview, NudgeKind.OutcomeCheck));
    }

    [Fact]
    public async Task ALaterInterviewWithTheSameCompanyIsTheNextRoundOfItsApplication()
    {
        var first = await _f.RecordAsync();
        await _f.Command("/interview outcome id:1 result:next-round next-round:2026-12-15T10:00");
        var prepare = Assert.Single(Pending(first, NudgeKind.PrepareRound));
        _f.Clock.SetUtcNow(_f.Local("2026-12-15T11:30"));

        var saved = SavedText(await _f.Command("/interview done company:acme interviewers:\"Cleo Day\" format:onsite decision-date:2026-12-22 follow-up-invited:no references:none"));

        Assert.StartsWith("#2 acme saved as round 2 of your acme application (round 1 was #1 Acme, Fri 4 Dec 16:30)", saved);
        var second = _f.Store.Interviews.Single(i => i.Number == 2);
        Assert.Equal((first.Id, 2), (second.ProcessId, second.Round));
        Assert.Equal(NudgeState.Cancelled, Current(prepare).State);
        Assert.Contains(_f.NudgesOf(second), n => n.Kind == NudgeKind.ThankYou && n.Interviewer == "Cleo Day" && n.IsScheduled);

        var list = ReplyText(await _f.Command("/interview list"));
        Assert.Contains("#2 acme, round 2, interviewing: next,", list);
        Assert.DoesNotContain("#1 Acme", list);
    }

    [Fact]
    public async Task AnotherRoundWithoutANextRoundRecordedClosesTheFirstRoundsChasingButNotItsThanks()
    {
        var first = await _f.RecordAsync();
        var reminders = Pending(first, NudgeKind.ThankYouReminder);
        _f.Clock.SetUtcNow(_f.Local("2026-12-05T17:00")); // a day on: not a repeat of the same interview

        await _f.RecordAsync("/interview done company:Acme interviewers:Zoe format:video decision-date:2026-12-18 follow-up-invited:no references:none");

        var closed = _f.Reload(first);
        Assert.Equal(Outcome.NextRound, closed.Outcome);
        Assert.Empty(Pending(first, NudgeKind.FollowUp));
        Assert.Empty(Pending(first, NudgeKind.OutcomeCheck));
        Assert.Empty(Pending(first, NudgeKind.HoldOff));
        Assert.All(reminders, r => Assert.Equal(NudgeState.Pending, Current(r).State));
    }

    [Fact]
    public async Task ADifferentRoleAtTheSameCompanyIsAnApplicationOfItsOwn()
    {
        await _f.RecordAsync();
        _f.Clock.Advance(TimeSpan.FromDays(3));

        var second = await _f.RecordAsync("/interview done company:Acme role:\"Data Analyst\" interviewers:Zoe format:phone decision-date:2026-12-18 follow-up-invited:no references:none");

        Assert.Equal((second.Id, 1), (second.ProcessId, second.Round));
        Assert.Null(_f.Store.Interviews[0].Outcome);
    }

    [Fact]
    public async Task AnOutcomeGivenForAnEarlierRoundsNumberGoesToTheLatestRound()
    {
        await _f.RecordAsync();
        _f.Clock.Advance(TimeSpan.FromDays(3));
        var second = await _f.RecordAsync("/interview done company:Acme interviewers:Zoe format:video decision-date:2026-12-18 follow-up-invited:no references:none");

        var text = ReplyText(await _f.Command("/interview outcome id:1 result:rejected"));

        Assert.Contains("#2 Acme: rejection recorded.", text);
        Assert.Equal(Outcome.Rejected, _f.Reload(second).Outcome);
        Assert.Equal(Outcome.NextRound, _f.Store.Interviews[0].Outcome);
    }

    [Fact]
    public async Task ThePreparationBringsBackTheNotesOfEveryRound()
    {
        var first = await _f.RecordAsync(EngineFixture.FullCommand + " notes:\"They asked about Kafka and I froze\"");
        await _f.Command("/interview outcome id:1 result:next-round next-round:2026-12-15T10:00");
        var prepare = Assert.Single(Pending(first, NudgeKind.PrepareRound));
        var stored = _f.Reload(first);

        var message = _f.Composer.Compose(prepare, stored, late: false, NudgeContext.Of(NewYork, stored, _f.Store.Interviews));

        Assert.Contains("Your round 2 with Acme is on Tuesday 15 December at 10:00.", message.Text);
        Assert.Contains("\"They asked about Kafka and I froze\"", message.Text);
        Assert.Contains("caught you out", message.Text);
    }

    // ---- no reply

    [Fact]
    public async Task NoReplySaysTheFollowUpWasEnoughAndAsksAboutClosingThreeWeeksOn()
    {
        var (interview, check) = await AtTheOutcomeCheckAsync();

        var update = UpdateOf(await _f.Press(new NudgeOutcomeButton(check.Id, Outcome.NoReply).Format()));

        Assert.Contains("#1 Acme: no reply to your follow-up yet.", update.Text);
        Assert.Contains("right amount of contact", update.Text);
        var rest = Assert.Single(Pending(interview, NudgeKind.LetItRest));
        Assert.Equal(_f.Local("2027-01-06T10:00"), rest.DueAt);
        Assert.Contains($"{_f.Local("2027-01-06T10:00").ToOffset(TimeSpan.FromHours(-5)):ddd d MMM} 10:00: decide whether to close it", update.Text);
        Assert.Equal(ProcessStage.NoReply, _f.Reload(interview).Stage);
        Assert.True(_f.Reload(interview).IsOpen);
    }

    [Fact]
    public async Task CloseItOnLetItRestClosesTheApplicationWithoutReply()
    {
        var (interview, rest) = await AtLetItRestAsync();

        var update = UpdateOf(await _f.Press(new NudgeOutcomeButton(rest.Id, Outcome.ClosedNoReply).Format()));

        Assert.Contains("#1 Acme: closed without a reply.", update.Text);
        var closed = _f.Reload(interview);
        Assert.Equal((Outcome.ClosedNoReply, ProcessStage.ClosedNoReply, false), (closed.Outcome, closed.Stage, closed.IsOpen));
        Assert.Equal(NudgeState.Done, Current(rest).State);
        Assert.Contains("no open interviews", ReplyText(await _f.Command("/interview list")));
    }

    [Fact]
    public async Task KeepItOpenLeavesTheApplicationWaitingAndAsksNoMore()
    {
        var (interview, rest) = await AtLetItRestAsync();

        var update = UpdateOf(await _f.Press(new NudgeButton(rest.Id, NudgeAction.KeepOpen).Format()));

        Assert.Contains("Kept #1 Acme open", update.Text);
        Assert.Equal(NudgeState.Done, Current(rest).State);
        Assert.Equal(ProcessStage.NoReply, _f.Reload(interview).Stage);
        Assert.Empty(Pending(interview, NudgeKind.LetItRest));
    }

    [Fact]
    public async Task NewsAfterNoReplyCancelsTheQuestionAboutClosing()
    {
        var (interview, check) = await AtTheOutcomeCheckAsync();
        await _f.Press(new NudgeOutcomeButton(check.Id, Outcome.NoReply).Format());
        var rest = Assert.Single(Pending(interview, NudgeKind.LetItRest));

        await _f.Command("/interview outcome id:1 result:offer");

        Assert.Equal(NudgeState.Cancelled, Current(rest).State);
        Assert.Single(Pending(interview, NudgeKind.RecordOffer));
    }

    // ---- offer

    [Fact]
    public async Task AnOfferAsksForItsDeadlineAndTheDeadlinePlansItsReminderWithoutRepeatingTheOffersAdvice()
    {
        var interview = await _f.RecordAsync();
        _f.Clock.SetUtcNow(_f.Local("2026-12-10T09:30"));

        var answer = Assert.IsType<Reply>(Assert.Single(await _f.Command("/interview outcome id:1 result:offer"))).Message;

        Assert.Contains("By when do they need your answer?", answer.Text);
        var ask = Assert.Single(answer.Buttons);
        var recordOffer = Assert.Single(Pending(interview, NudgeKind.RecordOffer));
        await _f.DeliverAsync(recordOffer);

        var form = FormOf(await _f.Press(ask.Id));
        Assert.Equal(["deadline"], form.Fields.Select(f => f.Name));
        Assert.Contains("2026-12-01 has already passed", FormOf(await _f.Submit(form.Id, new() { ["deadline"] = "2026-12-01" })).Fields[0].Error);
        var text = ReplyText(await _f.Submit(form.Id, new() { ["deadline"] = "2026-12-18" }));

        Assert.Contains("They would like your answer by Fri 18 Dec 2026; I'll remind you the day before.", text);
        Assert.Equal(_f.Local("2026-12-17T10:00"), Assert.Single(Pending(interview, NudgeKind.OfferDeadline)).DueAt);
        Assert.Single(_f.NudgesOf(interview, NudgeKind.RecordOffer));
        Assert.Single(_f.NudgesOf(interview, NudgeKind.ThankReferences));
        Assert.Equal(new DateOnly(2026, 12, 18), _f.Reload(interview).OfferDeadline);
    }

    [Fact]
    public async Task TheOffersOwnAnswerDeadlineButtonOpensTheSameForm()
    {
        var interview = await _f.RecordAsync();
        await _f.Command("/interview outcome id:1 result:offer");
        var recordOffer = Assert.Single(Pending(interview, NudgeKind.RecordOffer));

        var form = FormOf(await _f.Press(new NudgeButton(recordOffer.Id, NudgeAction.SetDeadline).Format()));

        Assert.StartsWith("offer-deadline:", form.Id);
    }

    [Fact]
    public async Task AcceptingTheOfferClosesTheApplicationCancelsTheDeadlineReminderAndThanksTheReferencesOnceItEnded()
    {
        var (interview, deadline) = await AtTheOfferDeadlineAsync();
        var thanks = Assert.Single(Pending(interview, NudgeKind.ThankReferences));

        var update = UpdateOf(await _f.Press(new NudgeOutcomeButton(deadline.Id, Outcome.Accepted).Format()));

        Assert.Contains("#1 Acme: offer accepted. This application is closed.", update.Text);
        Assert.Contains("Congratulations on your new job at Acme!", update.Text);
        Assert.Equal((Outcome.Accepted, false), (_f.Reload(interview).Outcome, _f.Reload(interview).IsOpen));
        Assert.Equal(NudgeState.Done, Current(deadline).State);
        // Still one reference thanks: moved to an hour after the acceptance, so it can tell them how it ended.
        Assert.Equal(NudgeState.Cancelled, Current(thanks).State);
        Assert.Equal(deadline.DueAt.AddHours(1), Assert.Single(Pending(interview, NudgeKind.ThankReferences)).DueAt);
    }

    [Fact]
    public async Task DecliningFromTheDeadlineReminderIsWithdrawingWithThePoliteNote()
    {
        var (interview, deadline) = await AtTheOfferDeadlineAsync();

        var update = UpdateOf(await _f.Press(new NudgeButton(deadline.Id, NudgeAction.Declined).Format()));

        Assert.Equal(Outcome.Withdrawn, _f.Reload(interview).Outcome);
        Assert.Contains("thank them for their time", update.Text);
        Assert.Contains("You owe them no reasons.", update.Text);
    }

    [Fact]
    public async Task WithAnOfferOnTheTableOnlyItsAnswersAreTaken()
    {
        await _f.RecordAsync();
        await _f.Command("/interview outcome result:offer");
        var before = _f.Store.Snapshot();

        var text = ReplyText(await _f.Command("/interview outcome result:waiting"));

        Assert.Contains("has an offer on the table: record accepted, withdrawn (you declined it) or rejected", text);
        Assert.Equal(before, _f.Store.Snapshot());
    }

    [Fact]
    public async Task TheOfferNamesTheOtherOpenApplicationsWithALineOnTellingThem()
    {
        var acme = await _f.RecordAsync();
        await _f.RecordAsync(FullCommand.Replace("Acme", "Beta"));
        await _f.RecordAsync(FullCommand.Replace("Acme", "Gamma"));
        await _f.Command("/interview outcome id:2 result:rejected");
        await _f.Command("/interview outcome id:1 result:offer");
        var recordOffer = Assert.Single(Pending(acme, NudgeKind.RecordOffer));
        var stored = _f.Reload(acme);

        var text = _f.Composer.Compose(recordOffer, stored, late: false, NudgeContext.Of(NewYork, stored, _f.Store.Interviews)).Text;

        Assert.Contains("Still talking to Gamma? Tell them you have an offer and when you must answer", text);
        Assert.Contains("in writing", text);
        Assert.Contains("salary and the culture", text);
        Assert.Contains("ask what made them choose you", text, StringComparison.OrdinalIgnoreCase);
    }

    // ---- consolation, withdrawal

    [Fact]
    public async Task ARejectionIsConsoledOnceByTheFeedbackNudgeNotByTheAnswerToo()
    {
        var interview = await _f.RecordAsync();

        var answer = ReplyText(await _f.Command("/interview outcome result:rejected"));

        Assert.DoesNotContain("sorry", answer, StringComparison.OrdinalIgnoreCase);
        var feedback = Assert.Single(Pending(interview, NudgeKind.AskFeedback));
        var text = _f.Composer.Compose(feedback, _f.Reload(interview), late: false).Text;
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "sorry", System.Text.RegularExpressions.RegexOptions.IgnoreCase));
    }

    [Fact]
    public async Task WithdrawingAnswersWithANoteOnWithdrawingPolitely()
    {
        var interview = await _f.RecordAsync();

        var text = ReplyText(await _f.Command("/interview outcome result:withdrawn"));

        Assert.Contains("One short, polite note to Acme is enough: thank them for their time", text);
        Assert.Contains("say in one line", text);
        Assert.Contains("You owe them no reasons.", text);
        Assert.Single(Pending(interview, NudgeKind.ThankReferences));
    }

    // ---- activity

    [Fact]
    public async Task AButtonPressIsActivityForTheCoachesView()
    {
        var interview = await _f.RecordAsync();
        _f.Clock.Advance(TimeSpan.FromDays(10));
        var keepSearching = _f.NudgesOf(interview, NudgeKind.KeepSearching).Single();

        await _f.Press(new NudgeButton(keepSearching.Id, NudgeAction.Done).Format());

        Assert.Equal(_f.Clock.GetUtcNow(), _f.Member(_f.Ana).LastActiveAt);
    }

    // ---- list and show

    [Fact]
    public async Task ShowListsEveryNudgeStillToComeAlsoAfterARejection()
    {
        await _f.RecordAsync();
        await _f.Command("/interview outcome result:rejected");

        var text = ReplyText(await _f.Command("/interview show id:1"));

        Assert.StartsWith("#1 Acme (Backend Engineer), closed: rejected.", text);
        Assert.Contains("Still to come (your time, America/New_York):", text);
        Assert.Contains("• Fri 4 Dec 16:30: ask for feedback", text);
        Assert.Contains("• Fri 4 Dec 17:30: thank your references", text);

        var list = ReplyText(await _f.Command("/interview list"));
        Assert.Contains("Closed, with nudges still to come:", list);
        Assert.Contains("#1 Acme (Backend Engineer), closed: rejected: next, ask for feedback", list);
    }

    [Fact]
    public async Task ShowOfAnApplicationWithRoundsListsThemAndEachNudgesRound()
    {
        await _f.RecordAsync();
        _f.Clock.SetUtcNow(_f.Local("2026-12-05T17:00"));
        await _f.RecordAsync("/interview done company:Acme interviewers:Zoe format:video decision-date:2026-12-18 follow-up-invited:no references:none");

        var text = ReplyText(await _f.Command("/interview show id:2"));

        Assert.Contains("Rounds: 1. #1 Acme, onsite, Fri 4 Dec 16:30; 2. #2 Acme, video, Sat 5 Dec 17:00.", text);
        Assert.Contains("reminder to thank Ana Ruiz (round 1)", text);
        Assert.Contains("thank Zoe (round 2)", text);
        Assert.Equal(text, ReplyText(await _f.Command("/interview show id:1")));
    }

    [Fact]
    public async Task ShowWithoutAnIdAndSeveralOpenAsksWhichAndOfSomeoneElseFindsNothing()
    {
        await _f.RecordAsync();
        await _f.RecordAsync(FullCommand.Replace("Acme", "Beta"));

        Assert.Contains("Which interview do you want to show?", ReplyText(await _f.Command("/interview show")));
        Assert.Contains("You have no interview #1", ReplyText(await _f.Command("/interview show id:1", _f.Bob)));
    }
}
