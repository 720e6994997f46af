using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Planning;
using FollowUpBot.Core.Tests.Planning;
using FollowUpBot.Testing;
using static FollowUpBot.Core.Tests.Conversations.EngineFixture;

namespace FollowUpBot.Core.Tests.Conversations;

/// <summary>
/// Every change re-plans through the one mechanism, on the real engine: a new zone, a reminder marked done, a follow-up
/// made late, the holiday setting; each answer says what moved and what comes next. Friday 4 December 2026, New York.
/// </summary>
public sealed class ReplanningTests
{
    private readonly EngineFixture _f = new();

    private const string VideoWithAna = "/interview done company:\"Acme\" interviewers:\"Ana Ruiz\" format:video";

    private Nudge Current(Nudge nudge) => _f.Store.Nudges.Single(n => n.Id == nudge.Id);

    private IReadOnlyList<Nudge> Waiting(Interview interview) => _f.NudgesOf(interview).Where(n => n.IsScheduled).ToList();

    // Found 1: recorded at 16:30 in New York, then the zone changes to Kolkata: every pending nudge is re-planned in
    // Kolkata's wall-clock time, as if planned there, and the triggers follow.
    [Fact]
    public async Task AZoneChangeReplansEveryPendingNudgeInTheNewZonesWallClockTime()
    {
        var interview = await _f.RecordAsync(VideoWithAna);
        await _f.DeliverAsync(_f.NudgesOf(interview, NudgeKind.Debrief).Single());

        var answer = ReplyText(await _f.Command("/followup settings time-zone:Asia/Kolkata"));

        var kolkata = PlanningFixture.In("Asia/Kolkata");
        var expected = _f.Planner.PlanInterview(InterviewFacts.From(interview), kolkata).Where(n => n.Kind != NudgeKind.Debrief);
        Assert.Equal(expected.Select(p => (p.Kind, p.DueAt)), Waiting(interview).Select(n => (n.Kind, n.DueAt)));
        Assert.All(Waiting(interview), n => Assert.Equal(n.DueAt, _f.Scheduler.Triggers[n.Id]));
        var thankYou = _f.NudgesOf(interview, NudgeKind.ThankYou).Single();
        Assert.Equal("2026-12-05T18:00+05:30", PlanningFixture.Local(TimeZoneInfo.ConvertTime(thankYou.DueAt, kolkata.Zone)));
        Assert.Contains("• thank Ana Ruiz: Sat 5 Dec 04:30 → Sat 5 Dec 18:00", answer);
        Assert.EndsWith("Next: thank Ana Ruiz, Sat 5 Dec 18:00 (your time, Asia/Kolkata).", answer);

        // Worded for when it lands there: Saturday evening, so it waits for Monday, not "tonight".
        var text = _f.Composer.Compose(thankYou, interview, late: false, new DeliveryMoment(thankYou.DueAt, kolkata)).Text;
        Assert.Contains("until Monday", text);
        var reminder = _f.NudgesOf(interview, NudgeKind.ThankYouReminder).Single();
        Assert.Contains("This morning", _f.Composer.Compose(reminder, interview, late: false, new DeliveryMoment(reminder.DueAt, kolkata)).Text);
    }

    [Fact]
    public async Task SettingTheSameZoneAgainMovesNothingAndStillSaysWhatIsNext()
    {
        var interview = await _f.RecordAsync(VideoWithAna);
        await _f.DeliverAsync(_f.NudgesOf(interview, NudgeKind.Debrief).Single());
        var before = Waiting(interview);

        var answer = ReplyText(await _f.Command("/followup settings time-zone:America/New_York"));

        Assert.Equal(before, Waiting(interview));
        Assert.Contains("Nudges already planned keep their times.", answer);
        Assert.EndsWith("Next: thank Ana Ruiz, Fri 4 Dec 18:00 (your time, America/New_York).", answer);
    }

