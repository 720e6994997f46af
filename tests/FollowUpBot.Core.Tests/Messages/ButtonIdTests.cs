using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Tests.Conversations;
using static FollowUpBot.Core.Tests.Conversations.EngineFixture;

namespace FollowUpBot.Core.Tests.Messages;

public sealed class ButtonIdTests
{
    /// <summary>Button ids of every kind, drawn from a fixed seed: ids, pages, every enum value, values with dashes.</summary>
    public static TheoryData<string> Generated()
    {
        var random = new Random(20261204);
        long Id() => random.Next(4) == 0 ? long.MaxValue - random.Next(1000) : random.NextInt64(1, 10_000_000);
        string Word() => string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => "abcdefghijklmnopqrstuvwxyz0123456789-_."[random.Next(39)]));
        T Pick<T>() where T : struct, Enum => Enum.GetValues<T>()[random.Next(Enum.GetValues<T>().Length)];

        var data = new TheoryData<string>();
        for (var i = 0; i < 40; i++)
        {
            ButtonId id = (i % 7) switch
            {
                0 => new NudgeButton(Id(), Pick<NudgeAction>()),
                1 => new NudgeOutcomeButton(Id(), Pick<Outcome>()),
                2 => new InterviewButton(Id(), Pick<InterviewAction>(), random.Next(2) == 0 ? null : Word()),
                3 => new ConfirmButton(Pick<ConfirmationKind>(), Id(), random.Next(2) == 0),
                4 => new FormChoiceButton(random.Next(2) == 0 ? new FormId(FormKind.Details, Id()).Format() : FormId.InterviewDone.Format(), Word(), Word()),
                5 => new CohortJoinButton(Word().ToUpperInvariant(), Word()),
                _ => new CohortStatusButton(Id(), random.Next(1, 500)),
            };
            data.Add(id.Format());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Generated))]
    public void FormatThenTryParseGivesTheSameButtonBack(string formatted)
    {
        Assert.True(ButtonId.TryParse(formatted, out var parsed), formatted);
        Assert.Equal(formatted, parsed.Format());
        Assert.True(ButtonId.TryParse(parsed.Format(), out var again));
        Assert.Equal(parsed, again);
    }

    [Fact]
    public void EveryKindOfButtonRoundTripsWithEveryValueOfItsEnum()
    {
        ButtonId[] all =
        [
            .. Enum.GetValues<NudgeAction>().Select(a => (ButtonId)new NudgeButton(42, a)),
            .. Enum.GetValues<Outcome>().Select(o => (ButtonId)new NudgeOutcomeButton(42, o)),
            .. Enum.GetValues<InterviewAction>().Select(a => (ButtonId)new InterviewButton(42, a)),
            .. Enum.GetValues<InterviewAction>().Select(a => (ButtonId)new InterviewButton(42, a, "next-week")),
            .. Enum.GetValues<ConfirmationKind>().SelectMany(k => new ButtonId[] { new ConfirmButton(k, 3, true), new ConfirmButton(k, 3, false) }),
        ];
        foreach (var id in all)
        {
            Assert.True(ButtonId.TryParse(id.Format(), out var parsed), id.Format());
            Assert.Equal(id, parsed);
        }
        Assert.Equal(all.Length, all.Select(i => i.Format()).Distinct().Count());
    }

    /// <summary>The shapes of buttons already sent to members (in messages still in their DMs) keep working.</summary>
    [Theory]
    [InlineData("nudge:42:done", "NudgeButton { NudgeId = 42, Action = Done }")]
    [InlineData("nudge:42:snooze", "NudgeButton { NudgeId = 42, Action = Snooze }")]
    [InlineData("nudge:42:skip", "NudgeButton { NudgeId = 42, Action = Skip }")]
    [InlineData("nudge:42:notes", "NudgeButton { NudgeId = 42, Action = AddNotes }")]
    [InlineData("nudge:42:deadline", "NudgeButton { NudgeId = 42, Action = SetDeadline }")]
    [InlineData("nudge:42:keep", "NudgeButton { NudgeId = 42, Action = KeepOpen }")]
    [InlineData("nudge:42:declined", "NudgeButton { NudgeId = 42, Action = Declined }")]
    [InlineData("nudge:42:outcome:offer", "NudgeOutcomeButton { NudgeId = 42, Outcome = Offer }")]
    [InlineData("nudge:42:outcome:next_round", "NudgeOutcomeButton { NudgeId = 42, Outcome = NextRound }")]
    [InlineData("nudge:42:outcome:closed_no_reply", "NudgeOutcomeButton { NudgeId = 42, Outcome = ClosedNoReply }")]
    // The first outcome buttons carried the enum's lower-case name.
    [InlineData("nudge:42:outcome:nextround", "NudgeOutcomeButton { NudgeId = 42, Outcome = NextRound }")]
    [InlineData("nudge:42:outcome:noreply", "NudgeOutcomeButton { NudgeId = 42, Outcome = NoReply }")]
    [InlineData("interview:42:decision:next-week", "InterviewButton { InterviewId = 42, Action = Decision, Value = next-week }")]
    [InlineData("interview:42:invited:yes", "InterviewButton { InterviewId = 42, Action = Invited, Value = yes }")]
    [InlineData("interview:42:references:add", "InterviewButton { InterviewId = 42, Action = References, Value = add }")]
    [InlineData("interview:42:round-date", "InterviewButton { InterviewId = 42, Action = RoundDate, Value =  }")]
    [InlineData("interview:42:deadline", "InterviewButton { InterviewId = 42, Action = Deadline, Value =  }")]
    [InlineData("confirm:forget:3:yes", "ConfirmButton { Kind = Forget, Id = 3, Yes = True }")]
    [InlineData("confirm:same-interview:3:no", "ConfirmButton { Kind = SameInterview, Id = 3, Yes = False }")]
    [InlineData("confirm:delete-my-data:7:yes", "ConfirmButton { Kind = DeleteMyData, Id = 7, Yes = True }")]
    [InlineData("form:interview-done:format:phone", "FormChoiceButton { FormId = interview-done, Field = format, Value = phone }")]
    [InlineData("form:interview-details:42:follow-up-invited:yes", "FormChoiceButton { FormId = interview-details:42, Field = follow-up-invited, Value = yes }")]
    [InlineData("cohort:join:K7MQ4T:companies", "CohortJoinButton { Code = K7MQ4T, Choice = companies }")]
    [InlineData("cohort:status:12:2", "CohortStatusButton { CohortId = 12, Page = 2 }")]
    public void ButtonsAlreadySentStillParse(string wire, string meaning)
    {
        Assert.True(ButtonId.TryParse(wire, out var parsed), wire);
        Assert.Equal(meaning, Describe(parsed));
    }

    // Records print themselves through ToString, which here is the wire form; the test wants the members.
    private static string Describe(ButtonId id) => id switch
    {
        NudgeButton b => $"NudgeButton {{ NudgeId = {b.NudgeId}, Action = {b.Action} }}",
        NudgeOutcomeButton b => $"NudgeOutcomeButton {{ NudgeId = {b.NudgeId}, Outcome = {b.Outcome} }}",
        InterviewButton b => $"InterviewButton {{ InterviewId = {b.InterviewId}, Action = {b.Action}, Value = {b.Value} }}",
        ConfirmButton b => $"ConfirmButton {{ Kind = {b.Kind}, Id = {b.Id}, Yes = {b.Yes} }}",
        FormChoiceButton b => $"FormChoiceButton {{ FormId = {b.FormId}, Field = {b.Field}, Value = {b.Value} }}",
        CohortJoinButton b => $"CohortJoinButton {{ Code = {b.Code}, Choice = {b.Choice} }}",
        CohortStatusButton b => $"CohortStatusButton {{ CohortId = {b.CohortId}, Page = {b.Page} }}",
        _ => id.GetType().Name,
    };

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(":")]
    [InlineData("nudge")]
    [InlineData("nudge:")]
    [InlineData("nudge:42")]
    [InlineData("nudge:42:")]
    [InlineData("nudge:0:done")]
    [InlineData("nudge:-1:done")]
    [InlineData("nudge:+1:done")]
    [InlineData("nudge: 1:done")]
    [InlineData("nudge:1e3:done")]
    [InlineData("nudge:99999999999999999999:done")]
    [InlineData("nudge:42:DONE")]
    [InlineData("nudge:42:done:extra")]
    [InlineData("nudge:42:outcome")]
    [InlineData("nudge:42:outcome:Offer")]
    [InlineData("nudge:42:outcome:hired")]
    [InlineData("nudge:42:outcome:offer:extra")]
    [InlineData("interview:42")]
    [InlineData("interview:42:explode")]
    [InlineData("interview:42:decision:")]
    [InlineData("interview:42:decision:this-week:extra")]
    [InlineData("confirm:forget:3")]
    [InlineData("confirm:forget:3:maybe")]
    [InlineData("confirm:delete-all:3:yes")]
    [InlineData("confirm:forget:abc:yes")]
    [InlineData("form:interview-done:format")]
    [InlineData("form::format:phone")]
    [InlineData("form:interview-done::phone")]
    [InlineData("cohort:join:K7MQ4T")]
    [InlineData("cohort:status:12:0")]
    [InlineData("cohort:status:12:-1")]
    [InlineData("cohort:status:x:1")]
    [InlineData("cohort:leave:12:1")]
    [InlineData("w:123:nudge:42:done")]
    [InlineData("banana")]
    [InlineData("NUDGE:42:done")]
    public void GarbageIsRefused(string? text) => Assert.False(ButtonId.TryParse(text, out _), text);

    [Fact]
    public void AnOverlongIdIsRefusedWithoutReadingIt() =>
        Assert.False(ButtonId.TryParse("form:interview-done:" + new string('a', 500) + ":x", out _));

    [Theory]
    [InlineData("nudge:42")]
    [InlineData("confirm:forget:3:maybe")]
    [InlineData("cohort:status:12:0")]
    [InlineData("form:interview-done:format")]
    [InlineData("\u0000\u0001:\u0002")]
    [InlineData("interview:1:decision:this-week:extra")]
    public async Task AGarbageButtonIsAnsweredPolitelyAndChangesNothing(string buttonId)
    {
        var f = new EngineFixture();
        await f.RecordAsync();
        var before = f.Store.Snapshot();
        var triggers = f.Scheduler.Triggers;

        var text = ReplyText(await f.Press(buttonId));

        Assert.Equal(ButtonRouting.Unknown, text);
        Assert.Equal(before, f.Store.Snapshot());
        Assert.Equal(triggers, f.Scheduler.Triggers);
    }

    [Fact]
    public async Task AnOutcomeButtonOfTheFirstShapeStillRecordsTheOutcome()
    {
        var f = new EngineFixture();
        var interview = await f.RecordAsync();
        var check = f.NudgesOf(interview, NudgeKind.OutcomeCheck)[0];

        UpdateOf(await f.Press($"nudge:{check.Id}:outcome:nextround"));

        Assert.Equal(Outcome.NextRound, f.Reload(interview).Outcome);
    }
}

