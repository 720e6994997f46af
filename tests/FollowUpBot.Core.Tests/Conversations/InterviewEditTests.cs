using FollowUpBot.Core.Domain;
using static FollowUpBot.Core.Tests.Conversations.EngineFixture;

namespace FollowUpBot.Core.Tests.Conversations;

/// <summary><c>/interview edit</c> on the real engine: validated like /interview done, then re-planned. Friday 4 December 2026, New York.</summary>
public sealed class InterviewEditTests
{
    private readonly EngineFixture _f = new();

    private IReadOnlyList<Nudge> Waiting(Interview interview, NudgeKind kind) =>
        _f.NudgesOf(interview, kind).Where(n => n.IsScheduled).ToList();

    [Fact]
    public async Task EditingTheDecisionDateReplansTheFollowUpAndSaysWhatMoved()
    {
        var interview = await _f.RecordAsync(); // decision 2026-12-08: follow-up Wed 9 Dec 10:00
        var followUp = _f.NudgesOf(interview, NudgeKind.FollowUp).Single();

        var answer = ReplyText(await _f.Command("/interview edit id:1 decision-date:2026-12-14"));

        Assert.StartsWith("Updated #1 Acme: decision date Tue 8 Dec 2026 → Mon 14 Dec 2026.", answer);
        Assert.Contains("• follow up with the employer: Wed 9 Dec 10:00 → Tue 15 Dec 10:00", answer);
        Assert.Contains("Next: ", answer);
        Assert.Equal(new DateOnly(2026, 12, 14), _f.Reload(interview).DecisionDate);
        var moved = _f.Store.Nudges.Single(n => n.Id == followUp.Id);
        Assert.Equal(_f.Local("2026-12-15T10:00"), moved.DueAt);
        Assert.Equal(moved.DueAt, _f.Scheduler.Triggers[followUp.Id]);
    }

    [Theory]
    [InlineData("/interview edit id:1 format:zoom decision-date:someday", new[] { "format: Format must be phone, video or onsite", "decision-date: I couldn't read \"someday\"" })]
    [InlineData("/interview edit id:1 interviewers:none", new[] { "interviewers: Name at least one interviewer" })]
    [InlineData("/interview edit id:1 company:\"\"", new[] { "company: Company is required" })]
    [InlineData("/interview edit id:1 ended:\"2026-12-05 10:00\"", new[] { "ended: The end time 2026-12-05 10:00 is in the future" })]
    [InlineData("/interview edit id:1 decision-date:2026-12-01", new[] { "decision-date: The decision date 2026-12-01 is before the interview day" })]
    [InlineData("/interview edit id:1 follow-up-invited:maybe role:\"CTO\"", new[] { "follow-up-invited: Answer yes or no" })]
    public async Task AnEditIsValidatedLikeInterviewDoneAndChangesNothingHalfWay(string line, string[] errors)
    {
        await _f.RecordAsync();
        var before = _f.Store.Snapshot();
        var triggers = _f.Scheduler.Triggers.ToDictionary();

        var answer = ReplyText(await _f.Command(line));

        Assert.StartsWith("I could not change #1 Acme, so nothing changed:", answer);
        Assert.All(errors, e => Assert.Contains("• " + e, answer));
        Assert.Contains("For example: /interview edit id:1 ", answer);
        Assert.Equal(before, _f.Store.Snapshot());
        Assert.Equal(triggers, _f.Scheduler.Triggers);
    }

    [Theory]
    [InlineData("/interview edit id:1", "What should I change?")]
    [InlineData("/interview edit id:7 role:CTO", "You have no interview #7.")]
    [InlineData("/interview edit id:two role:CTO", "id should be the interview's number")]
    public async Task AnEditThatSaysNothingOrNamesNoInterviewChangesNothing(string line, string expected)
    {
        await _f.RecordAsync();
        var before = _f.Store.Snapshot();

        Assert.Contains(expected, ReplyText(await _f.Command(line)));
        Assert.Equal(before, _f.Store.Snapshot());
    }

