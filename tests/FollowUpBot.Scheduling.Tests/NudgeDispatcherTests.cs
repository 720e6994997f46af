using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Scheduling.Tests;

public sealed class NudgeDispatcherTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task NudgeDeliveredExactlyAtItsDueTimeIsNotLate()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var (member, _, nudge) = await h.AddNudgeAsync(NudgeKind.HoldOff, T0);

        Assert.Equal(DispatchOutcome.Delivered, await h.Dispatcher.DispatchAsync(nudge.Id, None));

        var sent = Assert.Single(h.Platform.DirectMessages);
        Assert.Equal(new NudgeHeader(NudgeKind.HoldOff, T0, false), sent.Nudge);
        Assert.Equal(member.Id, sent.To.Id);
        Assert.Equal(NudgeState.Sent, (await h.NudgeAsync(nudge.Id)).State);
        Assert.Contains(sent.Message.Buttons, b => b.Id == $"nudge:{nudge.Id}:done");
    }

    [Fact]
    public async Task HeaderShowsTheDueTimeInTheMembersZone()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var (_, _, nudge) = await h.AddNudgeAsync(NudgeKind.HoldOff, T0, timeZone: "America/New_York");
        h.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 14, 0, 0, TimeSpan.Zero)); // 09:00 in New York

        await h.Dispatcher.DispatchAsync(nudge.Id, None);

        var header = Assert.Single(h.Platform.DirectMessages).Nudge!;
        Assert.Equal(TimeSpan.FromHours(-5), header.LocalDueAt.Offset);
        Assert.Equal(new DateTime(2026, 12, 4, 5, 0, 0), header.LocalDueAt.DateTime);
    }

    [Theory]
    [InlineData(5, false)]
    [InlineData(6, true)]
    public async Task LateWordingStartsAfterLateAfter(int minutesLate, bool late)
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var (_, _, nudge) = await h.AddNudgeAsync(NudgeKind.HoldOff, T0);
        h.Clock.Advance(TimeSpan.FromMinutes(minutesLate));

        await h.Dispatcher.DispatchAsync(nudge.Id, None);

        Assert.Equal(late, Assert.Single(h.Platform.DirectMessages).Nudge!.Late);
    }

    // Wording that fits the moment it arrives: a Friday-evening thank-you says Monday, not "first thing tomorrow", and
    // the member's holiday country (here the community's) counts: before Christmas it names the Monday after.
    [Theory]
    [InlineData("2026-12-04T23:00:00Z", "", "until Monday")] // Friday 18:00 in New York
    [InlineData("2026-12-02T23:00:00Z", "", "first thing tomorrow")] // Wednesday 18:00
    [InlineData("2026-12-24T23:00:00Z", "US", "until Monday")] // Thursday 24 December, Christmas next
    [InlineData("2026-12-24T23:00:00Z", "", "first thing tomorrow")]
    public async Task TheDeliveredThankYouIsWordedForTheMomentItArrives(string at, string holidays, string expected)
    {
        var due = DateTimeOffset.Parse(at);
        await using var h = await DispatcherHarness.CreateAsync(due.AddHours(-2), new Dictionary<string, string?> { ["Bot:HolidayCountry"] = holidays });
        var (_, _, nudge) = await h.AddNudgeAsync(NudgeKind.ThankYou, due, timeZone: "America/New_York");
        h.Clock.SetUtcNow(due);

        await h.Dispatcher.DispatchAsync(nudge.Id, None);

        Assert.Contains(expected, Assert.Single(h.Platform.DirectMessages).Message.Text);
    }

    [Fact]
    public async Task ACardAfterThankYousThatNeverWentOutDoesNotSpeakOfThem()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var (_, interview, card) = await h.AddNudgeAsync(NudgeKind.MailCard, T0);
        await h.Interviews.UpdateAsync(interview, new NudgeChanges(
            [new Nudge(0, 0, 0, NudgeKind.ThankYou, T0.AddDays(-4), "Ana Ruiz", 0, NudgeState.Skipped)], []), None);

        await h.Dispatcher.DispatchAsync(card.Id, None);

        var text = Assert.Single(h.Platform.DirectMessages).Message.Text;
        Assert.DoesNotContain("emailed thanks", text);
        Assert.Contains("a handwritten card by post stands out", text);
    }

    [Fact]
    public async Task NudgeOfAClosedInterviewIsCancelledUnsent()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var (_, interview, nudge) = await h.AddNudgeAsync(NudgeKind.FollowUp, T0);
        await h.Interviews.UpdateAsync(interview with { Outcome = Outcome.Rejected, OutcomeAt = T0 }, NudgeChanges.None, None);

        Assert.Equal(DispatchOutcome.Cancelled, await h.Dispatcher.DispatchAsync(nudge.Id, None));

        Assert.Empty(h.Platform.DirectMessages);
        Assert.Equal(NudgeState.Cancelled, (await h.NudgeAsync(nudge.Id)).State);
    }

    [Fact]
    public async Task OutcomeNudgeOfAClosedInterviewStillGoesOut()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var (_, interview, nudge) = await h.AddNudgeAsync(NudgeKind.AskFeedback, T0);
        await h.Interviews.UpdateAsync(interview with { Outcome = Outcome.Rejected, OutcomeAt = T0 }, NudgeChanges.None, None);

        Assert.Equal(DispatchOutcome.Delivered, await h.Dispatcher.DispatchAsync(nudge.Id, None));
    }

    // The playbook, not a list in the dispatcher, says which steps survive an outcome: the offer's deadline reminder
    // goes out while the offer is on the table, the round's follow-up does not.
    [Theory]
    [InlineData(NudgeKind.OfferDeadline, Outcome.Offer, DispatchOutcome.Delivered)]
    [InlineData(NudgeKind.ThankReferences, Outcome.Accepted, DispatchOutcome.Delivered)]
    [InlineData(NudgeKind.LetItRest, Outcome.NoReply, DispatchOutcome.Delivered)]
    [InlineData(NudgeKind.PrepareRound, Outcome.NextRound, DispatchOutcome.Delivered)]
    [InlineData(NudgeKind.FollowUp, Outcome.Offer, DispatchOutcome.Cancelled)]
    [InlineData(NudgeKind.KeepSearching, Outcome.ClosedNoReply, DispatchOutcome.Cancelled)]
    [InlineData(NudgeKind.ThankYouReminder, Outcome.NextRound, DispatchOutcome.Delivered)]
    public async Task StepsThePlaybookLetSurviveAnOutcomeStillGoOut(NudgeKind kind, Outcome outcome, DispatchOutcome expected)
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var (_, interview, nudge) = await h.AddNudgeAsync(kind, T0);
        await h.Interviews.UpdateAsync(interview with { Outcome = outcome, OutcomeAt = T0, NextRoundAt = T0.AddDays(1), OfferDeadline = new DateOnly(2026, 12, 5) },
            NudgeChanges.None, None);

        Assert.Equal(expected, await h.Dispatcher.DispatchAsync(nudge.Id, None));
    }

    // record_offer names the member's other open applications, prepare_round the notes of every round: the dispatcher
    // reads the member's other interviews for them.
    [Fact]
    public async Task TheOfferNudgeNamesTheMembersOtherOpenApplications()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var (member, interview, nudge) = await h.AddNudgeAsync(NudgeKind.RecordOffer, T0);
        await h.Interviews.UpdateAsync(interview with { Outcome = Outcome.Offer, OutcomeAt = T0 }, NudgeChanges.None, None);
        foreach (var company in new[] { "Beta", "Gamma" })
            await h.Interviews.AddAsync(interview with { Id = 0, ProcessId = 0, Company = company, Outcome = null, OutcomeAt = null }, [], None);

        await h.Dispatcher.DispatchAsync(nudge.Id, None);

        Assert.Contains("Still talking to Beta and Gamma?", Assert.Single(h.Platform.DirectMessages).Message.Text);
    }

    [Fact]
    public async Task ThePreparationQuotesTheDebriefNotesOfEveryRound()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var (_, first, _) = await h.AddNudgeAsync(NudgeKind.Debrief, T0);
        await h.Interviews.UpdateAsync(first with { Notes = "Froze on Kafka", Outcome = Outcome.NextRound, OutcomeAt = T0 }, NudgeChanges.None, None);
        var (second, nudges) = await h.Interviews.AddAsync(first with { Id = 0, Round = 2, Notes = "System design went well", Outcome = null },
            [new Nudge(0, 0, 0, NudgeKind.PrepareRound, T0, null, 0, NudgeState.Pending)], None);
        await h.Interviews.UpdateAsync(second with { Outcome = Outcome.NextRound, OutcomeAt = T0, NextRoundAt = T0.AddDays(1) }, NudgeChanges.None, None);

        Assert.Equal(DispatchOutcome.Delivered, await h.Dispatcher.DispatchAsync(nudges[0].Id, None));

        // The first round's debrief, due at the same time, goes out with it (one claim for the nudges due together).
        var text = Assert.Single(h.Platform.DirectMessages, m => m.DeliveryKey == nudges[0].DeliveryKey).Message.Text;
        Assert.Contains("Your round 3 with Acme is on Saturday 5 December at 10:00.", text);
        Assert.Contains("round 1: Froze on Kafka / round 2: System design went well", text);
    }

    [Fact]
    public async Task NudgeThatIsNoLongerPendingIsNotSent()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var (_, _, nudge) = await h.AddNudgeAsync(NudgeKind.HoldOff, T0);
        await h.Nudges.ChangeStateAsync(nudge.Id, [NudgeState.Pending], NudgeState.Done, null, None);

        Assert.Equal(DispatchOutcome.NotClaimable, await h.Dispatcher.DispatchAsync(nudge.Id, None));
        Assert.Equal(DispatchOutcome.NotClaimable, await h.Dispatcher.DispatchAsync(12345, None));
        Assert.Empty(h.Platform.DirectMessages);
    }

    [Fact]
    public async Task StaleNudgeIsSkipped()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var (_, _, nudge) = await h.AddNudgeAsync(NudgeKind.HoldOff, T0);
        h.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1)); // hold_off allows one day

        Assert.Equal(DispatchOutcome.Skipped, await h.Dispatcher.DispatchAsync(nudge.Id, None));
        Assert.Empty(h.Platform.DirectMessages);
        Assert.Equal(NudgeState.Skipped, (await h.NudgeAsync(nudge.Id)).State);
    }

    [Fact]
    public async Task QuietHoursDeferToTheMorningAndReschedule()
    {
        var evening = new DateTimeOffset(2026, 12, 4, 22, 0, 0, TimeSpan.Zero);
        var morning = new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
        await using var h = await DispatcherHarness.CreateAsync(evening);
        var (_, _, nudge) = await h.AddNudgeAsync(NudgeKind.HoldOff, evening);

        Assert.Equal(DispatchOutcome.Deferred, await h.Dispatcher.DispatchAsync(nudge.Id, None));

        Assert.Empty(h.Platform.DirectMessages);
        var deferred = await h.NudgeAsync(nudge.Id);
        Assert.Equal((NudgeState.Pending, morning), (deferred.State, deferred.DueAt));
        Assert.Equal(morning, h.Scheduler.Triggers[nudge.Id]);
    }

    [Fact]
    public async Task DebriefIgnoresQuietHours()
    {
        var night = new DateTimeOffset(2026, 12, 4, 23, 30, 0, TimeSpan.Zero);
        await using var h = await DispatcherHarness.CreateAsync(night);
        var (_, _, nudge) = await h.AddNudgeAsync(NudgeKind.Debrief, night);

        Assert.Equal(DispatchOutcome.Delivered, await h.Dispatcher.DispatchAsync(nudge.Id, None));
    }

    [Fact]
    public async Task ALateDebriefWaitsOutQuietHours()
    {
        // R1: the debrief skips quiet hours only at T0. One that fell due at 18:00 while the bot was down
        // and is found at 23:30 waits for the morning like every other nudge.
        var night = new DateTimeOffset(2026, 12, 4, 23, 30, 0, TimeSpan.Zero);
        await using var h = await DispatcherHarness.CreateAsync(night);
        var (_, _, nudge) = await h.AddNudgeAsync(NudgeKind.Debrief, night.AddHours(-5.5));

        Assert.Equal(DispatchOutcome.Deferred, await h.Dispatcher.DispatchAsync(nudge.Id, None));
        Assert.Empty(h.Platform.DirectMessages);
        var deferred = await h.Nudges.GetAsync(nudge.Id, None);
        Assert.Equal(NudgeState.Pending, deferred!.State);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero), deferred.DueAt);
    }

    [Fact]
    public async Task QuietHoursDeferralBeyondMaxLatenessSkips()
    {
        // thank_you_reminder may be 12 hours late; due at 19:30 and found at 22:00, 08:00 would be 12.5 hours late.
        var evening = new DateTimeOffset(2026, 12, 4, 22, 0, 0, TimeSpan.Zero);
        await using var h = await DispatcherHarness.CreateAsync(evening);
        var (_, _, nudge) = await h.AddNudgeAsync(NudgeKind.ThankYouReminder, evening.AddMinutes(-150));

        Assert.Equal(DispatchOutcome.Skipped, await h.Dispatcher.DispatchAsync(nudge.Id, None));
        Assert.Empty(h.Platform.DirectMessages);
    }

    [Fact]
    public async Task RetriesBackOffThenFail()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0, new Dictionary<string, string?>
        {
            ["Delivery:MaxAttempts"] = "4",
            ["Delivery:FirstRetryDelay"] = "00:01:00",
        });
        var (_, _, nudge) = await h.AddNudgeAsync(NudgeKind.HoldOff, T0);
        h.Platform.Respond = _ => new DeliveryResult(DeliveryStatus.RetryLater, "server error");

        var delays = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.Equal(DispatchOutcome.Retrying, await h.Dispatcher.DispatchAsync(nudge.Id, None));
            var released = await h.NudgeAsync(nudge.Id);
            delays.Add(released.DueAt - h.Clock.GetUtcNow());
            Assert.Equal(released.DueAt, h.Scheduler.Triggers[nudge.Id]);
            h.Clock.SetUtcNow(released.DueAt);
        }
        Assert.Equal(DispatchOutcome.Failed, await h.Dispatcher.DispatchAsync(nudge.Id, None));

        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4)], delays);
        var failed = await h.NudgeAsync(nudge.Id);
        Assert.Equal((NudgeState.Failed, "server error"), (failed.State, failed.LastError));
        Assert.Equal(4, h.Platform.DirectMessages.Count);
        Assert.Single(h.Platform.DirectMessages.Select(m => m.DeliveryKey).Distinct());
    }

    [Fact]
    public async Task RetryAfterFromThePlatformWins()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var (_, _, nudge) = await h.AddNudgeAsync(NudgeKind.HoldOff, T0);
        h.Platform.FailNext(DeliveryStatus.RetryLater, retryAfter: TimeSpan.FromSeconds(30));

        Assert.Equal(DispatchOutcome.Retrying, await h.Dispatcher.DispatchAsync(nudge.Id, None));
        Assert.Equal(T0.AddSeconds(30), (await h.NudgeAsync(nudge.Id)).DueAt);
    }

    [Fact]
    public async Task UnreachableMemberFailsTheNudgeAndIsMarked()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var (member, _, nudge) = await h.AddNudgeAsync(NudgeKind.HoldOff, T0);
        h.Platform.FailNext(DeliveryStatus.Unreachable, detail: "DMs closed");

        Assert.Equal(DispatchOutcome.Failed, await h.Dispatcher.DispatchAsync(nudge.Id, None));

        Assert.Equal((NudgeState.Failed, "DMs closed"), ((await h.NudgeAsync(nudge.Id)).State, (await h.NudgeAsync(nudge.Id)).LastError));
        var marked = await h.Members.GetAsync(member.Id, None);
        Assert.Equal((T0, true), (marked!.UnreachableSince, marked.UnreachableNoticePending));
        Assert.Empty(h.Scheduler.Triggers);
    }

    [Fact]
    public async Task PermanentFailureIsNotRetried()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var (_, _, nudge) = await h.AddNudgeAsync(NudgeKind.HoldOff, T0);
        h.Platform.FailNext(DeliveryStatus.PermanentFailure, detail: "unknown channel");

        Assert.Equal(DispatchOutcome.Failed, await h.Dispatcher.DispatchAsync(nudge.Id, None));
        Assert.Equal(NudgeState.Failed, (await h.NudgeAsync(nudge.Id)).State);
        Assert.Empty(h.Scheduler.Triggers);
    }

    [Fact]
    public async Task PlatformExceptionRetriesAndWarnsOfAPossibleRepeat()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var (_, _, nudge) = await h.AddNudgeAsync(NudgeKind.HoldOff, T0);
        var calls = 0;
        h.Platform.Respond = _ => ++calls == 1 ? throw new HttpRequestException("connection reset") : DeliveryResult.Delivered;

        Assert.Equal(DispatchOutcome.Retrying, await h.Dispatcher.DispatchAsync(nudge.Id, None));
        h.Clock.SetUtcNow((await h.NudgeAsync(nudge.Id)).DueAt);
        Assert.Equal(DispatchOutcome.Delivered, await h.Dispatcher.DispatchAsync(nudge.Id, None));

        Assert.Equal([false, true], h.Platform.DirectMessages.Select(m => m.PossibleRepeat));
    }

    [Fact]
    public async Task MemberOnAPlatformThatIsNotRunningIsRetriedLater()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        // A member whose platform has no adapter in this process (switched off for now).
        var stranger = await h.Members.SaveAsync(new Member(0, new MemberKey("elsewhere", "w", "u"), "UTC",
            QuietHours.Default, false, T0, T0), None);
        var (_, nudges) = await h.Interviews.AddAsync(
            new Interview(0, stranger.Id, 0, "Acme", null, ["Ana"], InterviewFormat.Phone, T0, null, false, [], null, T0),
            [new Nudge(0, 0, 0, NudgeKind.HoldOff, T0, null, 0, NudgeState.Pending)], None);

        Assert.Equal(DispatchOutcome.Retrying, await h.Dispatcher.DispatchAsync(nudges[0].Id, None));
        Assert.Contains("elsewhere", (await h.NudgeAsync(nudges[0].Id)).LastError);
        Assert.Empty(h.Platform.DirectMessages);
    }

    [Fact]
    public async Task InterruptedSendIsResumedAsAPossibleRepeat()
    {
        await using var h = await DispatcherHarness.CreateAsync(T0);
        var (_, _, nudge) = await h.AddNudgeAsync(NudgeKind.HoldOff, T0);
        await h.Nudges.TryClaimAsync(nudge.Id, T0, None);

        Assert.Equal(DispatchOutcome.Delivered, await h.Dispatcher.ResumeInterruptedAsync(nudge.Id, None));
        Assert.Equal(DispatchOutcome.NotClaimable, await h.Dispatcher.ResumeInterruptedAsync(nudge.Id, None));

        Assert.True(Assert.Single(h.Platform.DirectMessages).PossibleRepeat);
    }
}
