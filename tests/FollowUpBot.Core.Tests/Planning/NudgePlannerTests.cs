using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Planning;
using FollowUpBot.Core.Playbooks;
using static FollowUpBot.Core.Tests.Planning.PlanningFixture;

namespace FollowUpBot.Core.Tests.Planning;

/// <summary>
/// The planner against the shipped playbook. Dates: 2026-12-04 is a Friday; New York is UTC-5 in December.
/// Each rule's test names its docs/advice.md rule and the seed articles behind it.
/// </summary>
public class NudgePlannerTests
{
    // R1, 001 §3, 004 §4: the debrief goes out the moment the interview ends.
    [Fact]
    public void DebriefIsDueTheMomentTheInterviewEnds()
    {
        var plan = Planner.PlanInterview(Facts("2026-12-04T16:30"), NewYork);

        Assert.Equal("2026-12-04T16:30-05:00", plan.Single(NudgeKind.Debrief));
        Assert.Equal(NudgeKind.Debrief, plan[0].Kind);
    }

    // R1: the member is at the keyboard, so quiet hours do not hold the debrief back.
    [Fact]
    public void DebriefIgnoresQuietHours()
    {
        var plan = Planner.PlanInterview(Facts("2026-12-04T22:15"), NewYork);

        Assert.Equal("2026-12-04T22:15-05:00", plan.Single(NudgeKind.Debrief));
    }

    // R2, 003 ("the same evening"), 000 §2, 002: one thank-you per interviewer, due the same evening.
    [Fact]
    public void ThankYouIsDueTheSameEveningForEachInterviewer()
    {
        var plan = Planner.PlanInterview(Facts("2026-12-04T16:30", interviewers: ["Ana Ruiz", "Ben Ode"]), NewYork);

        var thanks = plan.Where(n => n.Kind == NudgeKind.ThankYou).ToList();
        Assert.Equal(["Ana Ruiz", "Ben Ode"], thanks.Select(n => n.Interviewer));
        Assert.All(thanks, n => Assert.Equal("2026-12-04T18:00-05:00", Local(n.DueAt)));
    }

    // R2, 003: an interview ending after 17:00 gets its thank-you nudge an hour after it ended.
    [Fact]
    public void ThankYouAfterALateAfternoonInterviewComesAnHourLater()
    {
        var plan = Planner.PlanInterview(Facts("2026-12-04T17:40"), NewYork);

        Assert.Equal("2026-12-04T18:40-05:00", plan.Single(NudgeKind.ThankYou));
    }

    // R2, 000 §2, 002 ("the day after" at the latest): a reminder the next morning.
    [Fact]
    public void ThankYouReminderComesTheNextMorning()
    {
        var plan = Planner.PlanInterview(Facts("2026-12-04T16:30", interviewers: ["Ana Ruiz", "Ben Ode"]), NewYork);

        var reminders = plan.Where(n => n.Kind == NudgeKind.ThankYouReminder).ToList();
        Assert.Equal(["Ana Ruiz", "Ben Ode"], reminders.Select(n => n.Interviewer));
        Assert.All(reminders, n => Assert.Equal("2026-12-05T09:00-05:00", Local(n.DueAt)));
    }

    // R2 + quiet hours: 20:30 + 1 h falls in quiet hours (21:00-08:00), so the thank-you waits for the
    // morning, and its reminder keeps three hours' distance.
    [Fact]
    public void InterviewEndingAt2030GetsItsThankYouNextMorning()
    {
        var plan = Planner.PlanInterview(Facts("2026-12-04T20:30"), NewYork);

        Assert.Equal("2026-12-04T20:30-05:00", plan.Single(NudgeKind.Debrief));
        Assert.Equal("2026-12-05T08:00-05:00", plan.Single(NudgeKind.ThankYou));
        Assert.Equal("2026-12-05T11:00-05:00", plan.Single(NudgeKind.ThankYouReminder));
    }

    [Fact]
    public void InterviewEndingAt2215GetsItsThankYouNextMorning()
    {
        var plan = Planner.PlanInterview(Facts("2026-12-04T22:15"), NewYork);

        Assert.Equal("2026-12-05T08:00-05:00", plan.Single(NudgeKind.ThankYou));
        Assert.Equal("2026-12-05T11:00-05:00", plan.Single(NudgeKind.ThankYouReminder));
        // The one-week rule counts from that morning's thank-you: Saturday 12-12 10:00 moves to Monday.
        Assert.Equal("2026-12-14T09:00-05:00", plan.Single(NudgeKind.FollowUp));
    }

