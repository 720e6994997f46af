using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Planning;
using FollowUpBot.Core.Tests.Planning;
using static FollowUpBot.Core.Tests.Conversations.EngineFixture;

namespace FollowUpBot.Core.Tests.Conversations;

public sealed class ButtonTests
{
    private readonly EngineFixture _f = new();

    private Nudge Current(Nudge nudge) => _f.Store.Nudges.Single(n => n.Id == nudge.Id);

    [Fact]
    public async Task DoneOnAThankYouClosesThatInterviewersReminderOnly()
    {
        var interview = await _f.RecordAsync();
        var thankAna = _f.NudgesOf(interview, NudgeKind.ThankYou).Single(n => n.Interviewer == "Ana Ruiz");
        _f.Clock.SetUtcNow(thankAna.DueAt);
        await _f.DeliverAsync(thankAna);

        var update = UpdateOf(await _f.Press(new NudgeButton(thankAna.Id, NudgeAction.Done).Format()));

        Assert.StartsWith(_f.Composer.Compose(Current(thankAna), interview, late: false).Text, update.Text);
        Assert.True(update.Text.Contains("\n\nDone.\nNext: "), update.Text);
        Assert.Empty(update.Buttons);
        Assert.Equal(NudgeState.Done, Current(thankAna).State);
        Assert.Equal(_f.Clock.GetUtcNow(), Current(thankAna).MarkedAt);
        var reminders = _f.NudgesOf(interview, NudgeKind.ThankYouReminder);
        Assert.Equal(NudgeState.Cancelled, reminders.Single(n => n.Interviewer == "Ana Ruiz").State);
        Assert.Equal(NudgeState.Pending, reminders.Single(n => n.Interviewer == "Ben Ode").State);
        Assert.DoesNotContain(reminders.Single(n => n.Interviewer == "Ana Ruiz").Id, _f.Scheduler.Triggers.Keys);
        // A decision date was given, so the follow-up keeps its date.
        Assert.Equal(NudgeState.Pending, _f.NudgesOf(interview, NudgeKind.FollowUp).Single().State);
    }

    [Fact]
    public async Task AllThankYousDoneWithoutADecisionDateReplansTheFollowUpFromNow()
    {
        var interview = await _f.RecordAsync("/interview done company:Acme interviewers:\"Ana Ruiz, Ben Ode\" format:video");
        var originalFollowUp = _f.NudgesOf(interview, NudgeKind.FollowUp).Single();
        var thankYous = _f.NudgesOf(interview, NudgeKind.ThankYou);
        _f.Clock.SetUtcNow(_f.Local("2026-12-05T11:00")); // sent a day late, on Saturday
        foreach (var t in thankYous) await _f.DeliverAsync(t);

        var first = UpdateOf(await _f.Press(new NudgeButton(thankYous[0].Id, NudgeAction.Done).Format()));
        Assert.DoesNotContain("follow-up is now planned", first.Text);
        Assert.Equal(NudgeState.Pending, Current(originalFollowUp).State);

        var second = UpdateOf(await _f.Press(new NudgeButton(thankYous[1].Id, NudgeAction.Done).Format()));

        var expected = _f.Planner.PlanFollowUps(InterviewFacts.From(interview), _f.Clock.GetUtcNow(),
            new PlanningContext(NewYork, QuietHours.Default));
        // Moved in place: the same nudge, a later time.
        Assert.Equal(NudgeState.Pending, Current(originalFollowUp).State);
        var replanned = _f.NudgesOf(interview).Where(n => n.IsScheduled && n.Kind is NudgeKind.FollowUp or NudgeKind.OutcomeCheck).ToList();
        Assert.Equal(expected.Select(p => (p.Kind, p.DueAt)), replanned.Select(n => (n.Kind, n.DueAt)));
        Assert.Equal(originalFollowUp.Id, replanned[0].Id);
        Assert.All(replanned, n => Assert.Equal(n.DueAt, _f.Scheduler.Triggers[n.Id]));
        Assert.True(replanned[0].DueAt > originalFollowUp.DueAt);
        Assert.Contains($"follow-up is now planned for {Wording.LocalTime(replanned[0].DueAt, NewYork)}", second.Text);
    }