    [Fact]
    public async Task AnotherMembersInterviewCannotBeEdited()
    {
        await _f.RecordAsync();
        var before = _f.Store.Snapshot();

        Assert.Contains("no interview #1", ReplyText(await _f.Command("/interview edit id:1 role:CTO", _f.Bob)));
        Assert.Equal(before, _f.Store.Snapshot());
        Assert.Equal("Backend Engineer", _f.Store.Interviews.Single(i => i.MemberId == _f.Member(_f.Ana).Id).Role);
    }

    [Fact]
    public async Task TheSameValuesAgainChangeNothing()
    {
        await _f.RecordAsync();
        var before = _f.Store.Snapshot();

        var answer = ReplyText(await _f.Command("/interview edit id:1 format:onsite role:\"Backend Engineer\""));

        Assert.Equal("#1 Acme (Backend Engineer) already says that; nothing changed.", answer);
        Assert.Equal(before, _f.Store.Snapshot());
    }

    [Fact]
    public async Task ChangingTheInterviewersCancelsTheThankYousOfThoseRemovedAndPlansThoseAdded()
    {
        var interview = await _f.RecordAsync(); // Ana Ruiz, Ben Ode

        var answer = ReplyText(await _f.Command("/interview edit interviewers:\"Ana Ruiz, Cy Park\""));

        Assert.Contains("interviewers Ana Ruiz, Ben Ode → Ana Ruiz, Cy Park", answer);
        Assert.Equal(["Ana Ruiz", "Cy Park"], Waiting(interview, NudgeKind.ThankYou).Select(n => n.Interviewer).Order());
        Assert.Equal(["Ana Ruiz", "Cy Park"], Waiting(interview, NudgeKind.ThankYouReminder).Select(n => n.Interviewer).Order());
        Assert.All(_f.NudgesOf(interview).Where(n => n.Interviewer == "Ben Ode"), n => Assert.Equal(NudgeState.Cancelled, n.State));
        Assert.Contains("No longer planned: thank Ben Ode; reminder to thank Ben Ode.", answer);
        Assert.Contains("• Fri 4 Dec 18:00: thank Cy Park", answer);
    }

    [Fact]
    public async Task InvitingFollowUpsAddsTheWeeklyCheckInsAndWithdrawingItRemovesThem()
    {
        var interview = await _f.RecordAsync();

        await _f.Command("/interview edit id:1 follow-up-invited:yes");
        Assert.Equal([1, 2, 3, 4, 5], Waiting(interview, NudgeKind.FollowUp).Select(n => n.Sequence));

        var answer = ReplyText(await _f.Command("/interview edit id:1 follow-up-invited:no references:none"));
        Assert.Equal([1], Waiting(interview, NudgeKind.FollowUp).Select(n => n.Sequence));
        Assert.Empty(Waiting(interview, NudgeKind.BriefReferences));
        Assert.Contains("direct follow-up invited yes → no; references Kim Lee → none", answer);
    }

    [Fact]
    public async Task AnEarlierEndTimeMovesTheThankYouAndLeavingItOutKeepsItMonthsLater()
    {
        var interview = await _f.RecordAsync("/interview done company:Acme interviewers:Ana format:video ended:\"2026-12-04 15:00\"");
        _f.Clock.SetUtcNow(_f.Local("2026-12-04T17:00"));

        await _f.Command("/interview edit id:1 ended:\"yesterday 21:10\"");
        Assert.Equal(_f.Local("2026-12-03T21:10"), _f.Reload(interview).EndedAt);
        // Thursday 21:10 + 1 hour was in the night: the thank-you was due Friday 08:00, so it goes out now.
        Assert.Equal(_f.Clock.GetUtcNow(), Waiting(interview, NudgeKind.ThankYou).Single().DueAt);

        // Two months on, the end time is far in the past; an edit that leaves it out keeps it instead of refusing it.
        _f.Clock.SetUtcNow(_f.Local("2027-02-04T10:00"));
        var answer = ReplyText(await _f.Command("/interview edit id:1 role:\"Staff Engineer\""));
        Assert.StartsWith("Updated #1 Acme: role none → Staff Engineer.", answer);
        Assert.Equal(_f.Local("2026-12-03T21:10"), _f.Reload(interview).EndedAt);
    }
}
