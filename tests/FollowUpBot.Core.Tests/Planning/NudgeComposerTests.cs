using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Planning;
using static FollowUpBot.Core.Tests.Planning.PlanningFixture;

namespace FollowUpBot.Core.Tests.Planning;

public class NudgeComposerTests
{
    private static Interview Interview(
        string company = "Acme",
        string? role = "Backend Engineer",
        string[]? interviewers = null,
        string? notes = null,
        string[]? references = null,
        bool followUpInvited = false,
        DateOnly? decisionDate = null) =>
        new(Id: 3, MemberId: 1, Number: 1, company, role, interviewers ?? ["Ana Ruiz", "Ben Ode"], InterviewFormat.Onsite,
            At("2026-12-04T16:30"), decisionDate, followUpInvited, references ?? [], notes, At("2026-12-04T16:35"));

    private static Nudge Nudge(NudgeKind kind, string? interviewer = null, int sequence = 0) =>
        new(Id: 42, InterviewId: 3, MemberId: 1, kind, At("2026-12-04T18:00"), interviewer, sequence, NudgeState.Sending);

    // R2, 001 §1, 002: one note per interviewer, so each thank-you names its own interviewer.
    [Fact]
    public void ThankYouNamesItsInterviewer()
    {
        var message = Composer.Compose(Nudge(NudgeKind.ThankYou, "Ben Ode"), Interview(), late: false);

        Assert.Contains("Ben Ode", message.Text);
        Assert.DoesNotContain("Ana Ruiz", message.Text);
        Assert.Contains("Acme", message.Text);
    }

    // R2 + R1, 001 §3: the draft hint may quote the member's own debrief notes.
    [Fact]
    public void ThankYouQuotesTheDebriefNotes()
    {
        var message = Composer.Compose(Nudge(NudgeKind.ThankYou, "Ana Ruiz"),
            Interview(notes: "Loved their question on\nqueue back-pressure."), late: false);

        Assert.Contains("\"Loved their question on queue back-pressure.\"", message.Text);
    }

    [Fact]
    public void WithoutNotesTheQuoteLineIsLeftOut()
    {
        var message = Composer.Compose(Nudge(NudgeKind.ThankYou, "Ana Ruiz"), Interview(notes: null), late: false);

        Assert.DoesNotContain("\"", message.Text);
        Assert.DoesNotContain("{", message.Text);
        Assert.DoesNotContain("debrief notes", message.Text);
    }

    [Fact]
    public void LongNotesAreShortenedToAShortExcerpt()
    {
        var notes = string.Join(' ', Enumerable.Repeat("systems design went well", 100));

        var message = Composer.Compose(Nudge(NudgeKind.ThankYou, "Ana Ruiz"), Interview(notes: notes), late: false);

        var quote = message.Text.Split('"')[1];
        Assert.EndsWith("…", quote);
        Assert.True(quote.Length <= ShippedPlaybook.NotesExcerptMaxLength, $"excerpt of {quote.Length} characters");
    }

    // Every message fits every platform (Message.MaxTextLength) whatever the member typed at the limits.
    [Fact]
    public void EveryMessageStaysWithinTheLimitWithHugeInput()
    {
        var name = new string('N', 99) + "x";
        var names = Enumerable.Range(0, 10).Select(i => name[..98] + i.ToString("00")).ToArray();
        var interview = Interview(company: new string('C', 100), role: new string('R', 100), interviewers: names,
            notes: string.Join(' ', Enumerable.Repeat("word", 400)), references: names, followUpInvited: true,
            decisionDate: new DateOnly(2026, 12, 9));

        foreach (var kind in Enum.GetValues<NudgeKind>())
        foreach (var late in new[] { false, true })
        {
            var message = Composer.Compose(Nudge(kind, names[9], kind == NudgeKind.FollowUp ? 5 : 0), interview, late);
            Assert.True(message.Text.Length <= Message.MaxTextLength, $"{kind} (late: {late}) has {message.Text.Length} characters");
        }
    }

    [Fact]
    public void NotesWithoutSpacesAreCutToo()
    {
        var message = Composer.Compose(Nudge(NudgeKind.ThankYou, "Ana Ruiz"), Interview(notes: new string('x', 2000)), late: false);

        Assert.True(message.Text.Length < 1000);
        Assert.Contains("x…", message.Text);
    }

