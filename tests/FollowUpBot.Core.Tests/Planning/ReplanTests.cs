using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Planning;
using static FollowUpBot.Core.Tests.Planning.PlanningFixture;

namespace FollowUpBot.Core.Tests.Planning;

/// <summary>
/// The one re-plan, on the real planner and the shipped playbook: what should be pending "as if planned now with what
/// we know". Dates: 2026-12-04 is a Friday; New York is UTC-5 in December.
/// </summary>
public class ReplanTests
{
    private static Nudge Row(long id, NudgeKind kind, string due, NudgeState state, string? interviewer = null, int sequence = 0,
        string? sentAt = null, string? markedAt = null, string zone = "America/New_York") =>
        new(id, 1, 1, kind, At(due, zone), interviewer, sequence, state,
            Deliveries: sentAt is null ? 0 : 1, SentAt: sentAt is null ? null : At(sentAt, zone),
            MarkedAt: markedAt is null ? null : At(markedAt, zone));

    private static Interview InterviewOf(InterviewFacts facts, int followUpsLogged = 0, string? lastFollowUpAt = null) =>
        new(1, 1, 1, "Acme", null, facts.Interviewers, facts.Format, facts.EndedAt, facts.DecisionDate, facts.FollowUpInvited,
            facts.References, null, facts.EndedAt, FollowUpsLogged: followUpsLogged,
            LastFollowUpAt: lastFollowUpAt is null ? null : At(lastFollowUpAt));

    // Found 1: a new zone re-plans in that zone's wall-clock time, as if planned there.
    [Fact]
    public void AReplanInANewZoneIsThePlanMadeThere()
    {
        var facts = Facts("2026-12-04T16:30"); // 16:30 New York is 03:00 on Saturday in Kolkata
        var kolkata = In("Asia/Kolkata");

        var replanned = Planner.Replan(facts, InterviewHistory.None, kolkata, At("2026-12-04T16:35"), []).Planned;

        var fresh = Planner.PlanInterview(facts, kolkata).Where(n => n.DueAt >= At("2026-12-04T16:35")).ToList();
        Assert.Equal(fresh, replanned.Where(n => n.Kind != NudgeKind.Debrief));
        Assert.Equal("2026-12-05T18:00+05:30", replanned.Single(NudgeKind.ThankYou));
        Assert.Equal("2026-12-06T09:00+05:30", replanned.Single(NudgeKind.ThankYouReminder));
    }

    // Found 2: once every thank-you is marked sent (on it or its reminder), the follow-up counts from the last one.
    [Fact]
    public void TheFollowUpCountsFromTheLastThankYouMarkedSent()
    {
        var facts = Facts("2026-12-04T16:30", interviewers: ["Ana Ruiz", "Ben Ode"]);
        var rows = new[]
        {
            Row(1, NudgeKind.ThankYou, "2026-12-04T18:00", NudgeState.Done, "Ana Ruiz", sentAt: "2026-12-04T18:00", markedAt: "2026-12-04T18:10"),
            Row(2, NudgeKind.ThankYou, "2026-12-04T18:00", NudgeState.Sent, "Ben Ode", sentAt: "2026-12-04T18:00"),
        };
        var halfway = Planner.Replan(facts, InterviewHistory.From(InterviewOf(facts), rows), NewYork, At("2026-12-05T10:00"), []).Planned;
        // Ben's is not marked yet: assume it goes out on time, a week after Friday's thank-yous.
        Assert.Equal("2026-12-11T10:00-05:00", halfway.Single(NudgeKind.FollowUp));
        Assert.Equal(["Ben Ode"], halfway.Where(n => n.Kind == NudgeKind.ThankYouReminder).Select(n => n.Interviewer));

        rows[1] = rows[1] with { State = NudgeState.Done, MarkedAt = At("2026-12-07T09:15") };
        var after = Planner.Replan(facts, InterviewHistory.From(InterviewOf(facts), rows), NewYork, At("2026-12-07T09:15"), []).Planned;
        Assert.Equal("2026-12-14T10:00-05:00", after.Single(NudgeKind.FollowUp));
        Assert.Empty(after.Times(NudgeKind.ThankYou));
        Assert.Empty(after.Times(NudgeKind.ThankYouReminder));
    }

