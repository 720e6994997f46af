using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Planning;
using static FollowUpBot.Core.Tests.Conversations.EngineFixture;

namespace FollowUpBot.Core.Tests.Conversations;

public sealed class InterviewDoneTests
{
    private readonly EngineFixture _f = new();

    [Fact]
    public async Task ACompleteCommandStoresAtOnceWithItsPlanAndAsksNothing()
    {
        var actions = await _f.Command(FullCommand);

        var text = ReplyText(actions);
        Assert.StartsWith("#1 Acme saved", text);
        Assert.Contains("Fri 4 Dec 16:30: write down your debrief notes", text);
        var interview = Assert.Single(_f.Store.Interviews);
        Assert.Equal(("Acme", "Backend Engineer", InterviewFormat.Onsite), (interview.Company, interview.Role, interview.Format));
        Assert.Equal(["Ana Ruiz", "Ben Ode"], interview.Interviewers);
        Assert.Equal(["Kim Lee"], interview.References);
        Assert.Equal(new DateOnly(2026, 12, 8), interview.DecisionDate);
        Assert.False(interview.FollowUpInvited);
        Assert.Equal(_f.Clock.GetUtcNow(), interview.EndedAt);

        // The stored rows are exactly the planner's plan, all pending, each with one trigger at its due time.
        var plan = _f.Planner.PlanInterview(InterviewFacts.From(interview), new PlanningContext(NewYork, QuietHours.Default));
        var nudges = _f.NudgesOf(interview);
        Assert.Equal(plan.Select(p => (p.Kind, p.DueAt, p.Interviewer)).OrderBy(p => p.DueAt).ThenBy(p => p.Kind),
            nudges.Select(n => (n.Kind, n.DueAt, n.Interviewer)).OrderBy(p => p.DueAt).ThenBy(p => p.Kind));
        Assert.All(nudges, n => Assert.Equal(NudgeState.Pending, n.State));
        Assert.Equal(nudges.ToDictionary(n => n.Id, n => n.DueAt), _f.Scheduler.Triggers);
        Assert.Equal(2, nudges.Count(n => n.Kind == NudgeKind.ThankYou));
        Assert.Contains(nudges, n => n.Kind == NudgeKind.MailCard);
        Assert.Null(_f.Store.Draft(_f.Member(_f.Ana).Id, InterviewForm.Id));
    }