    [Theory]
    [InlineData(NudgeKind.ThankYou)]
    [InlineData(NudgeKind.FollowUp)]
    [InlineData(NudgeKind.HoldOff)]
    public void EveryNudgeHasDoneSnoozeAndSkip(NudgeKind kind)
    {
        var message = Composer.Compose(Nudge(kind, kind == NudgeKind.ThankYou ? "Ana Ruiz" : null, 1), Interview(), late: false);

        Assert.Equal(["nudge:42:done", "nudge:42:snooze", "nudge:42:skip"], message.Buttons.Select(b => b.Id));
        Assert.Equal(["Done", "Snooze 1 day", "Skip"], message.Buttons.Select(b => b.Label));
    }

    // R1, 001 §3: the debrief offers a way to add notes.
    [Fact]
    public void DebriefOffersToAddNotes()
    {
        var message = Composer.Compose(Nudge(NudgeKind.Debrief), Interview(), late: false);

        Assert.Equal(["nudge:42:notes", "nudge:42:done", "nudge:42:snooze", "nudge:42:skip"], message.Buttons.Select(b => b.Id));
        Assert.Contains("Add notes", message.Text);
    }

    // R7: the outcome check-in carries one button per outcome, and a snooze.
    [Fact]
    public void OutcomeCheckOffersEachOutcome()
    {
        var message = Composer.Compose(Nudge(NudgeKind.OutcomeCheck), Interview(), late: false);

        Assert.Equal(
            [new NudgeOutcomeButton(42, Outcome.Offer).Format(), new NudgeOutcomeButton(42, Outcome.NextRound).Format(), new NudgeOutcomeButton(42, Outcome.Rejected).Format(),
             new NudgeOutcomeButton(42, Outcome.Waiting).Format(), new NudgeOutcomeButton(42, Outcome.NoReply).Format(), new NudgeOutcomeButton(42, Outcome.Withdrawn).Format(),
             new NudgeButton(42, NudgeAction.Snooze).Format()],
            message.Buttons.Select(b => b.Id));
        Assert.Equal(["Offer", "Next round", "Rejected", "Replied: still deciding", "No reply yet", "Withdrawn", "Snooze 1 day"],
            message.Buttons.Select(b => b.Label));
        Assert.Equal("nudge:42:outcome:next_round", new NudgeOutcomeButton(42, Outcome.NextRound).Format());
    }

    // "Still waiting" read as silence; the button means they replied and are still deciding, and its text says so.
    [Fact]
    public void TheStillDecidingButtonSaysTheyReplied()
    {
        var message = Composer.Compose(Nudge(NudgeKind.OutcomeCheck), Interview(), late: false);

        Assert.Contains("they replied that they are still deciding", message.Text);
        Assert.Contains("no reply to your follow-up yet", message.Text);
        Assert.DoesNotContain(message.Buttons, b => b.Label == "Still waiting");
    }

    // Slack cuts button text at 75 characters and Discord custom ids at 100, of which its adapter's DM prefix takes ~40.
    [Fact]
    public void ButtonLabelsAndIdsFitEveryPlatform()
    {
        foreach (var kind in Enum.GetValues<NudgeKind>())
            Assert.All(Composer.Compose(Nudge(kind, "Ana Ruiz") with { Id = long.MaxValue }, Interview(), late: false).Buttons, b =>
            {
                Assert.InRange(b.Label.Length, 1, 75);
                Assert.InRange(b.Id.Length, 1, 60);
            });
    }

    [Fact]
    public void TheNewStepsHaveTheirOwnButtons()
    {
        Assert.Equal(["I accepted", "I declined", "Snooze 1 day"],
            Composer.Compose(Nudge(NudgeKind.OfferDeadline), Interview(), late: false).Buttons.Select(b => b.Label));
        Assert.Equal([new NudgeOutcomeButton(42, Outcome.ClosedNoReply).Format(), new NudgeButton(42, NudgeAction.KeepOpen).Format(), new NudgeButton(42, NudgeAction.Snooze).Format()],
            Composer.Compose(Nudge(NudgeKind.LetItRest), Interview(), late: false).Buttons.Select(b => b.Id));
        Assert.Equal(new NudgeButton(42, NudgeAction.SetDeadline).Format(),
            Composer.Compose(Nudge(NudgeKind.RecordOffer), Interview(), late: false).Buttons[0].Id);
    }