    // Found 3: logged on Saturday 18:00, the next weekly check-in is a week from then, not Monday.
    [Fact]
    public void EachWeeklyCheckInCountsFromThePreviousOneActuallyMade()
    {
        var facts = Facts("2026-12-04T16:30", decisionDate: "2026-12-08", followUpInvited: true);
        var rows = new[] { Row(1, NudgeKind.FollowUp, "2026-12-09T10:00", NudgeState.Done, sequence: 1, sentAt: "2026-12-09T10:00", markedAt: "2026-12-12T18:00") };
        var interview = InterviewOf(facts, followUpsLogged: 1, lastFollowUpAt: "2026-12-12T18:00");

        var plan = Planner.Replan(facts, InterviewHistory.From(interview, rows), NewYork, At("2026-12-12T18:00"), []).Planned;

        var weekly = plan.Where(n => n.Kind == NudgeKind.FollowUp).ToList();
        Assert.Equal([2, 3, 4, 5], weekly.Select(n => n.Sequence));
        // Saturday + 7 days is a Saturday: the next business morning.
        Assert.Equal(["2026-12-21T09:00-05:00", "2026-12-28T09:00-05:00", "2027-01-04T09:00-05:00", "2027-01-11T09:00-05:00"],
            weekly.Select(n => Local(n.DueAt)));
    }

    [Fact]
    public void AFollowUpDeliveredButNotLoggedStillCountsAsMadeWhenItWentOut()
    {
        var facts = Facts("2026-12-04T16:30", decisionDate: "2026-12-08", followUpInvited: true);
        var rows = new[] { Row(1, NudgeKind.FollowUp, "2026-12-09T10:00", NudgeState.Sent, sequence: 1, sentAt: "2026-12-10T14:00") };

        var plan = Planner.Replan(facts, InterviewHistory.From(InterviewOf(facts), rows), NewYork, At("2026-12-10T14:05"), []).Planned;

        Assert.Equal("2026-12-17T10:00-05:00", Local(plan.First(n => n.Kind == NudgeKind.FollowUp).DueAt));
        Assert.DoesNotContain(plan, n => n.Kind == NudgeKind.FollowUp && n.Sequence == 1);
    }

    [Fact]
    public void WithoutAnInvitationOneFollowUpMadeEndsTheFollowUps()
    {
        var facts = Facts("2026-12-04T16:30");
        var plan = Planner.Replan(facts, InterviewHistory.From(InterviewOf(facts, 1, "2026-12-10T12:00"), []), NewYork, At("2026-12-10T12:00"), []).Planned;

        Assert.Empty(plan.Times(NudgeKind.FollowUp));
    }

    // Found 4: what is too late is listed by name; a thank-you up to three days late is still planned (now).
    [Fact]
    public void ALateRecordingListsWhatIsTooLateAndStillPlansAThankYouUpToThreeDaysLate()
    {
        var facts = Facts("2026-12-02T16:30", interviewers: ["Ana Ruiz"]);
        var now = At("2026-12-04T16:30");

        var plan = Planner.Replan(facts, InterviewHistory.None, NewYork, now, []);

        Assert.Equal([NudgeKind.Debrief, NudgeKind.ThankYouReminder], plan.TooLate.Select(n => n.Kind).Order());
        Assert.Equal(Local(now), plan.Planned.Single(NudgeKind.ThankYou));
        Assert.DoesNotContain(plan.Planned, n => n.DueAt < now);

        var tooLate = Planner.Replan(facts, InterviewHistory.None, NewYork, At("2026-12-05T18:01"), []);
        Assert.Contains(tooLate.TooLate, n => n.Kind == NudgeKind.ThankYou);
        Assert.Empty(tooLate.Planned.Times(NudgeKind.ThankYou));
    }