    [Fact]
    public async Task NumbersCountPerMember()
    {
        await _f.RecordAsync();
        var second = await _f.RecordAsync(FullCommand.Replace("Acme", "Beta"));
        var bobs = await _f.RecordAsync(FullCommand, _f.Bob);
        Assert.Equal(2, second.Number);
        Assert.Equal(1, bobs.Number);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None.")]
    [InlineData("n/a")]
    public async Task ReferencesNoneMeansNobodyToBrief(string none)
    {
        var interview = await _f.RecordAsync($"/interview done company:Acme interviewers:\"Ana Ruiz\" format:video references:\"{none}\"");

        Assert.Empty(interview.References);
        Assert.DoesNotContain(_f.NudgesOf(interview), n => n.Kind == NudgeKind.BriefReferences);
    }

    [Fact]
    public async Task CurlyQuotesWorkEndToEnd()
    {
        var interview = await _f.RecordAsync("/interview done company:“Acme Labs” interviewers:“Ana Ruiz, Ben Ode” format:video role:‘Data Lead’");
        Assert.Equal("Acme Labs", interview.Company);
        Assert.Equal("Data Lead", interview.Role);
        Assert.Equal(["Ana Ruiz", "Ben Ode"], interview.Interviewers);
    }

    [Fact]
    public async Task MissingRequiredFieldsBringAFormListingWhatIsMissingRequiredFirst()
    {
        var form = FormOf(await _f.Command("/interview done company:Acme role:\"Backend Engineer\""));

        Assert.Equal("interview-done", form.Id);
        Assert.Equal(["interviewers", "format", "decision-date", "follow-up-invited", "references", "ended", "notes"],
            form.Fields.Select(f => f.Name));
        Assert.All(form.Fields.Take(2), f => Assert.True(f.Required));
        Assert.All(form.Fields.Skip(2), f => Assert.False(f.Required));
        var format = form.Fields.Single(f => f.Name == "format");
        Assert.Equal(FormFieldKind.Choice, format.Kind);
        Assert.Equal(["phone", "video", "onsite"], format.Choices!.Select(c => c.Value));
        Assert.Equal(FormFieldKind.Date, form.Fields.Single(f => f.Name == "decision-date").Kind);
        Assert.Equal(FormFieldKind.YesNo, form.Fields.Single(f => f.Name == "follow-up-invited").Kind);
        var notes = form.Fields.Single(f => f.Name == "notes");
        Assert.Equal((FormFieldKind.LongText, 2000), (notes.Kind, notes.MaxLength));
        Assert.All(form.Fields, f => Assert.False(string.IsNullOrEmpty(f.Hint)));
        Assert.All(form.Fields, f => Assert.True(f.Label.Length <= 45, f.Label));
        Assert.All(form.Fields, f => Assert.True(f.Hint!.Length <= 100, f.Hint));
        Assert.False(form.HasErrors);
        // R8: the playbook's own question about the decision date is asked.
        Assert.Contains(_f.Planner.Playbook.Question("decision-date").Text, form.Intro);
        Assert.Empty(_f.Store.Interviews);
    }

    [Fact]
    public async Task FormFlowKeepsValuesThroughABadDateAndStoresExactlyOnce()
    {
        await _f.Command("/interview done company:Acme");
        var before = _f.Store.Snapshot();

        var values = new Dictionary<string, string>
        {
            ["interviewers"] = "Ana Ruiz, Ben Ode", ["format"] = "video", ["decision-date"] = "someday soon", ["notes"] = "Asked about Kafka",
        };
        var retry = FormOf(await _f.Submit("interview-done", values));

        Assert.Equal(before, _f.Store.Snapshot());
        Assert.Equal("interview-done", retry.Id);
        Assert.Equal(["interviewers", "format", "role", "decision-date", "follow-up-invited", "references", "ended", "notes"],
            retry.Fields.Select(f => f.Name));
        var date = retry.Fields.Single(f => f.Name == "decision-date");
        Assert.Equal("someday soon", date.Value);
        Assert.Contains("couldn't read \"someday soon\"", date.Error);
        Assert.Contains("not said", date.Error);
        Assert.Equal("Ana Ruiz, Ben Ode", retry.Fields.Single(f => f.Name == "interviewers").Value);
        Assert.Equal("Asked about Kafka", retry.Fields.Single(f => f.Name == "notes").Value);
        Assert.Single(retry.Fields, f => f.Error is not null);

        values["decision-date"] = "next week";
        var saved = ReplyText(await _f.Submit("interview-done", values));

        Assert.StartsWith("#1 Acme saved", saved);
        var interview = Assert.Single(_f.Store.Interviews);
        Assert.Equal(1, _f.Store.InterviewWrites);
        Assert.Equal(new DateOnly(2026, 12, 11), interview.DecisionDate);
        Assert.Equal("Asked about Kafka", interview.Notes);
        Assert.Equal(InterviewFormat.Video, interview.Format);
        Assert.Null(_f.Store.Draft(_f.Member(_f.Ana).Id, "interview-done"));

        // A second submit of the same form has no draft left: it asks again rather than storing twice.
        FormOf(await _f.Submit("interview-done", new Dictionary<string, string> { ["format"] = "video" }));
        Assert.Single(_f.Store.Interviews);
    }

    [Fact]
    public async Task ADraftSurvivesACancelledFormAndIsOfferedAgain()
    {
        await _f.Command("/interview done company:Acme role:Engineer");
        // The member closes the form; the next /interview done offers what they gave.
        var form = FormOf(await _f.Command("/interview done format:phone"));

        Assert.Equal("Acme", form.Fields.Single(f => f.Name == "company").Value);
        Assert.Equal("Engineer", form.Fields.Single(f => f.Name == "role").Value);
        Assert.DoesNotContain(form.Fields, f => f.Name == "format");
        Assert.Contains("kept your earlier answers", form.Intro);

        ReplyText(await _f.Submit("interview-done", new Dictionary<string, string> { ["interviewers"] = "Ana Ruiz" }));
        var interview = Assert.Single(_f.Store.Interviews);
        Assert.Equal(("Acme", "Engineer", InterviewFormat.Phone), (interview.Company, interview.Role, interview.Format));
    }

    [Fact]
    public async Task AnEmptiedFieldOnSubmitIsAskedForAgain()
    {
        await _f.Command("/interview done company:Acme");
        var form = FormOf(await _f.Submit("interview-done",
            new Dictionary<string, string> { ["company"] = "", ["interviewers"] = "Ana", ["format"] = "phone" }));
        Assert.Contains("Company is required", form.Fields.Single(f => f.Name == "company").Error);
        Assert.Empty(_f.Store.Interviews);
    }

    public static TheoryData<string, string, string> BadOptions => new()
    {
        { "interviewers:\"A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, A11\"", "interviewers", "At most 10 interviewers (you gave 11)" },
        { $"interviewers:\"Ana Ruiz, {new string('x', 101)}\"", "interviewers", "at most 100 characters" },
        { "interviewers:none", "interviewers", "if you did not catch a name, a description works" },
        { "format:zoom", "format", "phone, video or onsite (you wrote \"zoom\")" },
        { "decision-date:2026-12-01", "decision-date", "before the interview day (2026-12-04)" },
        { "decision-date:whenever", "decision-date", "couldn't read \"whenever\"" },
        { "ended:18:00", "ended", "in the future" },
        { "ended:\"2026-10-01 10:00\"", "ended", "more than 30 days ago" },
        { "ended:teatime", "ended", "yesterday 16:30" },
        { "follow-up-invited:maybe", "follow-up-invited", "Answer yes or no" },
        { $"company:{new string('c', 101)}", "company", "at most 100 characters (this one has 101)" },
        { $"role:{new string('r', 101)}", "role", "at most 100 characters" },
        { "references:\"R1,R2,R3,R4,R5,R6,R7,R8,R9,R10,R11\"", "references", "At most 10 references" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task BadValuesStoreNothingAndComeBackAsAFormWithTheReason(string option, string field, string reason)
    {
        var baseOptions = new Dictionary<string, string>
        {
            ["company"] = "company:Acme", ["interviewers"] = "interviewers:\"Ana Ruiz\"", ["format"] = "format:onsite",
        };
        baseOptions[field] = option;
        var before = _f.Store.Snapshot();

        var form = FormOf(await _f.Command("/interview done " + string.Join(' ', baseOptions.Values)));

        Assert.Equal(before, _f.Store.Snapshot());
        Assert.Empty(_f.Scheduler.Scheduled);
        var bad = form.Fields.Single(f => f.Error is not null);
        Assert.Equal(field, bad.Name);
        Assert.Contains(reason, bad.Error);
        Assert.NotNull(bad.Value);
        // What was typed is kept for the next try.
        var draft = _f.Store.Draft(_f.Member(_f.Ana).Id, "interview-done")!;
        Assert.Equal(field == "company" ? bad.Value : "Acme", draft["company"]);
    }

    [Fact]
    public async Task NotesOverTwoThousandCharactersAreRefusedAndKept()
    {
        var notes = new string('n', 2001);
        await _f.Command("/interview done company:Acme");
        var form = FormOf(await _f.Submit("interview-done", new Dictionary<string, string>
        {
            ["interviewers"] = "Ana", ["format"] = "onsite", ["notes"] = notes,
        }));
        var field = form.Fields.Single(f => f.Name == "notes");
        Assert.Contains("at most 2,000 characters (yours have 2,001)", field.Error);
        Assert.Equal(notes, field.Value);
        Assert.Empty(_f.Store.Interviews);
    }

    [Fact]
    public async Task AnInterviewReportedLateNamesWhatIsTooLateAndStillPlansTheThankYou()
    {
        // Reported on Friday 16:30 for Wednesday: the debrief and the reminder are too late; the thank-you, two days
        // late, is still worth sending (up to three days), the card follows it at a distance, the follow-up is ahead.
        var answer = Assert.IsType<Reply>((await _f.Command("/interview done company:Acme interviewers:\"Ana Ruiz\" format:onsite ended:\"2026-12-02 16:30\""))[0]).Message.Text;
        var interview = Assert.Single(_f.Store.Interviews);
        var nudges = _f.NudgesOf(interview);
        var now = _f.Clock.GetUtcNow();

        Assert.Contains("2 steps were already too late to help and will not be sent: write down your debrief notes; reminder to thank Ana Ruiz.", answer);
        Assert.Equal([NudgeKind.Debrief, NudgeKind.ThankYouReminder],
            nudges.Where(n => n.State == NudgeState.Skipped).Select(n => n.Kind).Order());
        var thankYou = nudges.Single(n => n.Kind == NudgeKind.ThankYou);
        Assert.Equal((NudgeState.Pending, now), (thankYou.State, thankYou.DueAt));
        var card = nudges.Single(n => n.Kind == NudgeKind.MailCard);
        Assert.Equal((NudgeState.Pending, now.AddHours(2)), (card.State, card.DueAt));
        Assert.Contains(nudges, n => n.Kind == NudgeKind.FollowUp && n.State == NudgeState.Pending);
        Assert.All(_f.Scheduler.Triggers.Keys, id => Assert.Equal(NudgeState.Pending, nudges.Single(n => n.Id == id).State));
        Assert.DoesNotContain(nudges, n => n.IsScheduled && n.DueAt < now);

        // Worded as late, and the card (after a thank-you that was prompted) may speak of the emailed thanks.
        var text = _f.Composer.Compose(thankYou, interview, late: false, new DeliveryMoment(now, new PlanningContext(NewYork, QuietHours.Default))).Text;
        Assert.Contains("a few days on, but thanks still count", text);
        Assert.DoesNotContain("tonight", text);
    }

    [Fact]
    public async Task AThankYouMoreThanThreeDaysLateIsNamedAndNotPlannedAndTheCardDoesNotAssumeIt()
    {
        // Reported on Friday 16:30 for the Monday before: Monday's 18:00 thank-you is more than three days late.
        _f.Clock.SetUtcNow(_f.Local("2026-12-04T19:00"));
        var answer = Assert.IsType<Reply>((await _f.Command("/interview done company:Acme interviewers:\"Ana Ruiz\" format:onsite ended:\"2026-12-01 16:30\""))[0]).Message.Text;
        var interview = Assert.Single(_f.Store.Interviews);

        Assert.Contains("thank Ana Ruiz", answer[answer.IndexOf("too late", StringComparison.Ordinal)..]);
        Assert.DoesNotContain(_f.NudgesOf(interview), n => n.IsScheduled && n.Kind is NudgeKind.ThankYou or NudgeKind.ThankYouReminder);
        var card = new Nudge(99, interview.Id, interview.MemberId, NudgeKind.MailCard, _f.Clock.GetUtcNow(), null, 0, NudgeState.Sending);
        var moment = new DeliveryMoment(card.DueAt, new PlanningContext(NewYork, QuietHours.Default),
            DeliveryMoment.AnyThanksPrompted(_f.NudgesOf(interview)));
        var text = _f.Composer.Compose(card, interview, late: false, moment).Text;
        Assert.Contains("a handwritten card by post stands out", text);
        Assert.DoesNotContain("emailed thanks", text);
    }

    [Fact]
    public async Task AStorageFailureStoresNothingAndApologises()
    {
        await _f.Command("/interview list"); // the member exists
        _f.Store.NextWriteFailure = new InvalidOperationException("disk full");
        var text = ReplyText(await _f.Command(FullCommand));
        Assert.Contains("something went wrong", text);
        Assert.Empty(_f.Store.Interviews);
        Assert.Empty(_f.Scheduler.Scheduled);
    }

    [Fact]
    public async Task AFormChoiceButtonCountsAsAnswerForThatField()
    {
        await _f.Command("/interview done company:Acme interviewers:Ana");
        var saved = ReplyText(await _f.Press(new FormChoiceButton("interview-done", "format", "phone").Format()));
        Assert.StartsWith("#1 Acme saved", saved);
        Assert.Equal(InterviewFormat.Phone, Assert.Single(_f.Store.Interviews).Format);
    }
}