    // Quiet hours are the member's: with 22:00-07:00, 21:30 is fine and nothing moves.
    [Fact]
    public void MemberQuietHoursReplaceTheDefault()
    {
        var context = In("America/New_York", new QuietHours(new TimeOnly(22, 0), new TimeOnly(7, 0)));

        var plan = Planner.PlanInterview(Facts("2026-12-04T20:30"), context);

        Assert.Equal("2026-12-04T21:30-05:00", plan.Single(NudgeKind.ThankYou));
    }

    // Quiet hours that do not wrap midnight (a lunch break) move a noon nudge to their end.
    [Fact]
    public void QuietHoursWithinADayMoveANudgeToTheirEnd()
    {
        var context = In("America/New_York", new QuietHours(new TimeOnly(11, 30), new TimeOnly(13, 15)));

        var plan = Planner.PlanInterview(Facts("2026-12-04T16:30"), context);

        Assert.Equal("2026-12-06T13:15-05:00", plan.Single(NudgeKind.HoldOff));
    }

    // R2, 004 §10: a card by post only after meeting in person.
    [Theory]
    [InlineData(InterviewFormat.Onsite, true)]
    [InlineData(InterviewFormat.Video, false)]
    [InlineData(InterviewFormat.Phone, false)]
    public void MailCardOnlyAfterAnOnsiteInterview(InterviewFormat format, bool expected)
    {
        var plan = Planner.PlanInterview(Facts("2026-12-04T16:30", format: format), NewYork);

        Assert.Equal(expected ? ["2026-12-05T09:00-05:00"] : [], plan.Times(NudgeKind.MailCard));
    }

    // R5, 001 §5: brief the references the next day, only when some were named.
    [Fact]
    public void BriefReferencesTheNextDayOnlyWhenNamed()
    {
        var with = Planner.PlanInterview(Facts("2026-12-04T16:30", references: ["Kim Lee"]), NewYork);
        var without = Planner.PlanInterview(Facts("2026-12-04T16:30"), NewYork);

        Assert.Equal("2026-12-05T10:00-05:00", with.Single(NudgeKind.BriefReferences));
        Assert.Empty(without.Times(NudgeKind.BriefReferences));
    }

    // R3, 000 §3-4, 001 §6: a calm hold-off two days in.
    [Fact]
    public void HoldOffComesTwoDaysLaterAtNoon()
    {
        var plan = Planner.PlanInterview(Facts("2026-12-04T16:30"), NewYork);

        Assert.Equal("2026-12-06T12:00-05:00", plan.Single(NudgeKind.HoldOff));
    }

    // R6, 001 §4, 003: keep applying, a few days after the interview.
    [Fact]
    public void KeepSearchingComesFourDaysLater()
    {
        var plan = Planner.PlanInterview(Facts("2026-12-04T16:30"), NewYork);

        Assert.Equal("2026-12-08T10:00-05:00", plan.Single(NudgeKind.KeepSearching));
    }

    // R4, 002, 003: with a decision date, follow up once, the next business day after it.
    [Fact]
    public void FollowUpComesTheBusinessDayAfterTheDecisionDate()
    {
        var plan = Planner.PlanInterview(Facts("2026-12-04T16:30", decisionDate: "2026-12-08"), NewYork);

        var followUp = Assert.Single(plan, n => n.Kind == NudgeKind.FollowUp);
        Assert.Equal("2026-12-09T10:00-05:00", Local(followUp.DueAt));
        Assert.Equal(1, followUp.Sequence);
    }

    // R4, 002, 003: a Friday decision date puts the follow-up on Monday.
    [Fact]
    public void FridayDecisionDateMeansAMondayFollowUp()
    {
        var plan = Planner.PlanInterview(Facts("2026-12-04T16:30", decisionDate: "2026-12-11"), NewYork);

        Assert.Equal("2026-12-14T10:00-05:00", plan.Single(NudgeKind.FollowUp));
    }