    [Fact]
    public void NothingThatAlreadyHappenedIsPlannedAgain()
    {
        var facts = Facts("2026-12-04T16:30");
        var rows = new[]
        {
            Row(1, NudgeKind.Debrief, "2026-12-04T16:30", NudgeState.Sent, sentAt: "2026-12-04T16:30"),
            Row(2, NudgeKind.HoldOff, "2026-12-06T12:00", NudgeState.Skipped, markedAt: "2026-12-06T12:05"),
            // Skipped by the deliverer as too late: it never reached the member, so a re-plan may still bring it.
            Row(3, NudgeKind.KeepSearching, "2026-12-08T10:00", NudgeState.Skipped),
        };

        var plan = Planner.Replan(facts, InterviewHistory.From(InterviewOf(facts), rows), NewYork, At("2026-12-07T10:00"), []).Planned;

        Assert.Empty(plan.Times(NudgeKind.Debrief));
        Assert.Empty(plan.Times(NudgeKind.HoldOff));
        Assert.Equal("2026-12-08T10:00-05:00", plan.Single(NudgeKind.KeepSearching));
    }

    // Found 5: a hold-off on or after the decision date would be untrue.
    [Theory]
    [InlineData("2026-12-09T22:45", "Europe/London", "2026-12-10", false)] // the example: hold-off would be Fri 11th
    [InlineData("2026-12-04T16:30", "America/New_York", "2026-12-06", false)] // Sunday 12:00 is the decision day itself
    [InlineData("2026-12-04T16:30", "America/New_York", "2026-12-07", true)]
    [InlineData("2026-12-04T16:30", "America/New_York", null, true)]
    public void HoldOffIsNeverPlannedOnOrAfterTheDecisionDate(string ended, string zone, string? decision, bool planned)
    {
        var plan = Planner.PlanInterview(Facts(ended, zone, decisionDate: decision), In(zone));

        Assert.Equal(planned, plan.Any(n => n.Kind == NudgeKind.HoldOff));
    }

    // Found 6: employer-facing steps no later than an hour before business hours end (16:00 with 09:00-17:00).
    [Fact]
    public void TheFollowUpFallsNoLaterThanAnHourBeforeBusinessHoursEnd()
    {
        // The example: the three-day floor is Thursday 16:59, past 16:00, so Friday 09:00.
        var plan = Planner.PlanInterview(Facts("2026-12-07T16:59", format: InterviewFormat.Phone, interviewers: ["A"], decisionDate: "2026-12-08"), NewYork);

        Assert.Equal("2026-12-11T09:00-05:00", plan.Single(NudgeKind.FollowUp));
        Assert.All(Enumerable.Range(0, 8 * 60).Select(m => At("2026-12-08T09:00").AddMinutes(m)), at =>
        {
            var allowed = ZonedClockTime(Planner.NextAllowedTime(NudgeKind.FollowUp, at, NewYork));
            Assert.InRange(allowed, new TimeOnly(9, 0), new TimeOnly(16, 0));
        });
    }

    // Found 7: public holidays are not business days for the follow-up; the debrief and thank-yous do not care.
    [Theory]
    [InlineData("2026-12-24", "2026-12-28T10:00-05:00")] // Christmas (Friday) is a US holiday, then the weekend
    [InlineData("2026-12-31", "2027-01-04T10:00-05:00")] // New Year's Day (Friday), then the weekend
    public void PublicHolidaysAreNotBusinessDays(string decision, string expected)
    {
        var facts = Facts("2026-12-18T16:30", decisionDate: decision);
        var us = NewYork with { Holidays = HolidayCalendar.For("US") };

        var with = Planner.PlanInterview(facts, us);
        var without = Planner.PlanInterview(facts, NewYork);

        Assert.Equal(expected, with.Single(NudgeKind.FollowUp));
        Assert.NotEqual(expected, without.Single(NudgeKind.FollowUp));
        Assert.Equal(without.Where(n => n.Kind is NudgeKind.Debrief or NudgeKind.ThankYou), with.Where(n => n.Kind is NudgeKind.Debrief or NudgeKind.ThankYou));
    }

    [Fact]
    public void ThankYousOnAHolidayKeepTheirEvening()
    {
        var facts = Facts("2026-12-25T11:00", "Europe/London");
        var gb = In("Europe/London") with { Holidays = HolidayCalendar.For("GB") };

        Assert.Equal("2026-12-25T18:00+00:00", Planner.PlanInterview(facts, gb).Single(NudgeKind.ThankYou));
    }

