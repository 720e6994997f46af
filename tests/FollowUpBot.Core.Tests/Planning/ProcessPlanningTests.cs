using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Planning;
using static FollowUpBot.Core.Tests.Planning.PlanningFixture;

namespace FollowUpBot.Core.Tests.Planning;

/// <summary>The steps of an application's stages, on the real planner and playbook: next round, no reply, offer.</summary>
public sealed class ProcessPlanningTests
{
    private static InterviewFacts WithNextRound(string local, string zone = "America/New_York") =>
        Facts("2026-12-04T16:30", zone) with { NextRoundAt = At(local, zone) };

    // R1, 001 §3: the debrief notes are the preparation; they come back the evening before, at 18:00.
    [Fact]
    public void PrepareRoundFallsTheEveningBeforeTheNextRoundAtSix()
    {
        var plan = Planner.PlanOutcome(WithNextRound("2026-12-15T10:00"), Outcome.NextRound, At("2026-12-08T11:00"), NewYork);

        var prepare = Assert.Single(plan);
        Assert.Equal(NudgeKind.PrepareRound, prepare.Kind);
        Assert.Equal("2026-12-14T18:00-05:00", Local(prepare.DueAt));
        Assert.Equal(At("2026-12-15T10:00"), prepare.Before);
    }

    [Fact]
    public void PrepareRoundKeepsTheMembersQuietHours()
    {
        var early = In("America/New_York", new QuietHours(new TimeOnly(17, 0), new TimeOnly(8, 0)));

        var plan = Planner.PlanOutcome(WithNextRound("2026-12-15T10:00"), Outcome.NextRound, At("2026-12-08T11:00"), early);

        Assert.Equal("2026-12-15T08:00-05:00", plan.Single(NudgeKind.PrepareRound));
    }

    // Pushed by quiet hours onto the round itself, the preparation would help nobody.
    [Fact]
    public void PrepareRoundIsNeverPlannedOnOrAfterTheRound()
    {
        var early = In("America/New_York", new QuietHours(new TimeOnly(17, 0), new TimeOnly(8, 0)));

        Assert.Empty(Planner.PlanOutcome(WithNextRound("2026-12-15T07:30"), Outcome.NextRound, At("2026-12-08T11:00"), early));
    }

    [Fact]
    public void ANextRoundWithoutItsDateHasNothingToPlanYet() =>
        Assert.Empty(Planner.PlanOutcome(Facts("2026-12-04T16:30"), Outcome.NextRound, At("2026-12-08T11:00"), NewYork));

    // A wall-clock rule: 18:00 the evening before stays 18:00 across the end of summer time in Berlin.
    [Fact]
    public void PrepareRoundIsWallClockAcrossADaylightSavingChange()
    {
        var plan = Planner.PlanOutcome(WithNextRound("2026-10-26T09:00", "Europe/Berlin"), Outcome.NextRound,
            At("2026-10-20T11:00", "Europe/Berlin"), In("Europe/Berlin"));

        Assert.Equal("2026-10-25T18:00+01:00", plan.Single(NudgeKind.PrepareRound));
    }

    // R4, 001 §2, 003: after closeAfterNoReply (three weeks) the bot asks whether to close the silent application.
    [Fact]
    public void LetItRestAsksAfterTheNoReplyWindow()
    {
        var plan = Planner.PlanOutcome(Facts("2026-12-04T16:30", references: ["Kim Lee"]), Outcome.NoReply, At("2026-12-16T15:00"), NewYork);

        var rest = Assert.Single(plan);
        Assert.Equal(NudgeKind.LetItRest, rest.Kind);
        Assert.Equal("2027-01-06T10:00-05:00", Local(rest.DueAt));
    }

    // R7, 001 §4: with a deadline, the day before at 10:00; without one, no reminder to invent.
    [Fact]
    public void OfferDeadlineFallsTheDayBeforeAtTen()
    {
        var facts = Facts("2026-12-04T16:30", references: ["Kim Lee"]) with { OfferDeadline = new DateOnly(2026, 12, 18) };

        var plan = Planner.PlanOutcome(facts, Outcome.Offer, At("2026-12-10T09:30"), NewYork);

        Assert.Equal([NudgeKind.RecordOffer, NudgeKind.ThankReferences, NudgeKind.OfferDeadline], plan.Select(n => n.Kind));
        Assert.Equal("2026-12-17T10:00-05:00", plan.Single(NudgeKind.OfferDeadline));
        Assert.Empty(Planner.PlanOutcome(Facts("2026-12-04T16:30"), Outcome.Offer, At("2026-12-10T09:30"), NewYork).Times(NudgeKind.OfferDeadline));
    }

    // R5: thanks to the references also when an offer is accepted straight away; a close without reply brings nothing.
    [Fact]
    public void AcceptingThanksTheReferencesAndClosingWithoutReplyPlansNothing()
    {
        var facts = Facts("2026-12-04T16:30", references: ["Kim Lee"]);

        Assert.Equal([NudgeKind.ThankReferences], Planner.PlanOutcome(facts, Outcome.Accepted, At("2026-12-10T09:30"), NewYork).Select(n => n.Kind));
        Assert.Empty(Planner.PlanOutcome(facts, Outcome.ClosedNoReply, At("2026-12-10T09:30"), NewYork));
    }

    // The interview's own plan never contains a step that only an outcome can time.
    [Fact]
    public void TheInterviewsPlanHasNoStageSteps()
    {
        var facts = Facts("2026-12-04T16:30", references: ["Kim Lee"]) with { NextRoundAt = At("2026-12-15T10:00"), OfferDeadline = new DateOnly(2026, 12, 18) };

        var kinds = Planner.PlanInterview(facts, NewYork).Select(n => n.Kind).ToHashSet();

        Assert.DoesNotContain(NudgeKind.PrepareRound, kinds);
        Assert.DoesNotContain(NudgeKind.LetItRest, kinds);
        Assert.DoesNotContain(NudgeKind.OfferDeadline, kinds);
    }
}
