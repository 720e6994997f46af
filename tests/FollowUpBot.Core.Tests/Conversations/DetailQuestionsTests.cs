using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using static FollowUpBot.Core.Tests.Conversations.EngineFixture;

namespace FollowUpBot.Core.Tests.Conversations;

/// <summary>
/// A one-line /interview done with only the required options: the details R8, R4 and R5 depend on are asked right
/// after storing, with buttons, answerable later, and each answer re-plans what depends on it.
/// </summary>
public sealed class DetailQuestionsTests
{
    private const string OneLine = "/interview done company:Acme interviewers:\"Ana Ruiz\" format:video";
    private readonly EngineFixture _f = new();

    private async Task<(Interview Interview, Message Questions)> RecordOneLineAsync(string line = OneLine)
    {
        var actions = await _f.Command(line);
        SavedText(actions);
        return (_f.Store.Interviews[^1], Assert.IsType<Reply>(actions[1]).Message);
    }

    private static string Button(Message message, string label) => message.Buttons.Single(b => b.Label == label).Id;

    [Fact]
    public async Task AOneLineInterviewDoneAsksTheSkippedDetailsInOneShortMessage()
    {
        var (interview, questions) = await RecordOneLineAsync();

        Assert.Equal([DetailQuestion.DecisionDate, DetailQuestion.FollowUpInvited, DetailQuestion.References], interview.OpenQuestions);
        Assert.StartsWith("You left out a few details my advice depends on.", questions.Text);
        Assert.Contains("When did they say they would decide? (It times your follow-up.)", questions.Text);
        Assert.Equal(["Deciding this week", "Deciding next week", "Decision date not said", "Other date…", "Invited to follow up", "Not invited",
            "No references", "Add references…"], questions.Buttons.Select(b => b.Label));
        Assert.All(questions.Buttons, b => Assert.StartsWith($"interview:{interview.Id}:", b.Id));
        Assert.True(questions.Text.Length < 400, questions.Text);
    }

    [Fact]
    public async Task OnlyTheDetailsLeftOutAreAsked()
    {
        var (interview, questions) = await RecordOneLineAsync(OneLine + " decision-date:friday references:none");

        Assert.Equal([DetailQuestion.FollowUpInvited], interview.OpenQuestions);
        Assert.Equal(["Invited to follow up", "Not invited"], questions.Buttons.Select(b => b.Label));
    }

    [Fact]
    public async Task NextWeekSetsTheDecisionDateAndMovesTheFollowUpToTheBusinessDayAfter()
    {
        var (interview, questions) = await RecordOneLineAsync();
        var oldFollowUp = _f.NudgesOf(interview, NudgeKind.FollowUp).Single();

        var update = UpdateOf(await _f.Press(Button(questions, "Deciding next week")));

        var stored = _f.Reload(interview);
        Assert.Equal(new DateOnly(2026, 12, 11), stored.DecisionDate);
        Assert.Equal([DetailQuestion.FollowUpInvited, DetailQuestion.References], stored.OpenQuestions);
        Assert.Equal(NudgeState.Cancelled, _f.Store.Nudges.Single(n => n.Id == oldFollowUp.Id).State);
        var followUp = _f.NudgesOf(interview, NudgeKind.FollowUp).Single(n => n.IsScheduled);
        Assert.Equal(_f.Local("2026-12-14T10:00"), followUp.DueAt);
        Assert.Equal(followUp.DueAt, _f.Scheduler.Triggers[followUp.Id]);
        Assert.StartsWith("Saved for #1 Acme: they plan to decide by Fri 11 Dec 2026. Moved: follow up with the employer, now Mon 14 Dec 10:00. Moved: check in on the outcome, now Mon 21 Dec 12:00. Next:", update.Text);
        Assert.Equal(["Invited to follow up", "Not invited", "No references", "Add references…"], update.Buttons.Select(b => b.Label));
    }

    [Fact]
    public async Task ChangingTheAnswerReplansAgainAndNeverDoublesTheFollowUp()
    {
        var (interview, questions) = await RecordOneLineAsync();
        var original = _f.NudgesOf(interview, NudgeKind.FollowUp).Single().DueAt;

        await _f.Press(Button(questions, "Deciding next week"));
        await _f.Press(Button(questions, "Decision date not said"));

        Assert.Null(_f.Reload(interview).DecisionDate);
        var pending = Assert.Single(_f.NudgesOf(interview, NudgeKind.FollowUp), n => n.IsScheduled);
        Assert.Equal(original, pending.DueAt);
        Assert.Single(_f.NudgesOf(interview, NudgeKind.OutcomeCheck), n => n.IsScheduled);
    }

    [Fact]
    public async Task AnInvitationAnsweredLaterPlansTheWeeklyCheckIns()
    {
        var (interview, questions) = await RecordOneLineAsync();
        _f.Clock.Advance(TimeSpan.FromDays(1));

        var update = UpdateOf(await _f.Press(Button(questions, "Invited to follow up")));

        Assert.True(_f.Reload(interview).FollowUpInvited);
        Assert.Equal([1, 2, 3, 4, 5], _f.NudgesOf(interview, NudgeKind.FollowUp).Where(n => n.IsScheduled).Select(n => n.Sequence));
        Assert.Contains("direct follow-up invited", update.Text);
        Assert.Contains("Added 4 nudges, the first follow up with the employer (weekly, 2 of 5), Fri 18 Dec 10:00.", update.Text);
    }