    [Fact]
    public void LateDeliveryUsesTheLateWording()
    {
        var onTime = Composer.Compose(Nudge(NudgeKind.ThankYou, "Ana Ruiz"), Interview(), late: false);
        var late = Composer.Compose(Nudge(NudgeKind.ThankYou, "Ana Ruiz"), Interview(), late: true);

        Assert.NotEqual(onTime.Text, late.Text);
        Assert.Contains("late", late.Text);
        Assert.Contains("Ana Ruiz", late.Text);
    }

    // R4, 004 §13: invited weekly check-ins say which one this is; a single follow-up does not.
    [Fact]
    public void InvitedFollowUpsCountTheCheckIns()
    {
        var invited = Composer.Compose(Nudge(NudgeKind.FollowUp, sequence: 2), Interview(followUpInvited: true), late: false);
        var once = Composer.Compose(Nudge(NudgeKind.FollowUp, sequence: 1), Interview(followUpInvited: false), late: false);

        Assert.Contains("2 of 5", invited.Text);
        Assert.DoesNotContain("of 5", once.Text);
    }

    // R4, 002, 003: the follow-up mentions the decision date only when one was given.
    [Fact]
    public void FollowUpMentionsTheDecisionDateWhenGiven()
    {
        var withDate = Composer.Compose(Nudge(NudgeKind.FollowUp, sequence: 1), Interview(decisionDate: new DateOnly(2026, 12, 8)), late: false);
        var without = Composer.Compose(Nudge(NudgeKind.FollowUp, sequence: 1), Interview(), late: false);

        Assert.Contains("Tuesday 8 December 2026", withDate.Text);
        Assert.DoesNotContain("decision date", without.Text);
        Assert.Contains("Ana Ruiz and Ben Ode", without.Text);
    }

    [Fact]
    public void DescribeReadsAMissingCompanyAsTheCompany()
    {
        var facts = Facts("2026-12-04T16:30", references: ["Kim Lee", "Sam Park"]);
        var plan = Planner.PlanInterview(facts, NewYork);

        var debrief = Composer.Describe(plan.First(n => n.Kind == NudgeKind.Debrief), facts);
        var references = Composer.Describe(plan.First(n => n.Kind == NudgeKind.BriefReferences), facts, "Acme");

        Assert.Contains("at the company", debrief);
        Assert.Contains("Kim Lee and Sam Park", references);
        Assert.Contains("Acme", references);
    }

    [Fact]
    public void DescribeNamesTheInterviewerOfEachThankYou()
    {
        var facts = Facts("2026-12-04T16:30", interviewers: ["Ana Ruiz", "Ben Ode"]);
        var plan = Planner.PlanInterview(facts, NewYork).Where(n => n.Kind == NudgeKind.ThankYou).ToList();

        Assert.Contains("Ana Ruiz", Composer.Describe(plan[0], facts, "Acme", "Backend Engineer"));
        Assert.Contains("Ben Ode", Composer.Describe(plan[1], facts, "Acme", "Backend Engineer"));
    }

    [Fact]
    public void EveryPlannedNudgeHasATextWithoutPlaceholders()
    {
        var facts = Facts("2026-12-04T16:30", format: InterviewFormat.Onsite, references: ["Kim Lee"], followUpInvited: true);
        var plan = Planner.PlanInterview(facts, NewYork)
            .Concat(Planner.PlanOutcome(facts, Outcome.Rejected, At("2026-12-20T10:00"), NewYork))
            .Concat(Planner.PlanOutcome(facts, Outcome.Offer, At("2026-12-20T10:00"), NewYork));

        Assert.All(plan, n =>
        {
            var text = Composer.Describe(n, facts, "Acme", "Backend Engineer");
            Assert.False(string.IsNullOrWhiteSpace(text));
            Assert.DoesNotContain("{", text);
        });
    }
}