    [Fact]
    public async Task DoneOnAFollowUpLogsTheFollowUp()
    {
        var interview = await _f.RecordAsync();
        var followUp = _f.NudgesOf(interview, NudgeKind.FollowUp).Single();
        _f.Clock.SetUtcNow(followUp.DueAt);
        await _f.DeliverAsync(followUp);

        var update = UpdateOf(await _f.Press(new NudgeButton(followUp.Id, NudgeAction.Done).Format()));

        Assert.Contains("follow-up logged", update.Text);
        Assert.Equal(NudgeState.Done, Current(followUp).State);
        Assert.Equal(1, _f.Reload(interview).FollowUpsLogged);
    }

    [Fact]
    public async Task SnoozeMovesTheNudgeADayToTheNextAllowedTime()
    {
        var interview = await _f.RecordAsync();
        var thankYou = _f.NudgesOf(interview, NudgeKind.ThankYou)[0];
        _f.Clock.SetUtcNow(_f.Local("2026-12-04T22:30")); // in quiet hours tomorrow too
        await _f.DeliverAsync(thankYou);

        var update = UpdateOf(await _f.Press(new NudgeButton(thankYou.Id, NudgeAction.Snooze).Format()));

        var due = _f.Local("2026-12-06T08:00");
        Assert.Equal(due, _f.Planner.NextAllowedTime(NudgeKind.ThankYou, _f.Clock.GetUtcNow().AddDays(1), new PlanningContext(NewYork, QuietHours.Default)));
        Assert.Equal((NudgeState.Snoozed, due), (Current(thankYou).State, Current(thankYou).DueAt));
        Assert.Equal(due, _f.Scheduler.Triggers[thankYou.Id]);
        Assert.EndsWith("Snoozed: I'll remind you again Sun 6 Dec 08:00.", update.Text);
    }

    [Fact]
    public async Task SkipEndsTheNudgeAndItsTrigger()
    {
        var interview = await _f.RecordAsync();
        var holdOff = _f.NudgesOf(interview, NudgeKind.HoldOff).Single();

        var update = UpdateOf(await _f.Press(new NudgeButton(holdOff.Id, NudgeAction.Skip).Format()));

        Assert.EndsWith("Skipped.", update.Text);
        Assert.Equal(NudgeState.Skipped, Current(holdOff).State);
        Assert.DoesNotContain(holdOff.Id, _f.Scheduler.Triggers.Keys);
        Assert.EndsWith("This one was skipped, so there is nothing to do.", UpdateOf(await _f.Press(new NudgeButton(holdOff.Id, NudgeAction.Done).Format())).Text);
    }

    [Fact]
    public async Task DoneTwiceSaysSoAndChangesNothing()
    {
        var interview = await _f.RecordAsync();
        var debrief = _f.NudgesOf(interview, NudgeKind.Debrief).Single();
        await _f.DeliverAsync(debrief);
        await _f.Press(new NudgeButton(debrief.Id, NudgeAction.Done).Format());
        var before = _f.Store.Snapshot();
        Assert.EndsWith("Already marked done.", UpdateOf(await _f.Press(new NudgeButton(debrief.Id, NudgeAction.Done).Format())).Text);
        Assert.Equal(before, _f.Store.Snapshot());
    }

    [Fact]
    public async Task NotesButtonAsksForNotesAndSavesThemClosingTheDebrief()
    {
        var interview = await _f.RecordAsync();
        var debrief = _f.NudgesOf(interview, NudgeKind.Debrief).Single();
        await _f.DeliverAsync(debrief);

        var form = FormOf(await _f.Press(new NudgeButton(debrief.Id, NudgeAction.AddNotes).Format()));

        Assert.Equal($"interview-notes:{interview.Id}", form.Id);
        var field = Assert.Single(form.Fields);
        Assert.Equal(("notes", FormFieldKind.LongText, 2000), (field.Name, field.Kind, field.MaxLength));

        var tooLong = new string('x', 2001);
        var retry = FormOf(await _f.Submit(form.Id, new() { ["notes"] = tooLong }));
        Assert.Equal(tooLong, retry.Fields[0].Value);
        Assert.Contains("at most 2,000 characters (yours have 2,001)", retry.Fields[0].Error);
        Assert.Null(_f.Reload(interview).Notes);

        var saved = ReplyText(await _f.Submit(form.Id, new() { ["notes"] = "They asked about on-call." }));
        Assert.Contains("Saved your notes for #1 Acme", saved);
        Assert.Equal("They asked about on-call.", _f.Reload(interview).Notes);
        Assert.Equal(NudgeState.Done, Current(debrief).State);
    }