    // Found 2: Done on the reminder is Done on its thank-you: the follow-up counts from that moment, and coaches
    // do not see the thank-you as overdue.
    [Fact]
    public async Task DoneOnAThankYouReminderMarksItsThankYouSentAndReplansTheFollowUpFromThen()
    {
        var interview = await _f.RecordAsync(VideoWithAna);
        var thankYou = _f.NudgesOf(interview, NudgeKind.ThankYou).Single();
        var reminder = _f.NudgesOf(interview, NudgeKind.ThankYouReminder).Single();
        var followUp = _f.NudgesOf(interview, NudgeKind.FollowUp).Single(); // Fri 11 Dec, a week after Friday evening
        _f.Clock.SetUtcNow(thankYou.DueAt);
        await _f.DeliverAsync(thankYou);
        _f.Clock.SetUtcNow(_f.Local("2026-12-06T11:00")); // the reminder, snoozed a day, came back on Sunday
        await _f.DeliverAsync(reminder);

        var update = UpdateOf(await _f.Press(new NudgeButton(reminder.Id, NudgeAction.Done).Format()));

        Assert.Equal((NudgeState.Done, _f.Clock.GetUtcNow()), (Current(thankYou).State, Current(thankYou).MarkedAt));
        Assert.Equal(NudgeState.Done, Current(reminder).State);
        Assert.Equal(_f.Local("2026-12-14T09:00"), Current(followUp).DueAt); // Sunday + 7 days, on the next business morning
        Assert.Equal(Current(followUp).DueAt, _f.Scheduler.Triggers[followUp.Id]);
        Assert.Contains("Done: your thank-you to Ana Ruiz counts as sent. All thank-yous are sent, so your follow-up is now planned for Mon 14 Dec 09:00.", update.Text);
        Assert.Contains("Next: ", update.Text);

        var activity = new CohortMemberActivity(new CohortMembership(1, interview.MemberId, CohortVisibility.StatusOnly, "Ana", _f.Local("2026-12-01T09:00")),
            _f.Member(_f.Ana), [interview], _f.NudgesOf(interview));
        Assert.Equal(0, CohortStatus.Row(activity, CohortVisibility.StatusOnly, _f.Clock.GetUtcNow(), NewYork).ThankYousOverdue);
    }

    [Fact]
    public async Task SkipOnAThankYouReminderClosesItsThankYouUnsent()
    {
        var interview = await _f.RecordAsync(VideoWithAna);
        var thankYou = _f.NudgesOf(interview, NudgeKind.ThankYou).Single();
        var reminder = _f.NudgesOf(interview, NudgeKind.ThankYouReminder).Single();
        _f.Clock.SetUtcNow(reminder.DueAt);
        await _f.DeliverAsync(thankYou);
        await _f.DeliverAsync(reminder);

        var update = UpdateOf(await _f.Press(new NudgeButton(reminder.Id, NudgeAction.Skip).Format()));

        Assert.Equal((NudgeState.Skipped, _f.Clock.GetUtcNow()), (Current(thankYou).State, Current(thankYou).MarkedAt));
        Assert.Contains("\n\nSkipped.", update.Text);
        // Nothing was sent, so the follow-up keeps its time (a week after the thank-you as planned).
        Assert.Equal(_f.Local("2026-12-11T10:00"), _f.NudgesOf(interview, NudgeKind.FollowUp).Single().DueAt);
    }

    // Found 3: a follow-up marked done late (Saturday 18:00) moves the weekly series: the next check-in counts from it.
    [Fact]
    public async Task AFollowUpMarkedDoneLateMovesTheNextWeeklyCheckIn()
    {
        var interview = await _f.RecordAsync(FullCommand.Replace("follow-up-invited:no", "follow-up-invited:yes"));
        var first = _f.NudgesOf(interview, NudgeKind.FollowUp).Single(n => n.Sequence == 1); // Wed 9 Dec 10:00
        _f.Clock.SetUtcNow(first.DueAt);
        await _f.DeliverAsync(first);
        _f.Clock.SetUtcNow(_f.Local("2026-12-12T18:00"));

        var update = UpdateOf(await _f.Press(new NudgeButton(first.Id, NudgeAction.Done).Format()));

        var second = _f.NudgesOf(interview, NudgeKind.FollowUp).Single(n => n.Sequence == 2);
        Assert.Equal(_f.Local("2026-12-21T09:00"), second.DueAt); // Saturday + 7 is a Saturday: Monday morning
        Assert.Equal(second.DueAt, _f.Scheduler.Triggers[second.Id]);
        Assert.Contains("• follow up with the employer (weekly, 2 of 5): Wed 16 Dec 10:00 → Mon 21 Dec 09:00", update.Text);
        Assert.Equal((NudgeState.Done, _f.Clock.GetUtcNow()), (Current(first).State, Current(first).MarkedAt));
    }

    // Found 7: the member's holiday country (or none), refused politely when unknown.
    [Fact]
    public async Task TheHolidaySettingReplansTheFollowUpOffThatCountrysHolidays()
    {
        _f.Clock.SetUtcNow(_f.Local("2026-12-18T16:30"));
        var interview = await _f.RecordAsync("/interview done company:Acme interviewers:Ana format:video decision-date:2026-12-24");
        var followUp = _f.NudgesOf(interview, NudgeKind.FollowUp).Single();
        Assert.Equal(_f.Local("2026-12-25T10:00"), followUp.DueAt); // Christmas, while no holidays are known

        var answer = ReplyText(await _f.Command("/followup settings holidays:us"));

        Assert.Equal("US", _f.Member(_f.Ana).HolidayCountry);
        Assert.Contains("public holidays of US (set by you; no follow-ups on those days)", answer);
        Assert.Equal(_f.Local("2026-12-28T10:00"), Current(followUp).DueAt);
        Assert.Contains("• follow up with the employer: Fri 25 Dec 10:00 → Mon 28 Dec 10:00", answer);

        ReplyText(await _f.Command("/followup settings holidays:none"));
        Assert.Equal((Member.NoHolidays, _f.Local("2026-12-25T10:00")), (_f.Member(_f.Ana).HolidayCountry, Current(followUp).DueAt));
    }