    // R4, 001 §2, 004 §13, 002 ("about a week"): no decision date -> a week after the thank-you.
    // R8, 002, 003: "not said" is what switches R4 to the one-week rule.
    [Fact]
    public void WithoutADecisionDateFollowUpComesAWeekAfterTheThankYou()
    {
        var plan = Planner.PlanInterview(Facts("2026-12-04T16:30"), NewYork);

        Assert.Equal("2026-12-04T18:00-05:00", plan.Single(NudgeKind.ThankYou));
        Assert.Equal("2026-12-11T10:00-05:00", plan.Single(NudgeKind.FollowUp));
    }

    // R4: re-planned from the moment the member actually sent the thank-you.
    [Fact]
    public void FollowUpIsReplannedFromALaterThankYou()
    {
        var facts = Facts("2026-12-04T16:30");

        var plan = Planner.PlanFollowUps(facts, At("2026-12-08T14:20"), NewYork);

        Assert.Equal("2026-12-15T10:00-05:00", plan.Single(NudgeKind.FollowUp));
        Assert.Equal("2026-12-22T12:00-05:00", plan.Single(NudgeKind.OutcomeCheck));
        Assert.Equal([NudgeKind.FollowUp, NudgeKind.OutcomeCheck], plan.Select(n => n.Kind));
    }

    // R4: a week after a Sunday thank-you is a Sunday: the follow-up moves to the next business slot.
    [Fact]
    public void ReplannedFollowUpOnAWeekendMovesToMonday()
    {
        var plan = Planner.PlanFollowUps(Facts("2026-12-04T16:30"), At("2026-12-06T19:00"), NewYork);

        Assert.Equal("2026-12-14T09:00-05:00", plan.Single(NudgeKind.FollowUp));
    }

    // R3/R4, 000 §4 ("one or two days is definitely too soon"): never before T0 + 3 days, even when the
    // decision date is the interview day itself; still within business hours.
    [Fact]
    public void FollowUpIsNeverEarlierThanThreeDaysAfterTheInterview()
    {
        var monday = Planner.PlanInterview(Facts("2026-11-30T16:30", decisionDate: "2026-11-30"), NewYork);
        var wednesday = Planner.PlanInterview(Facts("2026-12-02T16:30", decisionDate: "2026-12-02"), NewYork);
        var early = Planner.PlanFollowUps(Facts("2026-11-30T16:30"), At("2026-11-24T09:00"), NewYork);

        Assert.Equal("2026-12-03T16:30-05:00", monday.Single(NudgeKind.FollowUp));
        // Wednesday + 3 days is a Saturday afternoon: the next business slot is Monday 09:00.
        Assert.Equal("2026-12-07T09:00-05:00", wednesday.Single(NudgeKind.FollowUp));
        Assert.Equal("2026-12-03T16:30-05:00", early.Single(NudgeKind.FollowUp));
    }

    // R4, 004 §13: invited to follow up directly -> weekly, five in all.
    [Fact]
    public void InvitedFollowUpRepeatsWeeklyFiveTimes()
    {
        var plan = Planner.PlanInterview(Facts("2026-12-04T16:30", decisionDate: "2026-12-08", followUpInvited: true), NewYork);

        var followUps = plan.Where(n => n.Kind == NudgeKind.FollowUp).ToList();
        Assert.Equal(
            ["2026-12-09T10:00-05:00", "2026-12-16T10:00-05:00", "2026-12-23T10:00-05:00", "2026-12-30T10:00-05:00", "2027-01-06T10:00-05:00"],
            followUps.Select(n => Local(n.DueAt)));
        Assert.Equal([1, 2, 3, 4, 5], followUps.Select(n => n.Sequence));
        // The outcome check still follows the first follow-up.
        Assert.Equal("2026-12-16T12:00-05:00", plan.Single(NudgeKind.OutcomeCheck));
    }

    // R4, 001 §2, 002, 003: not invited -> exactly one follow-up.
    [Fact]
    public void UninvitedFollowUpHappensOnce()
    {
        var plan = Planner.PlanInterview(Facts("2026-12-04T16:30", decisionDate: "2026-12-08", followUpInvited: false), NewYork);

        var followUp = Assert.Single(plan, n => n.Kind == NudgeKind.FollowUp);
        Assert.Equal(1, followUp.Sequence);
    }

