using FollowUpBot.Core.Domain;
using static FollowUpBot.Core.Tests.Planning.PlanningFixture;

namespace FollowUpBot.Core.Tests.Planning;

/// <summary>
/// Planning in local wall-clock time across DST changes. New York: 2026-03-08 02:00 -> 03:00 and
/// 2026-11-01 02:00 -> 01:00. Berlin: 2026-03-29 02:00 -> 03:00 and 2026-10-25 03:00 -> 02:00.
/// To land a nudge inside the changing hour, the member's quiet hours end in it.
/// </summary>
public class DaylightSavingTests
{
    private static readonly QuietHours EndAt0230 = new(new TimeOnly(22, 0), new TimeOnly(2, 30));
    private static readonly QuietHours EndAt0130 = new(new TimeOnly(22, 0), new TimeOnly(1, 30));

    [Fact]
    public void LocalTimesOfDayHoldAcrossSpringForwardInNewYork()
    {
        var plan = Planner.PlanInterview(Facts("2026-03-06T16:30"), NewYork);

        Assert.Equal("2026-03-06T18:00-05:00", plan.Single(NudgeKind.ThankYou));
        Assert.Equal("2026-03-08T12:00-04:00", plan.Single(NudgeKind.HoldOff));
        Assert.Equal("2026-03-13T10:00-04:00", plan.Single(NudgeKind.FollowUp));
    }

    [Fact]
    public void ATimeInTheSpringGapMovesForwardInNewYork()
    {
        // Thank-you due at 00:00, quiet until 02:30, which does not exist that night: 03:00 EDT.
        var plan = Planner.PlanInterview(Facts("2026-03-07T23:00"), In("America/New_York", EndAt0230));

        Assert.Equal("2026-03-08T03:00-04:00", plan.Single(NudgeKind.ThankYou));
    }

    [Fact]
    public void LocalTimesOfDayHoldAcrossFallBackInNewYork()
    {
        var plan = Planner.PlanInterview(Facts("2026-10-30T16:30"), NewYork);

        Assert.Equal("2026-10-30T18:00-04:00", plan.Single(NudgeKind.ThankYou));
        Assert.Equal("2026-11-01T12:00-05:00", plan.Single(NudgeKind.HoldOff));
        Assert.Equal("2026-11-06T10:00-05:00", plan.Single(NudgeKind.FollowUp));
    }

    [Fact]
    public void AnAmbiguousTimeTakesTheEarlierInstantInNewYork()
    {
        // 01:30 happens twice on 2026-11-01: first at -04:00, then at -05:00.
        var plan = Planner.PlanInterview(Facts("2026-10-31T23:00"), In("America/New_York", EndAt0130));

        Assert.Equal("2026-11-01T01:30-04:00", plan.Single(NudgeKind.ThankYou));
    }

    [Fact]
    public void AnAllowedInstantInTheRepeatedHourIsNotMovedBack()
    {
        var context = In("America/New_York", EndAt0130);
        var secondPass = DateTimeOffset.Parse("2026-11-01T01:45-05:00");

        Assert.Equal("2026-11-01T01:45-05:00", Local(Planner.NextAllowedTime(NudgeKind.ThankYou, secondPass, context)));
    }

    [Fact]
    public void ATimeInTheSpringGapMovesForwardInBerlin()
    {
        var plan = Planner.PlanInterview(Facts("2026-03-28T23:00", zoneId: "Europe/Berlin"), In("Europe/Berlin", EndAt0230));

        Assert.Equal("2026-03-29T03:00+02:00", plan.Single(NudgeKind.ThankYou));
    }

    [Fact]
    public void AnAmbiguousTimeTakesTheEarlierInstantInBerlin()
    {
        // 02:30 happens twice on 2026-10-25: first at +02:00, then at +01:00.
        var plan = Planner.PlanInterview(Facts("2026-10-24T23:00", zoneId: "Europe/Berlin"), In("Europe/Berlin", EndAt0230));

        Assert.Equal("2026-10-25T02:30+02:00", plan.Single(NudgeKind.ThankYou));
    }

    [Fact]
    public void LocalTimesOfDayHoldAcrossBothChangesInBerlin()
    {
        var spring = Planner.PlanInterview(Facts("2026-03-27T16:30", zoneId: "Europe/Berlin"), In("Europe/Berlin"));
        var autumn = Planner.PlanInterview(Facts("2026-10-23T16:30", zoneId: "Europe/Berlin"), In("Europe/Berlin"));

        Assert.Equal("2026-03-29T12:00+02:00", spring.Single(NudgeKind.HoldOff));
        Assert.Equal("2026-10-25T12:00+01:00", autumn.Single(NudgeKind.HoldOff));
    }

    [Fact]
    public void DebriefKeepsTheExactInstantInTheRepeatedHour()
    {
        var ended = DateTimeOffset.Parse("2026-11-01T01:20-05:00");
        var facts = Facts("2026-10-30T16:30") with { EndedAt = ended };

        var plan = Planner.PlanInterview(facts, NewYork);

        Assert.Equal("2026-11-01T01:20-05:00", plan.Single(NudgeKind.Debrief));
    }
}
