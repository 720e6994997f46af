using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using static FollowUpBot.Core.Tests.Conversations.EngineFixture;

namespace FollowUpBot.Core.Tests.Conversations;

/// <summary>
/// The same interview recorded twice (that company, no outcome yet, ended within a day): the bot asks first, stores
/// nothing until the member answers, and keeps every answer they typed meanwhile.
/// </summary>
public sealed class RepeatInterviewTests
{
    private const string Again = "/interview done company:\"Acme\" interviewers:\"Ana\" format:video";
    private readonly EngineFixture _f = new();

    private async Task<Message> AskedAsync(string line = Again)
    {
        var ask = Assert.IsType<Reply>(Assert.Single(await _f.Command(line))).Message;
        Assert.Equal(2, ask.Buttons.Count);
        return ask;
    }

    [Fact]
    public async Task TheSameInterviewTwiceIsAskedAboutAndNothingIsStored()
    {
        await _f.RecordAsync(Again);
        var before = _f.Store.Snapshot();
        var triggers = _f.Scheduler.Triggers.Count;

        var ask = await AskedAsync();

        Assert.Contains("You already recorded #1 Acme: video, ended Fri 4 Dec 16:30.", ask.Text);
        Assert.Contains("I stored nothing yet", ask.Text);
        Assert.Equal(["Yes, record it too", "No, the same one"], ask.Buttons.Select(b => b.Label));
        Assert.Equal(before, _f.Store.Snapshot());
        Assert.Equal(triggers, _f.Scheduler.Triggers.Count);
    }

    [Fact]
    public async Task ConfirmingStoresItAsTheNextRoundWithEveryAnswerAsTyped()
    {
        await _f.RecordAsync(Again);
        var ask = await AskedAsync("/interview done company:Acme interviewers:\"Ben Ode\" format:onsite ended:16:00 notes:\"Second panel\" decision-date:\"next week\"");
        _f.Clock.Advance(TimeSpan.FromHours(5)); // answered later: "16:00" and "next week" still mean what they meant

        var actions = await _f.Press(ask.Buttons[0].Id);

        Assert.StartsWith("#2 Acme saved as round 2", UpdateOf(actions.Take(1).ToList()).Text);
        var second = _f.Store.Interviews.Single(i => i.Number == 2);
        Assert.Equal(["Ben Ode"], second.Interviewers);
        Assert.Equal((InterviewFormat.Onsite, "Second panel"), (second.Format, second.Notes));
        Assert.Equal(_f.Local("2026-12-04T16:00"), second.EndedAt);
        Assert.Equal(new DateOnly(2026, 12, 11), second.DecisionDate);
        Assert.Equal((_f.Store.Interviews[0].Id, 2), (second.ProcessId, second.Round));
        // The details the one-line command left out are still asked.
        Assert.Equal([DetailQuestion.FollowUpInvited, DetailQuestion.References], second.OpenQuestions);
        Assert.Equal(2, actions.Count);
        Assert.Null(_f.Store.Draft(_f.Member(_f.Ana).Id, InterviewForm.Id));
    }

    [Fact]
    public async Task TheSameOneStoresNothingAndDropsTheHeldAnswers()
    {
        await _f.RecordAsync(Again);
        var ask = await AskedAsync();
        var before = _f.Store.Snapshot();

        var update = UpdateOf(await _f.Press(ask.Buttons[1].Id));

        Assert.Equal("Nothing stored: #1 Acme stays as it was.", update.Text);
        Assert.Equal(before, _f.Store.Snapshot());
        Assert.Null(_f.Store.Draft(_f.Member(_f.Ana).Id, InterviewForm.Id));
    }

    [Fact]
    public async Task AConfirmationPressedTwiceOrAfterNewAnswersChangesNothing()
    {
        await _f.RecordAsync(Again);
        var ask = await AskedAsync();
        await _f.Press(ask.Buttons[0].Id);
        var before = _f.Store.Snapshot();

        Assert.Contains("Nothing is waiting for this answer any more", UpdateOf(await _f.Press(ask.Buttons[0].Id)).Text);
        Assert.Equal(before, _f.Store.Snapshot());
    }

    [Fact]
    public async Task AConfirmationIsAnsweredOnlyByTheMemberAsked()
    {
        await _f.RecordAsync(Again);
        var ask = await AskedAsync();
        var before = _f.Store.Snapshot();

        Assert.Contains("Nothing is waiting", UpdateOf(await _f.Press(ask.Buttons[0].Id, _f.Bob)).Text);
        Assert.Equal(before, _f.Store.Snapshot());
    }

    [Fact]
    public async Task TheFormPathAsksToo()
    {
        await _f.RecordAsync(Again);
        await _f.Command("/interview done company:Acme interviewers:Ana");

        var ask = Assert.IsType<Reply>(Assert.Single(await _f.Submit(InterviewForm.Id, new() { ["format"] = "video" }))).Message;

        Assert.Contains("You already recorded #1 Acme", ask.Text);
        Assert.Single(_f.Store.Interviews);
        Assert.Equal("Ana", _f.Store.Draft(_f.Member(_f.Ana).Id, InterviewForm.Id)!["interviewers"]);
    }

    [Fact]
    public async Task TwoDaysLaterItIsTheNextRoundWithoutAQuestion()
    {
        await _f.RecordAsync(Again);
        _f.Clock.Advance(TimeSpan.FromDays(2));

        var second = await _f.RecordAsync(Again);

        Assert.Equal(2, second.Round);
    }

    [Fact]
    public async Task AnotherCompanyTheSameDayIsNotAskedAbout()
    {
        await _f.RecordAsync(Again);

        var second = await _f.RecordAsync(Again.Replace("Acme", "Beta"));

        Assert.Equal((second.Id, 1), (second.ProcessId, second.Round));
    }

    // A next round recorded the same day is expected, not a repeat.
    [Fact]
    public async Task AfterANextRoundOutcomeTheSameDayIsNotAskedAbout()
    {
        await _f.RecordAsync(Again);
        await _f.Command("/interview outcome result:next-round");

        var second = await _f.RecordAsync(Again);

        Assert.Equal(2, second.Round);
    }
}