    // R7, 000 §5, 001 §7: an outcome check a week after the first follow-up.
    [Fact]
    public void OutcomeCheckComesAWeekAfterTheFirstFollowUp()
    {
        var plan = Planner.PlanInterview(Facts("2026-12-04T16:30"), NewYork);

        Assert.Equal("2026-12-18T12:00-05:00", plan.Single(NudgeKind.OutcomeCheck));
    }

    [Fact]
    public void PlanIsSortedByDueTimeAndHoldsNoOutcomeNudges()
    {
        var plan = Planner.PlanInterview(
            Facts("2026-12-04T16:30", format: InterviewFormat.Onsite, interviewers: ["Ana Ruiz", "Ben Ode"], references: ["Kim Lee"]), NewYork);

        Assert.Equal(plan.OrderBy(n => n.DueAt).Select(n => n.DueAt), plan.Select(n => n.DueAt));
        // debrief, 2 thank-yous, 2 reminders, card, references, hold-off, keep-searching, follow-up, outcome check
        Assert.Equal(11, plan.Count);
        Assert.DoesNotContain(plan, n => n.Kind is NudgeKind.AskFeedback or NudgeKind.RecordOffer or NudgeKind.ThankReferences);
    }

    // R7, 003 ("the best time is immediately"), 001 §7, 002: rejected -> ask for feedback straight away;
    // R5, 001 §5: and thank the references an hour later.
    [Fact]
    public void RejectionAsksForFeedbackStraightAwayAndThanksReferences()
    {
        var facts = Facts("2026-12-04T16:30", references: ["Kim Lee"]);

        var plan = Planner.PlanOutcome(facts, Outcome.Rejected, At("2026-12-10T14:05"), NewYork);

        Assert.Equal([NudgeKind.AskFeedback, NudgeKind.ThankReferences], plan.Select(n => n.Kind));
        Assert.Equal("2026-12-10T14:05-05:00", plan.Single(NudgeKind.AskFeedback));
        Assert.Equal("2026-12-10T15:05-05:00", plan.Single(NudgeKind.ThankReferences));
    }

    // R7 keeps quiet hours: a rejection recorded late at night is answered in the morning.
    [Fact]
    public void RejectionRecordedAtNightIsAnsweredInTheMorning()
    {
        var plan = Planner.PlanOutcome(Facts("2026-12-04T16:30"), Outcome.Rejected, At("2026-12-10T22:30"), NewYork);

        Assert.Equal("2026-12-11T08:00-05:00", plan.Single(NudgeKind.AskFeedback));
        Assert.Empty(plan.Times(NudgeKind.ThankReferences));
    }

    // R7, 002: an offer -> record the details; R5: thank the references.
    [Fact]
    public void OfferAsksToRecordTheDetailsAndThanksReferences()
    {
        var plan = Planner.PlanOutcome(Facts("2026-12-04T16:30", references: ["Kim Lee"]), Outcome.Offer, At("2026-12-10T09:30"), NewYork);

        Assert.Equal([NudgeKind.RecordOffer, NudgeKind.ThankReferences], plan.Select(n => n.Kind));
        Assert.Equal("2026-12-10T09:30-05:00", plan.Single(NudgeKind.RecordOffer));
        Assert.Equal("2026-12-10T10:30-05:00", plan.Single(NudgeKind.ThankReferences));
    }

    // R5: withdrawing still deserves thanks to the references, nothing else.
    [Fact]
    public void WithdrawalOnlyThanksReferences()
    {
        var with = Planner.PlanOutcome(Facts("2026-12-04T16:30", references: ["Kim Lee"]), Outcome.Withdrawn, At("2026-12-10T09:30"), NewYork);
        var without = Planner.PlanOutcome(Facts("2026-12-04T16:30"), Outcome.Withdrawn, At("2026-12-10T09:30"), NewYork);

        Assert.Equal([NudgeKind.ThankReferences], with.Select(n => n.Kind));
        Assert.Empty(without);
    }

    // R7: "still waiting" -> another outcome check a week later at noon, nothing else.
    [Fact]
    public void WaitingBringsAnotherOutcomeCheckAWeekLater()
    {
        var plan = Planner.PlanOutcome(Facts("2026-12-04T16:30", references: ["Kim Lee"]), Outcome.Waiting, At("2026-12-18T12:10"), NewYork);

        var check = Assert.Single(plan);
        Assert.Equal(NudgeKind.OutcomeCheck, check.Kind);
        Assert.Equal("2026-12-25T12:00-05:00", Local(check.DueAt));
    }

