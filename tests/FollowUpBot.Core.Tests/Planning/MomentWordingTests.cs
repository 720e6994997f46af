using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Planning;
using static FollowUpBot.Core.Tests.Planning.PlanningFixture;

namespace FollowUpBot.Core.Tests.Planning;

/// <summary>
/// Wording that fits the moment, through the composer and the shipped playbook's phrases: what a message says about
/// "tonight" or "this morning" must be true when it arrives. 2026-12-04 is a Friday.
/// </summary>
public class MomentWordingTests
{
    private static Interview Interview(InterviewFormat format = InterviewFormat.Video, string ended = "2026-12-03T16:30",
        string? role = "Backend Engineer", string? decision = null, bool invited = false, string[]? references = null) =>
        new(3, 1, 1, "Acme", role, ["Ana Ruiz"], format, At(ended), decision is null ? null : DateOnly.Parse(decision),
            invited, references ?? [], null, At(ended));

    private static string Text(NudgeKind kind, string deliveredAt, Interview? interview = null, int sequence = 0,
        bool thanksPrompted = true, PlanningContext? context = null)
    {
        var nudge = new Nudge(42, 3, 1, kind, At(deliveredAt), kind is NudgeKind.ThankYou or NudgeKind.ThankYouReminder ? "Ana Ruiz" : null,
            sequence, NudgeState.Sending);
        return Composer.Compose(nudge, interview ?? Interview(), late: false, new DeliveryMoment(At(deliveredAt), context ?? NewYork, thanksPrompted)).Text;
    }

    [Fact]
    public void AThankYouSaysTonightOnlyWhenItArrivesInTheEvening()
    {
        var thursdayEvening = Text(NudgeKind.ThankYou, "2026-12-03T18:00");
        var fridayMorning = Text(NudgeKind.ThankYou, "2026-12-04T08:00");
        var thursdayAfternoon = Text(NudgeKind.ThankYou, "2026-12-03T14:00", Interview(ended: "2026-12-03T11:00"));

        Assert.Contains("Sent tonight, it is waiting for them first thing tomorrow.", thursdayEvening);
        Assert.DoesNotContain("tonight", fridayMorning);
        Assert.Contains("Sent this morning", fridayMorning);
        Assert.DoesNotContain("tonight", thursdayAfternoon);
        Assert.Contains("Sent today, it reaches them while your conversation is still fresh.", thursdayAfternoon);
    }

    [Theory]
    [InlineData("2026-12-04T18:00", "Monday")] // Friday evening
    [InlineData("2026-12-05T18:00", "Monday")] // Saturday evening
    public void AFridayOrSaturdayEveningThankYouSaysItLandsOnMonday(string delivered, string day)
    {
        var text = Text(NudgeKind.ThankYou, delivered, Interview(ended: delivered[..11] + "16:30"));

        Assert.Contains($"it waits for them until {day}", text);
        Assert.DoesNotContain("first thing tomorrow", text);
    }

    [Fact]
    public void AnEveningBeforeAPublicHolidayNamesTheNextBusinessDay()
    {
        // Thursday 24 December with US holidays: Christmas Friday, then the weekend.
        var us = NewYork with { Holidays = HolidayCalendar.For("US") };

        var text = Text(NudgeKind.ThankYou, "2026-12-24T18:00", Interview(ended: "2026-12-24T15:00"), context: us);

        Assert.Contains("until Monday", text);
    }

    [Fact]
    public void AThankYouDaysLateIsWordedAsLate()
    {
        var text = Text(NudgeKind.ThankYou, "2026-12-05T10:00"); // the interview was on Thursday

        Assert.Contains("a few days on, but thanks still count", text);
        Assert.DoesNotContain("tonight", text);
    }

    [Fact]
    public void AReminderSaysThisMorningOnlyInTheMorning()
    {
        Assert.Contains("This morning is still a fine moment", Text(NudgeKind.ThankYouReminder, "2026-12-04T09:00"));
        var evening = Text(NudgeKind.ThankYouReminder, "2026-12-04T19:30");
        Assert.DoesNotContain("morning", evening);
        Assert.Contains("by this evening is the latest", Text(NudgeKind.ThankYouReminder, "2026-12-04T14:00"));
    }