public sealed class FormIdTests
{
    [Theory]
    [InlineData("interview-done", FormKind.InterviewDone, 0)]
    [InlineData("interview-notes:42", FormKind.Notes, 42)]
    [InlineData("interview-details:42", FormKind.Details, 42)]
    [InlineData("next-round:42", FormKind.NextRound, 42)]
    [InlineData("offer-deadline:42", FormKind.OfferDeadline, 42)]
    public void FormsAlreadyShownStillParseAndFormatTheSame(string wire, FormKind kind, long interviewId)
    {
        Assert.True(FormId.TryParse(wire, out var id));
        Assert.Equal(new FormId(kind, interviewId), id);
        Assert.Equal(wire, id.Format());
    }

    [Fact]
    public void EveryFormKindRoundTrips()
    {
        foreach (var kind in Enum.GetValues<FormKind>())
        {
            var id = kind == FormKind.InterviewDone ? FormId.InterviewDone : new FormId(kind, 7);
            Assert.True(FormId.TryParse(id.Format(), out var parsed));
            Assert.Equal(id, parsed);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("interview-done:1")]
    [InlineData("interview-notes")]
    [InlineData("interview-notes:")]
    [InlineData("interview-notes:0")]
    [InlineData("interview-notes:-4")]
    [InlineData("interview-notes:4:5")]
    [InlineData("dform:abc:s")]
    [InlineData("Interview-Done")]
    public void GarbageIsRefused(string? text) => Assert.False(FormId.TryParse(text, out _), text);

    [Theory]
    [InlineData("interview-notes:0")]
    [InlineData("banana")]
    [InlineData("next-round:x")]
    public async Task AnUnknownFormIsAnsweredPolitelyAndChangesNothing(string formId)
    {
        var f = new EngineFixture();
        await f.RecordAsync();
        var before = f.Store.Snapshot();

        var text = ReplyText(await f.Submit(formId, new() { ["notes"] = "x" }));

        Assert.StartsWith("That form is no longer open.", text);
        Assert.Equal(before, f.Store.Snapshot());
    }
}

public sealed class CommandTableTests
{
    [Fact]
    public void EveryCatalogCommandHasAHandlerAndNoHandlerIsOutsideTheCatalog()
    {
        var engine = new EngineFixture().Engine;
        Assert.Equal(CommandCatalog.All.Select(c => c.Name).Order(), engine.Handlers.Keys.Order());
    }
}