    // R3, 000 §3-4: the follow-up window opens three days after the interview...
    [Fact]
    public void FollowUpWindowOpensThreeDaysAfterTheInterview()
    {
        var opens = Planner.FollowUpWindowOpensAt(Facts("2026-12-04T16:30"), NewYork);

        Assert.Equal("2026-12-07T16:30-05:00", Local(opens));
    }

    // ...or, R4, 002, 003, at the start of the day after the decision date when that is later.
    [Fact]
    public void FollowUpWindowOpensTheDayAfterALaterDecisionDate()
    {
        var later = Planner.FollowUpWindowOpensAt(Facts("2026-12-04T16:30", decisionDate: "2026-12-10"), NewYork);
        var earlier = Planner.FollowUpWindowOpensAt(Facts("2026-12-04T16:30", decisionDate: "2026-12-05"), NewYork);

        Assert.Equal("2026-12-11T00:00-05:00", Local(later));
        Assert.Equal("2026-12-07T16:30-05:00", Local(earlier));
    }

    // Snoozes: quiet hours for most nudges, business hours for the follow-up, nothing for the debrief.
    [Theory]
    [InlineData(NudgeKind.ThankYou, "2026-12-05T23:10", "2026-12-06T08:00-05:00")]
    [InlineData(NudgeKind.ThankYou, "2026-12-05T07:59", "2026-12-05T08:00-05:00")]
    [InlineData(NudgeKind.ThankYou, "2026-12-05T15:00", "2026-12-05T15:00-05:00")]
    [InlineData(NudgeKind.Debrief, "2026-12-05T23:10", "2026-12-05T23:10-05:00")]
    [InlineData(NudgeKind.FollowUp, "2026-12-05T11:00", "2026-12-07T09:00-05:00")]
    [InlineData(NudgeKind.FollowUp, "2026-12-04T17:00", "2026-12-07T09:00-05:00")]
    [InlineData(NudgeKind.FollowUp, "2026-12-08T08:15", "2026-12-08T09:00-05:00")]
    [InlineData(NudgeKind.FollowUp, "2026-12-08T16:59", "2026-12-08T16:59-05:00")]
    [InlineData(NudgeKind.OutcomeCheck, "2026-12-08T21:00", "2026-12-09T08:00-05:00")]
    public void NextAllowedTimeKeepsQuietAndBusinessHours(NudgeKind kind, string proposed, string expected)
    {
        Assert.Equal(expected, Local(Planner.NextAllowedTime(kind, At(proposed), NewYork)));
    }

    [Fact]
    public void WithoutInterviewersTheFollowUpCountsFromTheThankYouTime()
    {
        var plan = Planner.PlanInterview(Facts("2026-12-04T16:30", interviewers: []), NewYork);

        Assert.Empty(plan.Times(NudgeKind.ThankYou));
        Assert.Equal("2026-12-11T10:00-05:00", plan.Single(NudgeKind.FollowUp));
    }

    [Fact]
    public void PlanningWorksInTheMemberZone()
    {
        var plan = Planner.PlanInterview(Facts("2026-12-04T16:30", zoneId: "Asia/Tokyo"), In("Asia/Tokyo"));

        Assert.Equal("2026-12-04T18:00+09:00", plan.Single(NudgeKind.ThankYou));
        Assert.Equal("2026-12-11T10:00+09:00", plan.Single(NudgeKind.FollowUp));
    }

    [Fact]
    public void ThePlannerReadsItsNumbersFromThePlaybook()
    {
        var shipped = ShippedPlaybook;
        var thankYou = shipped.Step(NudgeKind.ThankYou);
        var tuned = shipped with
        {
            Steps = shipped.Steps.Select(s => s.Kind != NudgeKind.ThankYou ? s
                : s with { Timing = [thankYou.Timing[0] with { At = new TimeOnly(19, 30) }] }).ToList(),
        };

        var plan = new NudgePlanner(tuned).PlanInterview(Facts("2026-12-04T16:30"), NewYork);

        Assert.Equal("2026-12-04T19:30-05:00", plan.Single(NudgeKind.ThankYou));
    }
}