    // Found 8: no two nudges of different kinds within two hours; the thank-yous of one interview may come together.
    [Theory]
    [InlineData("2026-12-03T16:30", "America/New_York", "onsite", "2026-12-04", false)] // keep_searching and follow_up were both Mon 10:00
    [InlineData("2026-12-04T16:30", "America/New_York", "onsite", "2026-12-08", true)]
    [InlineData("2026-12-04T09:00", "Europe/Berlin", "video", null, true)]
    [InlineData("2026-12-05T22:45", "Asia/Kolkata", "phone", "2026-12-07", false)]
    [InlineData("2026-03-27T16:30", "Europe/Berlin", "onsite", null, true)]
    [InlineData("2026-11-01T01:30", "America/New_York", "video", "2026-11-03", false)]
    public void NoTwoNudgesOfDifferentKindsComeWithinTwoHours(string ended, string zone, string format, string? decision, bool invited)
    {
        var facts = Facts(ended, zone, Enum.Parse<InterviewFormat>(format, true), ["Ana Ruiz", "Ben Ode"], decision, invited, ["Kim Lee"]);

        var plan = Planner.PlanInterview(facts, In(zone)).Where(n => n.Kind != NudgeKind.Debrief).ToList();

        foreach (var a in plan)
            foreach (var b in plan.Where(b => b != a && b.Kind != a.Kind))
                Assert.True((a.DueAt - b.DueAt).Duration() >= TimeSpan.FromHours(2), $"{a.Kind} {Local(a.DueAt)} and {b.Kind} {Local(b.DueAt)}");
        Assert.Single(plan.Where(n => n.Kind == NudgeKind.ThankYou).Select(n => n.DueAt).Distinct());
    }

    [Fact]
    public void ANewPlanKeepsItsDistanceFromTheMembersOtherInterviews()
    {
        var facts = Facts("2026-12-04T16:30", interviewers: ["Ana Ruiz"]);
        var busy = new[] { new BusySlot(NudgeKind.FollowUp, At("2026-12-04T17:30"), SameInterview: false) };

        var plan = Planner.Replan(facts, InterviewHistory.None, NewYork, At("2026-12-04T16:30"), busy).Planned;

        // 18:00 is half an hour from the other interview's follow-up: 19:30, still this evening.
        Assert.Equal("2026-12-04T19:30-05:00", plan.Single(NudgeKind.ThankYou));
        // The reminder keeps its three hours behind the moved thank-you (and the next morning is later anyway).
        Assert.Equal("2026-12-05T09:00-05:00", plan.Single(NudgeKind.ThankYouReminder));
    }

    [Fact]
    public void TheDiffMovesWaitingNudgesCancelsWhatIsNoLongerPlannedAndAddsTheRest()
    {
        var planned = new[]
        {
            new PlannedNudge(NudgeKind.ThankYou, At("2026-12-05T18:00"), "Ana Ruiz"),
            new PlannedNudge(NudgeKind.ThankYou, At("2026-12-05T18:00"), "Cy Park"),
            new PlannedNudge(NudgeKind.KeepSearching, At("2026-12-08T10:00")),
        };
        var rows = new[]
        {
            Row(1, NudgeKind.ThankYou, "2026-12-04T18:00", NudgeState.Pending, "Ana Ruiz"),
            Row(2, NudgeKind.ThankYou, "2026-12-04T18:00", NudgeState.Pending, "Ben Ode"),
            // Snoozed until later than the plan: the member's snooze wins.
            Row(3, NudgeKind.KeepSearching, "2026-12-09T10:00", NudgeState.Snoozed),
            Row(4, NudgeKind.Debrief, "2026-12-04T16:30", NudgeState.Sent, sentAt: "2026-12-04T16:30"),
        };

        var diff = Planner.Diff(planned, rows, NewYork, At("2026-12-04T17:00"));

        Assert.Equal([(1L, At("2026-12-05T18:00"))], diff.Move.Select(m => (m.Nudge.Id, m.To)));
        Assert.Equal([2L], diff.Cancel.Select(n => n.Id));
        Assert.Equal(["Cy Park"], diff.Add.Select(n => n.Interviewer));
    }

    private static TimeOnly ZonedClockTime(DateTimeOffset instant) =>
        TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById("America/New_York")).DateTime);
}
