using System.Text.Json.Nodes;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Playbooks;

namespace FollowUpBot.Core.Tests.Playbooks;

public class PlaybookTests
{
    private static string ShippedJson => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "playbook.json"));

    private static Playbook Shipped => Playbook.Parse(ShippedJson);

    [Fact]
    public void ShippedPlaybookHasOneStepPerKind()
    {
        var playbook = Shipped;

        Assert.Equal(Enum.GetValues<NudgeKind>().Order(), playbook.Steps.Select(s => s.Kind).Order());
    }

    [Theory]
    [InlineData(NudgeKind.Debrief, "R1", "001 §3")]
    [InlineData(NudgeKind.ThankYou, "R2", "003")]
    [InlineData(NudgeKind.ThankYouReminder, "R2", "002")]
    [InlineData(NudgeKind.MailCard, "R2", "004 §10")]
    [InlineData(NudgeKind.HoldOff, "R3", "000 §3")]
    [InlineData(NudgeKind.FollowUp, "R4", "004 §13")]
    [InlineData(NudgeKind.BriefReferences, "R5", "001 §5")]
    [InlineData(NudgeKind.ThankReferences, "R5", "001 §5")]
    [InlineData(NudgeKind.KeepSearching, "R6", "001 §4")]
    [InlineData(NudgeKind.OutcomeCheck, "R7", "002")]
    [InlineData(NudgeKind.AskFeedback, "R7", "003")]
    [InlineData(NudgeKind.RecordOffer, "R7", "002")]
    [InlineData(NudgeKind.RecordOffer, "R7", "001 §4")]
    [InlineData(NudgeKind.PrepareRound, "R1", "001 §3")]
    [InlineData(NudgeKind.LetItRest, "R4", "001 §2")]
    [InlineData(NudgeKind.LetItRest, "R4", "003")]
    [InlineData(NudgeKind.OfferDeadline, "R7", "001 §4")]
    public void EachStepNamesItsRuleAndSources(NudgeKind kind, string rule, string source)
    {
        var step = Shipped.Step(kind);

        Assert.Equal(rule, step.Rule);
        Assert.Contains(source, step.Sources);
        Assert.True(step.MaxLateness > TimeSpan.Zero);
        Assert.NotEqual(step.Text, step.LateText);
    }

    // R8, 002, 003: the timeline question is worded by the playbook.
    [Fact]
    public void DecisionDateQuestionEncodesR8()
    {
        var question = Shipped.Question(PlaybookQuestion.DecisionDate);

        Assert.Equal("R8", question.Rule);
        Assert.Equal(["002", "003"], question.Sources);
        Assert.Contains("not said", question.Text);
        Assert.InRange(question.Hint!.Length, 1, 100);
    }

    [Fact]
    public void ShippedPlaybookStoresBusinessAndQuietHours()
    {
        var playbook = Shipped;

        Assert.Equal(new TimeOnly(9, 0), playbook.BusinessHours.Start);
        Assert.Equal(new TimeOnly(17, 0), playbook.BusinessHours.End);
        Assert.Equal(
            [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
            playbook.BusinessHours.Days.Order());
        Assert.Equal(new QuietHours(new TimeOnly(21, 0), new TimeOnly(8, 0)), playbook.DefaultQuietHours);
        Assert.Equal(TimeSpan.FromDays(1), playbook.SnoozeFor);
    }

    [Fact]
    public void QuietHoursHoldForEveryStepButTheDebrief()
    {
        Assert.All(Shipped.Steps, s => Assert.Equal(s.Kind != NudgeKind.Debrief, s.QuietHoursApply));
        Assert.All(Shipped.Steps, s => Assert.Equal(s.Kind == NudgeKind.FollowUp, s.BusinessHoursApply));
    }

    [Fact]
    public void FollowUpRepeatsOnlyWhenInvited()
    {
        var repeat = Shipped.Step(NudgeKind.FollowUp).Repeat!;

        Assert.Equal([PlanCondition.FollowUpInvited], repeat.When);
        Assert.Equal(5, repeat.Total);
        Assert.Equal(7, repeat.Every.Days);
    }

    [Theory]
    [InlineData("P2D", 2, "00:00:00")]
    [InlineData("P1W", 7, "00:00:00")]
    [InlineData("PT1H", 0, "01:00:00")]
    [InlineData("P1DT12H", 1, "12:00:00")]
    [InlineData("pt90m", 0, "01:30:00")]
    [InlineData("PT0S", 0, "00:00:00")]
    public void DurationsAreReadAsIso8601(string text, int days, string time)
    {
        Assert.True(Iso8601Duration.TryParse(text, out var duration));
        Assert.Equal(new PlaybookDuration(days, TimeSpan.Parse(time)), duration);
    }

    [Theory]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1DT")]
    [InlineData("P1Y")]
    [InlineData("1 day")]
    [InlineData("--P1D")]
    public void OtherDurationsAreRefused(string text) => Assert.False(Iso8601Duration.TryParse(text, out _));

    [Fact]
    public void ALeadingMinusCountsBack()
    {
        Assert.True(Iso8601Duration.TryParse("-P1D", out var duration));
        Assert.Equal(new PlaybookDuration(-1, TimeSpan.Zero), duration);
        Assert.True(duration.IsNegative);
        Assert.Equal("-P1D", duration.ToString());
    }

    // The evening before the next round and the day before an offer's deadline count back from a date the member gives.
    [Theory]
    [InlineData(NudgeKind.PrepareRound, PlanAnchor.NextRound, Outcome.NextRound, -1, 18)]
    [InlineData(NudgeKind.OfferDeadline, PlanAnchor.OfferDeadline, Outcome.Offer, -1, 10)]
    [InlineData(NudgeKind.LetItRest, PlanAnchor.CloseAfterNoReply, Outcome.NoReply, 0, 10)]
    public void TheNewStepsCountFromTheirStagesDate(NudgeKind kind, PlanAnchor anchor, Outcome outcome, int days, int hour)
    {
        var timing = Assert.Single(Shipped.Step(kind).Timing);

        Assert.Equal((anchor, days, new TimeOnly(hour, 0)), (timing.Anchor, timing.Delay.Days, timing.At!.Value));
        Assert.Equal([outcome], timing.Outcomes);
        Assert.True(Shipped.Step(kind).QuietHoursApply);
    }

    [Fact]
    public void TheNoReplyWindowIsThePlaybooksCloseAfterNoReply() =>
        Assert.Equal(new PlaybookDuration(21, TimeSpan.Zero), Shipped.CloseAfterNoReply);

    // The dispatcher cancels a step as moot once the round has an outcome, unless the playbook says it survives one.
    [Fact]
    public void OnlyTheStepsAboutAnOutcomeSurviveOne() =>
        Assert.Equal(
            [NudgeKind.AskFeedback, NudgeKind.RecordOffer, NudgeKind.ThankReferences, NudgeKind.PrepareRound, NudgeKind.LetItRest, NudgeKind.OfferDeadline],
            Shipped.Steps.Where(s => s.SurvivesOutcome).Select(s => s.Kind));

    [Fact]
    public void ThePlaybookSaysWhichButtonsANudgeHas()
    {
        Assert.Equal([StepButton.AddNotes, StepButton.Done, StepButton.Snooze, StepButton.Skip], Shipped.Step(NudgeKind.Debrief).Buttons);
        Assert.Equal([StepButton.Offer, StepButton.NextRound, StepButton.Rejected, StepButton.Waiting, StepButton.NoReply, StepButton.Withdrawn, StepButton.Snooze],
            Shipped.Step(NudgeKind.OutcomeCheck).Buttons);
        Assert.Equal([StepButton.Accepted, StepButton.Declined, StepButton.Snooze], Shipped.Step(NudgeKind.OfferDeadline).Buttons);
        Assert.Equal([StepButton.CloseProcess, StepButton.KeepOpen, StepButton.Snooze], Shipped.Step(NudgeKind.LetItRest).Buttons);
        Assert.Contains(StepButton.SetDeadline, Shipped.Step(NudgeKind.RecordOffer).Buttons);
        Assert.Equal([StepButton.Done, StepButton.Snooze, StepButton.Skip], Shipped.Step(NudgeKind.HoldOff).Buttons);
    }

    [Fact]
    public void OutcomeNotesCarryTheAdviceThatGoesWithAnAnswer()
    {
        var withdrawn = Shipped.OutcomeNotes[Outcome.Withdrawn];
        Assert.Equal("R7", withdrawn.Rule);
        Assert.Contains("thank them", withdrawn.Text);
        Assert.Contains("no reasons", withdrawn.Text);
        Assert.Contains("right amount of contact", Shipped.OutcomeNotes[Outcome.NoReply].Text);
        Assert.False(Shipped.OutcomeNotes.ContainsKey(Outcome.Rejected)); // ask_feedback is the one consolation
    }

    [Fact]
    public void TextsAcceptASingleString()
    {
        var json = Mutate(root => Step(root, "hold_off")["text"] = "Hold on, {company} is deciding.");

        Assert.Equal("Hold on, {company} is deciding.", Playbook.Parse(json).Step(NudgeKind.HoldOff).Text);
    }

    public static TheoryData<string, Action<JsonObject>, string[]> BadPlaybooks => new()
    {
        { "unknown kind", r => Step(r, "hold_off")["kind"] = "hold_on", ["step #", "'kind'", "'hold_on'", "not a nudge kind"] },
        { "missing kind", r => Step(r, "hold_off").Remove("kind"), ["step #", "'kind'", "missing"] },
        { "absent step", r => Steps(r).Remove(Step(r, "mail_card")), ["no step for 'mail_card'"] },
        { "duplicate step", r => Steps(r).Add(Step(r, "hold_off").DeepClone()), ["'hold_off'", "twice"] },
        { "bad delay", r => Timing(r, "hold_off")["delay"] = "2 days", ["'hold_off'", "timing[0].delay", "ISO-8601"] },
        { "months", r => Timing(r, "hold_off")["delay"] = "P1M", ["'hold_off'", "timing[0].delay", "'P1M'"] },
        { "hours with at", r => Timing(r, "hold_off")["delay"] = "PT2H", ["'hold_off'", "timing[0].delay", "whole days"] },
        { "bad time", r => Timing(r, "hold_off")["at"] = "25:00", ["'hold_off'", "timing[0].at", "'25:00'"] },
        { "bad lateness", r => Step(r, "thank_you")["maxLateness"] = "soon", ["'thank_you'", "maxLateness", "'soon'"] },
        { "no lateness", r => Step(r, "thank_you").Remove("maxLateness"), ["'thank_you'", "maxLateness", "missing"] },
        { "missing sources", r => Step(r, "thank_you").Remove("sources"), ["'thank_you'", "'sources'", "missing"] },
        { "empty sources", r => Step(r, "thank_you")["sources"] = new JsonArray(), ["'thank_you'", "'sources'", "missing"] },
        { "bad source", r => Step(r, "thank_you")["sources"] = new JsonArray("a blog"), ["'thank_you'", "'sources'", "'a blog'"] },
        { "missing rule", r => Step(r, "thank_you").Remove("rule"), ["'thank_you'", "'rule'", "missing"] },
        { "bad rule", r => Step(r, "thank_you")["rule"] = "rule two", ["'thank_you'", "'rule'", "'rule two'"] },
        { "unknown placeholder", r => Step(r, "debrief")["text"] = "Well done at {firm}.", ["'debrief'", "'text'", "{firm}"] },
        { "unmatched brace", r => Step(r, "debrief")["lateText"] = "Well done at {company.", ["'debrief'", "'lateText'", "unmatched"] },
        { "interviewer outside thanks", r => Step(r, "follow_up")["text"] = "Write to {interviewer}.", ["'follow_up'", "'text'", "{interviewer}"] },
        { "text too long", r => Step(r, "debrief")["text"] = new string('x', 1801), ["'debrief'", "'text'", "too long", "1801"] },
        { "long names overflow", r => Step(r, "debrief")["text"] = new string('x', 800) + " {interviewers} {references}", ["'debrief'", "'text'", "too long"] },
        { "missing text", r => Step(r, "debrief").Remove("text"), ["'debrief'", "'text'", "missing"] },
        { "bad condition", r => Step(r, "mail_card")["when"] = new JsonArray("in_person"), ["'mail_card'", "'when'", "'in_person'", "format_onsite"] },
        { "bad timing condition", r => Timing(r, "follow_up")["when"] = new JsonArray("decision_given"), ["'follow_up'", "timing[0].when", "'decision_given'"] },
        { "bad anchor", r => Timing(r, "hold_off")["anchor"] = "interview_start", ["'hold_off'", "timing[0].anchor", "'interview_start'"] },
        { "bad outcome", r => Timing(r, "ask_feedback")["outcomes"] = new JsonArray("hired"), ["'ask_feedback'", "outcomes", "'hired'"] },
        { "outcome timing without outcomes", r => Timing(r, "ask_feedback").Remove("outcomes"), ["'ask_feedback'", "outcomes", "must list"] },
        { "no timing", r => Step(r, "hold_off")["timing"] = new JsonArray(), ["'hold_off'", "'timing'", "missing or empty"] },
        { "bad repeat", r => Step(r, "follow_up")["repeat"]!["total"] = 50, ["'follow_up'", "repeat.total"] },
        { "bad scope", r => Step(r, "thank_you")["onePer"] = "person", ["'thank_you'", "onePer", "'person'"] },
        { "no quiet hours flag", r => Step(r, "thank_you").Remove("quietHours"), ["'thank_you'", "quietHours", "missing"] },
        { "self-anchored", r => Timing(r, "thank_you")["anchor"] = "thank_you", ["'thank_you'", "depends on itself"] },
        { "unknown field", r => Step(r, "hold_off")["dely"] = "P2D", ["unknown field 'dely'", "$.steps[5]"] },
        { "wrong type", r => Step(r, "hold_off")["quietHours"] = "yes", ["wrong kind", "$.steps[5].quietHours"] },
        { "bad business day", r => r["businessHours"]!["days"] = new JsonArray("funday"), ["businessHours.days", "'funday'"] },
        { "bad quiet hours", r => r["defaultQuietHours"] = "late", ["defaultQuietHours", "'late'"] },
        { "no R8 question", r => r["questions"]!.AsObject().Remove("decision-date"), ["questions", "decision-date", "R8"] },
        { "closing margin eats the day", r => r["businessHours"]!["closingMargin"] = "PT8H", ["businessHours.closingMargin", "leave some business hours"] },
        { "bad closing margin", r => r["businessHours"]!["closingMargin"] = "an hour", ["businessHours.closingMargin", "'an hour'"] },
        { "spacing too long", r => r["spacing"] = "P1D", ["'spacing'", "PT12H"] },
        { "evening before afternoon", r => r["dayParts"]!["evening"] = "11:00", ["dayParts.evening", "later than afternoon"] },
        { "unknown moment", r => Phrase(r, "thank_you", "sent_when", 1)["when"] = new JsonArray("at_night"), ["'thank_you'", "phrases.sent_when[1].when", "'at_night'", "evening"] },
        { "phrase named like a placeholder", r => Step(r, "hold_off")["phrases"] = JsonNode.Parse("{\"company\": [{\"text\": \"x\"}]}"), ["'hold_off'", "phrases.company", "built-in"] },
        { "phrase without choices", r => Step(r, "hold_off")["phrases"] = JsonNode.Parse("{\"soon\": []}"), ["'hold_off'", "phrases.soon", "at least one"] },
        { "phrase using an unknown placeholder", r => Phrase(r, "thank_you", "sent_when", 0)["text"] = "{weekday}", ["'thank_you'", "phrases.sent_when[0].text", "{weekday}"] },
        { "text using an undefined phrase", r => Step(r, "hold_off")["text"] = "{sent_when}", ["'hold_off'", "'text'", "{sent_when}"] },
        { "phrase too long in one situation", r => Phrase(r, "follow_up", "once", 0)["text"] = new string('x', 700), ["'follow_up'", "'text'", "too long"] },
        { "bad only-before anchor", r => Step(r, "hold_off")["onlyBefore"]![0]!["anchor"] = "decision", ["'hold_off'", "onlyBefore[0].anchor", "'decision'"] },
        { "counting back from the interview", r => Timing(r, "hold_off")["delay"] = "-P1D", ["'hold_off'", "timing[0].delay", "counts back"] },
        { "negative lateness", r => Step(r, "thank_you")["maxLateness"] = "-P1D", ["'thank_you'", "maxLateness", "negative"] },
        { "unknown button", r => Step(r, "hold_off")["buttons"] = new JsonArray("done", "maybe"), ["'hold_off'", "buttons", "'maybe'"] },
        { "button twice", r => Step(r, "hold_off")["buttons"] = new JsonArray("done", "done"), ["'hold_off'", "buttons", "twice"] },
        { "no buttons", r => Step(r, "hold_off")["buttons"] = new JsonArray(), ["'hold_off'", "buttons", "between 1 and 10"] },
        { "outcome step that would be moot", r => Step(r, "ask_feedback")["survivesOutcome"] = false, ["'ask_feedback'", "survivesOutcome", "'rejected'"] },
        { "next round without outcomes", r => Timing(r, "prepare_round").Remove("outcomes"), ["'prepare_round'", "outcomes", "next_round"] },
        { "stage date as a bound", r => Step(r, "hold_off")["notBefore"] = new JsonArray(new JsonObject { ["anchor"] = "offer_deadline" }), ["'hold_off'", "notBefore[0].anchor", "offer_deadline"] },
        { "bad no-reply window", r => r["closeAfterNoReply"] = "PT5H", ["closeAfterNoReply", "whole days"] },
        { "note for a non-outcome", r => r["outcomeNotes"]!["hired"] = new JsonObject { ["rule"] = "R7", ["sources"] = new JsonArray("002"), ["text"] = "x" }, ["outcomeNotes", "'hired'"] },
        { "note with a step's placeholder", r => r["outcomeNotes"]!["withdrawn"]!["text"] = "Thank {interviewer}.", ["Outcome note 'withdrawn'", "{interviewer}"] },
        { "no summary", r => Step(r, "hold_off").Remove("summary"), ["'hold_off'", "'summary'", "missing"] },
        { "summary on two lines", r => Step(r, "hold_off")["summary"] = "hold off\nfor now", ["'hold_off'", "'summary'", "one line"] },
        { "summary too long", r => Step(r, "hold_off")["summary"] = new string('x', 81), ["'hold_off'", "'summary'", "80 characters"] },
        { "summary naming the company", r => Step(r, "hold_off")["summary"] = "hold off at {company}", ["'hold_off'", "'summary'", "{company}"] },
        { "summary with an interviewer per interview", r => Step(r, "hold_off")["summary"] = "hold off with {interviewer}", ["'hold_off'", "'summary'", "{interviewer}"] },
        { "series count in the first summary", r => Step(r, "follow_up")["summary"] = "follow up {sequence}", ["'follow_up'", "'summary'", "{sequence}"] },
        { "later summary without a repeat", r => Step(r, "hold_off")["laterSummary"] = "again", ["'hold_off'", "'laterSummary'", "repeat"] },
        { "cancelled by an unknown outcome", r => Step(r, "hold_off")["cancelledBy"] = new JsonArray("hired"), ["'hold_off'", "cancelledBy", "'hired'"] },
        { "cancelled by an outcome that ends the round", r => Step(r, "hold_off")["cancelledBy"] = new JsonArray("rejected"), ["'hold_off'", "cancelledBy", "survivesOutcome"] },
        { "note without sources", r => r["outcomeNotes"]!["withdrawn"]!.AsObject().Remove("sources"), ["Outcome note 'withdrawn'", "sources"] },
    };

    [Fact]
    public void TheShippedPlaybookCarriesTheNewSettings()
    {
        var playbook = Shipped;

        Assert.Equal(TimeSpan.FromHours(1), playbook.BusinessHours.ClosingMargin);
        Assert.Equal(new TimeOnly(16, 0), playbook.BusinessHours.Latest);
        Assert.Equal(TimeSpan.FromHours(2), playbook.Spacing);
        Assert.Equal(new DayParts(new TimeOnly(12, 0), new TimeOnly(17, 0)), playbook.DayParts);
        Assert.Equal(TimeSpan.FromDays(3), playbook.Step(NudgeKind.ThankYou).MaxLateness);
        Assert.Equal(PlanAnchor.DecisionDate, Assert.Single(playbook.Step(NudgeKind.HoldOff).OnlyBefore).Anchor);
    }

    [Fact]
    public void APlaybookWithoutTheNewSettingsKeepsTheRulesDefaults()
    {
        var playbook = Playbook.Parse(Mutate(r =>
        {
            r["businessHours"]!.AsObject().Remove("closingMargin");
            r.Remove("spacing");
            r.Remove("dayParts");
        }));

        Assert.Equal(TimeSpan.FromHours(1), playbook.BusinessHours.ClosingMargin);
        Assert.Equal(TimeSpan.FromHours(2), playbook.Spacing);
        Assert.Equal(DayParts.Default, playbook.DayParts);
    }

    [Theory]
    [MemberData(nameof(BadPlaybooks))]
    public void BadInputIsRefusedWithAClearMessage(string problem, Action<JsonObject> spoil, string[] expected)
    {
        var json = Mutate(spoil);

        var error = Assert.Throws<PlaybookException>(() => Playbook.Parse(json));

        Assert.All(expected, part => Assert.True(error.Message.Contains(part, StringComparison.Ordinal),
            $"{problem}: \"{error.Message}\" should mention \"{part}\""));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{ \"version\": \"1\", ")]
    [InlineData("[1, 2]")]
    [InlineData("null")]
    public void MalformedJsonIsRefused(string json)
    {
        var error = Assert.Throws<PlaybookException>(() => Playbook.Parse(json));

        Assert.Matches("(cannot be read|empty)", error.Message);
    }

    private static string Mutate(Action<JsonObject> change)
    {
        var root = JsonNode.Parse(ShippedJson)!.AsObject();
        change(root);
        return root.ToJsonString();
    }

    private static JsonArray Steps(JsonObject root) => root["steps"]!.AsArray();

    private static JsonObject Step(JsonObject root, string kind) =>
        Steps(root).Select(s => s!.AsObject()).First(s => (string?)s["kind"] == kind);

    private static JsonObject Timing(JsonObject root, string kind) => Step(root, kind)["timing"]![0]!.AsObject();

    private static JsonObject Phrase(JsonObject root, string kind, string phrase, int choice) =>
        Step(root, kind)["phrases"]![phrase]![choice]!.AsObject();
}
