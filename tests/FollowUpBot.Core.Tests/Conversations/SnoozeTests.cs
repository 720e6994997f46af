using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using static FollowUpBot.Core.Tests.Conversations.EngineFixture;

namespace FollowUpBot.Core.Tests.Conversations;

public sealed class SnoozeTests
{
    private readonly EngineFixture _f = new();

    [Fact]
    public async Task ASnoozedDebriefHoldsQuietHours()
    {
        // R1: the debrief ignores quiet hours only at T0, because the member is at the keyboard right then.
        // Snoozed at 22:30, "a day later" is 22:30 tomorrow, inside the quiet hours (21:00-08:00): it waits for 08:00.
        _f.Clock.SetUtcNow(_f.Local("2026-12-04T22:30"));
        var interview = await _f.RecordAsync("/interview done company:Acme interviewers:\"Ana Ruiz\" format:video");
        var debrief = _f.NudgesOf(interview, NudgeKind.Debrief).Single();
        Assert.Equal(_f.Local("2026-12-04T22:30"), debrief.DueAt);
        await _f.DeliverAsync(debrief);

        var update = UpdateOf(await _f.Press(new NudgeButton(debrief.Id, NudgeAction.Snooze).Format()));

        var snoozed = _f.Store.Nudges.Single(n => n.Id == debrief.Id);
        Assert.Equal((NudgeState.Snoozed, _f.Local("2026-12-06T08:00")), (snoozed.State, snoozed.DueAt));
        Assert.Equal(snoozed.DueAt, _f.Scheduler.Triggers[debrief.Id]);
        Assert.EndsWith("Snoozed: I'll remind you again Sun 6 Dec 08:00.", update.Text);
    }

    [Fact]
    public async Task ASnoozeKeepsItsDistanceFromTheMembersOtherNudges()
    {
        // The card arrives Saturday 11:00; a day later is Sunday 11:00, an hour before the hold-off at noon, so it
        // comes back two hours after that instead.
        var interview = await _f.RecordAsync("/interview done company:Acme interviewers:\"Ana Ruiz\" format:onsite");
        var card = _f.NudgesOf(interview, NudgeKind.MailCard).Single();
        Assert.Equal(_f.Local("2026-12-06T12:00"), _f.NudgesOf(interview, NudgeKind.HoldOff).Single().DueAt);
        _f.Clock.SetUtcNow(card.DueAt);
        await _f.DeliverAsync(card);

        var update = UpdateOf(await _f.Press(new NudgeButton(card.Id, NudgeAction.Snooze).Format()));

        Assert.Equal(_f.Local("2026-12-06T14:00"), _f.Store.Nudges.Single(n => n.Id == card.Id).DueAt);
        Assert.EndsWith("Snoozed: I'll remind you again Sun 6 Dec 14:00.", update.Text);
    }
}