    [Fact]
    public async Task NotesFormOfAnotherMembersInterviewIsRefused()
    {
        var interview = await _f.RecordAsync();
        var before = _f.Store.Snapshot();
        Assert.Contains("someone else's", ReplyText(await _f.Submit($"interview-notes:{interview.Id}", new() { ["notes"] = "mine now" }, _f.Bob)));
        Assert.Equal(before, _f.Store.Snapshot());
    }

    [Fact]
    public async Task OutcomeButtonOnTheCheckInRecordsTheOutcome()
    {
        var interview = await _f.RecordAsync();
        var check = _f.NudgesOf(interview, NudgeKind.OutcomeCheck).Single();
        _f.Clock.SetUtcNow(check.DueAt);
        await _f.DeliverAsync(check);

        var update = UpdateOf(await _f.Press(new NudgeOutcomeButton(check.Id, Outcome.Rejected).Format()));

        Assert.Contains("rejection recorded", update.Text);
        Assert.Empty(update.Buttons);
        Assert.Equal(Outcome.Rejected, _f.Reload(interview).Outcome);
        Assert.Equal(NudgeState.Done, Current(check).State);
        Assert.Contains(_f.NudgesOf(interview), n => n.Kind == NudgeKind.AskFeedback && n.State == NudgeState.Pending);
        Assert.Contains(_f.NudgesOf(interview), n => n.Kind == NudgeKind.ThankReferences && n.State == NudgeState.Pending);

        var again = UpdateOf(await _f.Press(new NudgeOutcomeButton(check.Id, Outcome.Offer).Format()));
        Assert.Contains("already recorded (closed: rejected)", again.Text);
        Assert.Equal(Outcome.Rejected, _f.Reload(interview).Outcome);
    }

    [Theory]
    [InlineData("nudge:999:done")]
    [InlineData("banana")]
    [InlineData("")]
    [InlineData("nudge:abc:done")]
    [InlineData("nudge:1:explode")]
    [InlineData("nudge:1:outcome:hired")]
    [InlineData("nudge:1")]
    [InlineData("confirm:forget:1:maybe")]
    [InlineData("confirm:delete-all:1:yes")]
    [InlineData("nudge:1:outcome:Offer")]
    [InlineData("interview:1:decision:someday")]
    [InlineData("interview:1:explode")]
    [InlineData("interview:1:decision:this-week:extra")]
    [InlineData("confirm:same-interview:1:maybe")]
    public async Task UnknownOrMalformedButtonsGetAOneLinerAndChangeNothing(string buttonId)
    {
        await _f.RecordAsync();
        var before = _f.Store.Snapshot();
        var text = ReplyText(await _f.Press(buttonId));
        Assert.DoesNotContain('\n', text);
        Assert.Equal(before, _f.Store.Snapshot());
    }

    [Theory]
    [InlineData("done")]
    [InlineData("snooze")]
    [InlineData("skip")]
    [InlineData("notes")]
    [InlineData("outcome:offer")]
    public async Task AnotherMembersButtonIsRefusedPolitely(string action)
    {
        var interview = await _f.RecordAsync();
        var nudge = _f.NudgesOf(interview, NudgeKind.ThankYou)[0];
        var before = _f.Store.Snapshot();
        var triggers = _f.Scheduler.Triggers;

        var text = ReplyText(await _f.Press($"nudge:{nudge.Id}:{action}", _f.Bob));

        Assert.Equal("That button belongs to someone else's interview, so I left it alone.", text);
        Assert.Equal(before, _f.Store.Snapshot());
        Assert.Equal(triggers, _f.Scheduler.Triggers);
    }

    [Fact]
    public async Task AButtonOfAForgottenInterviewSaysItIsGone()
    {
        var interview = await _f.RecordAsync();
        var nudge = _f.NudgesOf(interview)[0];
        await _f.Store.DeleteAsync(interview.Id, CancellationToken.None);
        Assert.Contains("no longer exists", ReplyText(await _f.Press(new NudgeButton(nudge.Id, NudgeAction.Done).Format())));
    }
}