    [Theory]
    [InlineData("XX")]
    [InlineData("Germany")]
    [InlineData("PO")]
    public async Task AnUnknownHolidayCountryIsRefusedPolitelyAndChangesNothing(string code)
    {
        await _f.RecordAsync();
        var before = _f.Store.Snapshot();
        var member = _f.Member(_f.Ana);

        var answer = ReplyText(await _f.Command($"/followup settings holidays:{code} time-zone:Europe/Berlin"));

        Assert.Contains($"I don't know the public holidays of \"{code}\"", answer);
        Assert.Contains("GB", answer);
        Assert.EndsWith("or none. Nothing changed.", answer);
        Assert.Equal(before, _f.Store.Snapshot());
        Assert.Equal(member with { LastActiveAt = _f.Member(_f.Ana).LastActiveAt }, _f.Member(_f.Ana));
    }

    [Fact]
    public async Task TheCommunityHolidayCountryAppliesUntilTheMemberChoosesTheirOwn()
    {
        var f = new EngineFixture(holidayCountry: "US");
        f.Clock.SetUtcNow(f.Local("2026-12-18T16:30"));
        var interview = await f.RecordAsync("/interview done company:Acme interviewers:Ana format:video decision-date:2026-12-24");

        Assert.Equal(f.Local("2026-12-28T10:00"), f.NudgesOf(interview, NudgeKind.FollowUp).Single().DueAt);
        Assert.Contains("public holidays of US (the community's default", ReplyText(await f.Command("/followup settings")));
        Assert.Null(f.Member(f.Ana).HolidayCountry);
    }

    // Found 8: across open interviews too, no two nudges of different kinds within two hours.
    [Fact]
    public async Task TwoInterviewsOfOneMemberKeepTheirNudgesTwoHoursApart()
    {
        var first = await _f.RecordAsync("/interview done company:Acme interviewers:\"Ana Ruiz, Ben Ode\" format:onsite references:\"Kim Lee\"");
        _f.Clock.SetUtcNow(_f.Local("2026-12-04T17:15"));
        var second = await _f.RecordAsync("/interview done company:Globex interviewers:\"Cy Park\" format:video decision-date:2026-12-08 ended:\"16:45\"");

        var waiting = Waiting(first).Concat(Waiting(second)).Where(n => n.Kind != NudgeKind.Debrief).ToList();
        foreach (var a in waiting)
            foreach (var b in waiting.Where(b => b.Id != a.Id && (b.Kind != a.Kind || b.InterviewId != a.InterviewId)))
                Assert.True((a.DueAt - b.DueAt).Duration() >= TimeSpan.FromHours(2),
                    $"{a.Kind} of #{a.InterviewId} {a.DueAt:ddd HH:mm} and {b.Kind} of #{b.InterviewId} {b.DueAt:ddd HH:mm}");
        // The two thank-yous of the first interview still come together, that evening.
        Assert.Single(_f.NudgesOf(first, NudgeKind.ThankYou).Select(n => n.DueAt).Distinct());
    }

    // The other half's rounds: a round the process moved past keeps its stage's nudges closed through any re-plan.
    [Fact]
    public async Task AReplanOfAnEarlierRoundDoesNotBringBackItsPreparationOnceTheNextRoundIsRecorded()
    {
        var first = await _f.RecordAsync(VideoWithAna);
        await _f.Command("/interview outcome id:1 result:next-round next-round:2026-12-15T10:00");
        Assert.Single(Waiting(first), n => n.Kind == NudgeKind.PrepareRound);
        _f.Clock.SetUtcNow(_f.Local("2026-12-08T15:00")); // the next round came earlier than said
        var second = await _f.RecordAsync("/interview done company:\"Acme\" interviewers:\"Cy Park\" format:onsite");
        Assert.Equal(2, second.Round);
        Assert.DoesNotContain(Waiting(first), n => n.Kind == NudgeKind.PrepareRound);

        await _f.Command("/followup settings time-zone:Europe/London");

        Assert.DoesNotContain(Waiting(_f.Reload(first)), n => n.Kind == NudgeKind.PrepareRound);
        Assert.NotEmpty(Waiting(second));
    }
}
