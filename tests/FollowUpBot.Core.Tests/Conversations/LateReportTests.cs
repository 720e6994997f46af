using FollowUpBot.Core.Domain;

namespace FollowUpBot.Core.Tests.Conversations;

/// <summary>Interviews recorded after the fact: what is still useful is moved to now, keeping the playbook's spacing.</summary>
public sealed class LateReportTests
{
    private readonly EngineFixture _f = new();

    [Fact]
    public async Task AThankYouMovedToNowKeepsItsReminderThreeHoursBehind()
    {
        // Reported Friday 16:30 for Thursday 22:15. R2 (003, 000 §2): the thank-you (planned Friday 08:00) still counts
        // today and goes out now; its reminder (planned 11:00) must not arrive in the same breath, but 3 hours later.
        var interview = await _f.RecordAsync("/interview done company:Acme interviewers:\"Ana Ruiz\" format:video ended:\"yesterday 22:15\"");

        var thanks = Assert.Single(_f.NudgesOf(interview, NudgeKind.ThankYou));
        var reminder = Assert.Single(_f.NudgesOf(interview, NudgeKind.ThankYouReminder));
        Assert.Equal((NudgeState.Pending, _f.Clock.GetUtcNow()), (thanks.State, thanks.DueAt));
        Assert.Equal((NudgeState.Pending, _f.Local("2026-12-04T19:30")), (reminder.State, reminder.DueAt));
        Assert.Equal(reminder.DueAt, _f.Scheduler.Triggers[reminder.Id]);
    }

    [Fact]
    public async Task AReminderPushedPastQuietHoursWaitsForTheMorning()
    {
        // Reported Friday 19:00 for Thursday 20:30: the thank-you goes out now, its reminder would land at 22:00,
        // inside the default quiet hours (21:00-08:00), so it waits for 08:00.
        _f.Clock.SetUtcNow(_f.Local("2026-12-04T19:00"));
        var interview = await _f.RecordAsync("/interview done company:Acme interviewers:\"Ana Ruiz\" format:video ended:\"yesterday 20:30\"");

        var reminder = Assert.Single(_f.NudgesOf(interview, NudgeKind.ThankYouReminder));
        Assert.Equal(_f.Local("2026-12-05T08:00"), reminder.DueAt);
    }
}