    [Fact]
    public async Task AnotherDateOpensAFormThatAsksAgainOnABadDate()
    {
        var (interview, questions) = await RecordOneLineAsync();

        var form = FormOf(await _f.Press(Button(questions, "Other date…")));
        Assert.Equal(["decision-date"], form.Fields.Select(f => f.Name));
        var before = _f.Store.Snapshot();

        var again = FormOf(await _f.Submit(form.Id, new() { ["decision-date"] = "whenever" }));
        Assert.Contains("couldn't read \"whenever\"", again.Fields[0].Error);
        Assert.Equal("whenever", again.Fields[0].Value);
        Assert.Contains("before the interview day", FormOf(await _f.Submit(form.Id, new() { ["decision-date"] = "2026-12-01" })).Fields[0].Error);
        Assert.Equal(before, _f.Store.Snapshot());

        var text = ReplyText(await _f.Submit(form.Id, new() { ["decision-date"] = "2026-12-16" }));
        Assert.Contains("they plan to decide by Wed 16 Dec 2026", text);
        Assert.Equal(new DateOnly(2026, 12, 16), _f.Reload(interview).DecisionDate);
    }

    [Fact]
    public async Task ReferencesAddedLaterGetTheirBriefing()
    {
        var (interview, questions) = await RecordOneLineAsync();

        var form = FormOf(await _f.Press(Button(questions, "Add references…")));
        Assert.Contains("Name them", FormOf(await _f.Submit(form.Id, new() { ["references"] = "" })).Fields[0].Error);
        var text = ReplyText(await _f.Submit(form.Id, new() { ["references"] = "Kim Lee, Sam Park" }));

        Assert.Contains("references Kim Lee, Sam Park", text);
        Assert.Equal(["Kim Lee", "Sam Park"], _f.Reload(interview).References);
        Assert.Equal(_f.Local("2026-12-05T10:00"), _f.NudgesOf(interview, NudgeKind.BriefReferences).Single(n => n.IsScheduled).DueAt);
    }

    [Fact]
    public async Task NoReferencesClosesTheQuestionAndPlansNothing()
    {
        var (interview, questions) = await RecordOneLineAsync();

        await _f.Press(Button(questions, "No references"));

        Assert.DoesNotContain(DetailQuestion.References, _f.Reload(interview).OpenQuestions);
        Assert.Empty(_f.NudgesOf(interview, NudgeKind.BriefReferences));
    }

    [Fact]
    public async Task UnansweredQuestionsComeBackInShowAndAnswersStillCountDaysLater()
    {
        var (interview, _) = await RecordOneLineAsync();
        _f.Clock.SetUtcNow(_f.Local("2026-12-07T09:00"));

        var shown = Assert.IsType<Reply>(Assert.Single(await _f.Command("/interview show id:1"))).Message;
        Assert.Contains("Still open, whenever you like:", shown.Text);
        await _f.Press(Button(shown, "Deciding this week"));

        Assert.Equal(new DateOnly(2026, 12, 11), _f.Reload(interview).DecisionDate);
        Assert.DoesNotContain(Assert.IsType<Reply>(Assert.Single(await _f.Command("/interview show id:1"))).Message.Buttons,
            b => b.Label.StartsWith("Deciding", StringComparison.Ordinal));
    }

    // A follow-up already logged is not planned again because the decision date arrived late.
    [Fact]
    public async Task ADecisionDateAfterTheFollowUpWasLoggedReplansNoFollowUp()
    {
        var (interview, questions) = await RecordOneLineAsync();
        _f.Clock.SetUtcNow(_f.Local("2026-12-14T10:00"));
        await _f.Command("/interview followup id:1");
        var before = _f.NudgesOf(interview, NudgeKind.FollowUp).Select(n => (n.Id, n.State)).ToList();

        await _f.Press(Button(questions, "Deciding next week"));

        Assert.Equal(before, _f.NudgesOf(interview, NudgeKind.FollowUp).Select(n => (n.Id, n.State)));
    }

    [Fact]
    public async Task SomeoneElsesDetailButtonChangesNothing()
    {
        var (_, questions) = await RecordOneLineAsync();
        var before = _f.Store.Snapshot();

        Assert.Contains("someone else's", ReplyText(await _f.Press(Button(questions, "Deciding next week"), _f.Bob)));
        Assert.Equal(before, _f.Store.Snapshot());
    }

    [Fact]
    public async Task TheFormAsksEveryDetailSoItsAnswerAsksNothingMore()
    {
        await _f.Command("/interview done company:Acme");
        var saved = await _f.Submit(InterviewForm.Id, new() { ["interviewers"] = "Ana Ruiz", ["format"] = "video" });

        Assert.StartsWith("#1 Acme saved", ReplyText(saved));
        Assert.Empty(_f.Store.Interviews[0].OpenQuestions);
    }
}