    [Theory]
    [InlineData(InterviewFormat.Onsite, "walk a few streets away")]
    [InlineData(InterviewFormat.Video, "close the call and check that camera and microphone are really off")]
    [InlineData(InterviewFormat.Phone, "make sure the line is really closed")]
    public void TheDebriefsWayOutFitsTheFormat(InterviewFormat format, string expected)
    {
        var text = Text(NudgeKind.Debrief, "2026-12-03T16:30", Interview(format));

        Assert.Contains(expected, text);
        if (format != InterviewFormat.Onsite) Assert.DoesNotContain("streets", text);
    }

    [Fact]
    public void WeeklyCheckInsTwoToFiveHaveTheirOwnShortTextAndNeverSayTheDecisionDatePassed()
    {
        var interview = Interview(decision: "2026-12-08", invited: true);

        var first = Text(NudgeKind.FollowUp, "2026-12-09T10:00", interview, sequence: 1);
        var fourth = Text(NudgeKind.FollowUp, "2026-12-30T10:00", interview, sequence: 4);

        Assert.Contains("has passed without news", first);
        Assert.Contains("this is 1 of 5", first);
        Assert.StartsWith("Weekly check-in 4 of 5 with Acme about the Backend Engineer role.", fourth);
        Assert.Contains("As they invited, check in again", fourth);
        Assert.Contains("once they reply, stop", fourth);
        Assert.DoesNotContain("decision date", fourth);
        Assert.DoesNotContain("passed without news", fourth);
        Assert.True(fourth.Length < first.Length / 2, fourth);
    }

    [Fact]
    public void TheFollowUpChecksInAboutTheRoleAndKeepsTheCandidateQuestionsForACall()
    {
        var text = Text(NudgeKind.FollowUp, "2026-12-11T10:00");
        var noRole = Text(NudgeKind.FollowUp, "2026-12-11T10:00", Interview(role: null));

        Assert.StartsWith("Time to check in with Acme about the Backend Engineer role.", text);
        Assert.StartsWith("Time to check in with Acme about the role.", noRole);
        Assert.Contains("On a call, not in writing, you could ask how you compare with other candidates", text);
        Assert.Contains("A week after your thank-you", text);
        // Never prompted for a thank-you (the interview was reported too late): the follow-up does not assume one.
        var noThanks = Text(NudgeKind.FollowUp, "2026-12-11T10:00", thanksPrompted: false);
        Assert.DoesNotContain("thank-you", noThanks);
        Assert.Contains("Some days have passed since your interview", noThanks);
    }

    [Fact]
    public void BriefReferencesNamesTheCompanyThatMayCall()
    {
        var text = Text(NudgeKind.BriefReferences, "2026-12-04T11:00", Interview(references: ["Kim Lee"]));

        Assert.StartsWith("Acme may get in touch with your references soon: Kim Lee.", text);
        Assert.Contains("it is Acme who may call", text);
    }

    [Fact]
    public void TheCardSpeaksOfEmailedThanksOnlyWhenAThankYouWasPrompted()
    {
        var onsite = Interview(InterviewFormat.Onsite);

        Assert.Contains("on top of your emailed thanks", Text(NudgeKind.MailCard, "2026-12-04T11:00", onsite));
        var alone = Text(NudgeKind.MailCard, "2026-12-04T11:00", onsite, thanksPrompted: false);
        Assert.DoesNotContain("emailed", alone);
        Assert.Contains("a handwritten card by post stands out", alone);
    }

    [Fact]
    public void ThanksArePromptedWhileAThankYouWaitsOrReachedTheMember()
    {
        Nudge ThankYou(NudgeState state, int deliveries = 0) => new(1, 3, 1, NudgeKind.ThankYou, At("2026-12-03T18:00"), "Ana Ruiz", 0, state, Deliveries: deliveries);

        Assert.True(DeliveryMoment.AnyThanksPrompted([ThankYou(NudgeState.Pending)]));
        Assert.True(DeliveryMoment.AnyThanksPrompted([ThankYou(NudgeState.Done, deliveries: 1)]));
        Assert.False(DeliveryMoment.AnyThanksPrompted([ThankYou(NudgeState.Skipped)])); // too late, never sent
        Assert.False(DeliveryMoment.AnyThanksPrompted([]));
    }
}
