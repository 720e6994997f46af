using System.Text.Json.Nodes;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Slack.Tests.Support;

namespace FollowUpBot.Platforms.Slack.Tests;

public sealed class InteractionTests
{
    private static readonly Form InterviewForm = new("interview-done", "Your interview, in detail please", [
        new FormField("company", "Company", FormFieldKind.Text, true, Value: "Acme", MaxLength: 100),
        new FormField("format", "Format", FormFieldKind.Choice, true,
            Choices: [new FormChoice("phone", "Phone"), new FormChoice("video", "Video call"), new FormChoice("onsite", "On site")]),
        new FormField("decision-date", "When will they decide?", FormFieldKind.Date, false, Hint: "or not said"),
        new FormField("follow-up-invited", "Invited to follow up?", FormFieldKind.YesNo, false),
        new FormField("notes", "Debrief notes", FormFieldKind.LongText, false, MaxLength: 2000),
    ], Intro: "A few questions <about> your interview & what's next.");

    [Fact]
    public async Task MissingFieldsOpenAModalWithTheTriggerAtOnce()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var socket = (await harness.Fake.WaitForOpenSocketsAsync(2))[0];
        harness.Engine.Answer = _ => [new ShowForm(InterviewForm)];
        var command = harness.Fake.SlashCommand("U1", "/interview", "done company:Acme");

        var envelopeId = await socket.SendEnvelopeAsync("slash_commands", command);
        await harness.Fake.WaitForAckAsync(envelopeId);
        var opened = await harness.Fake.WaitUntilAsync(() => harness.Fake.Views.FirstOrDefault(), "views.open");

        Assert.Empty(harness.Fake.Problems);
        Assert.Equal((string?)command["trigger_id"], opened.TriggerId);
        var view = opened.View;
        Assert.Equal("modal", (string?)view["type"]);
        Assert.True(((string)view["title"]!["text"]!).Length <= 24);
        var inputs = view["blocks"]!.AsArray().OfType<JsonObject>().Where(b => (string?)b["type"] == "input")
            .ToDictionary(b => (string)b["block_id"]!, b => (JsonObject)b["element"]!);
        Assert.Equal("plain_text_input", (string?)inputs["company"]["type"]);
        Assert.Equal("Acme", (string?)inputs["company"]["initial_value"]);
        Assert.Equal("static_select", (string?)inputs["format"]["type"]);
        Assert.Equal("datepicker", (string?)inputs["decision-date"]["type"]);
        Assert.Equal("checkboxes", (string?)inputs["decision-date--not-said"]["type"]);
        Assert.Equal(["yes", "no"], inputs["follow-up-invited"]["options"]!.AsArray().Select(o => (string)o!["value"]!));
        Assert.True((bool?)inputs["notes"]["multiline"]);
        Assert.Contains("&lt;about&gt;", view["blocks"]![0]!["text"]!["text"]!.ToString());
    }

    [Fact]
    public async Task SubmittedModalReachesTheEngineAsFieldValuesAndErrorsComeBackInline()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var fake = harness.Fake;
        var socket = (await fake.WaitForOpenSocketsAsync(2))[0];
        harness.Engine.Answer = e => e is SlashCommand
            ? [new ShowForm(InterviewForm)]
            : [new ShowForm(InterviewForm with { Fields = [InterviewForm.Fields[2] with { Error = "The decision date is before the interview day." }] })];
        await socket.SendEnvelopeAsync("slash_commands", fake.SlashCommand("U1", "/interview", "done"));
        var opened = await fake.WaitUntilAsync(() => fake.Views.FirstOrDefault(), "views.open");

        var submission = fake.ViewSubmission("U1", opened, new Dictionary<string, string>
        {
            ["company"] = "Acme", ["format"] = "video", ["decision-date"] = "2020-01-01", ["follow-up-invited"] = "no",
        });
        var envelopeId = await socket.SendEnvelopeAsync("interactive", submission);
        var ack = await fake.WaitForAckAsync(envelopeId);

        var submitted = Assert.IsType<FormSubmitted>(harness.Engine.Events[1]);
        Assert.Equal("interview-done", submitted.FormId);
        Assert.Equal("Acme", submitted.Values["company"]);
        Assert.Equal("video", submitted.Values["format"]);
        Assert.Equal("2020-01-01", submitted.Values["decision-date"]);
        Assert.Equal("no", submitted.Values["follow-up-invited"]);
        Assert.Equal("", submitted.Values["notes"]);
        Assert.Equal("errors", (string?)ack.Payload?["response_action"]);
        Assert.Equal("The decision date is before the interview day.", (string?)ack.Payload?["errors"]?["decision-date"]);
    }

    [Fact]
    public async Task NotSaidCheckboxBecomesTheEnginesWord()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var fake = harness.Fake;
        var socket = (await fake.WaitForOpenSocketsAsync(2))[0];
        harness.Engine.Answer = e => e is SlashCommand ? [new ShowForm(InterviewForm)] : [new Reply(new Message("Saved."))];
        var command = fake.SlashCommand("U1", "/interview", "done");
        await socket.SendEnvelopeAsync("slash_commands", command);
        var opened = await fake.WaitUntilAsync(() => fake.Views.FirstOrDefault(), "views.open");

        var envelopeId = await socket.SendEnvelopeAsync("interactive", fake.ViewSubmission("U1", opened, new Dictionary<string, string>
        {
            ["company"] = "Acme", ["format"] = "phone", ["decision-date--not-said"] = "not said",
        }));
        var ack = await fake.WaitForAckAsync(envelopeId);

        var submitted = Assert.IsType<FormSubmitted>(harness.Engine.Events[1]);
        Assert.Equal("not said", submitted.Values["decision-date"]);
        Assert.Null(ack.Payload);
        // The reply after the modal closes goes to the channel the command came from, through its response_url.
        var post = await fake.WaitUntilAsync(() => fake.ResponsePosts.FirstOrDefault(), "the reply");
        Assert.Equal(((string)command["response_url"]!).Split('/')[^1], post.ResponseUrlId);
        Assert.Equal("Saved.", (string?)post.Body["text"]);
    }

    [Fact]
    public async Task StateValuesSentAsAnEmptyArrayAreReadAsNoAnswers()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var fake = harness.Fake;
        var socket = (await fake.WaitForOpenSocketsAsync(2))[0];
        harness.Engine.Answer = e => e is SlashCommand ? [new ShowForm(InterviewForm)] : [];
        await socket.SendEnvelopeAsync("slash_commands", fake.SlashCommand("U1", "/interview", "done"));
        var opened = await fake.WaitUntilAsync(() => fake.Views.FirstOrDefault(), "views.open");
        var submission = fake.ViewSubmission("U1", opened, new Dictionary<string, string>());
        submission["view"]!["state"]!["values"] = new JsonArray();

        await fake.WaitForAckAsync(await socket.SendEnvelopeAsync("interactive", submission));

        var submitted = Assert.IsType<FormSubmitted>(harness.Engine.Events[1]);
        Assert.Empty(submitted.Values);
    }

    [Fact]
    public async Task ErrorOnAFieldNotInTheModalReplacesTheModal()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var fake = harness.Fake;
        var socket = (await fake.WaitForOpenSocketsAsync(2))[0];
        var narrow = InterviewForm with { Fields = [InterviewForm.Fields[0]] };
        harness.Engine.Answer = e => e is SlashCommand
            ? [new ShowForm(narrow)]
            : [new ShowForm(InterviewForm with { Fields = [InterviewForm.Fields[1] with { Error = "Format is required." }] })];
        await socket.SendEnvelopeAsync("slash_commands", fake.SlashCommand("U1", "/interview", "done"));
        var opened = await fake.WaitUntilAsync(() => fake.Views.FirstOrDefault(), "views.open");

        var ack = await fake.WaitForAckAsync(await socket.SendEnvelopeAsync("interactive",
            fake.ViewSubmission("U1", opened, new Dictionary<string, string> { ["company"] = "Acme" })));

        Assert.Equal("update", (string?)ack.Payload?["response_action"]);
        Assert.Contains("Format is required.", ack.Payload!["view"]!.ToJsonString());
    }

    [Fact]
    public async Task ButtonInADirectMessageReachesTheEngineAndUpdatesTheMessage()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var fake = harness.Fake;
        var socket = (await fake.WaitForOpenSocketsAsync(2))[0];
        var nudge = new Message("Time to thank Ana.", [new Button("nudge:7:done", "Done", ButtonStyle.Primary), new Button("nudge:7:snooze", "Snooze")]);
        await harness.Get<SlackChatPlatformAccessor>().Platform.SendDirectMessageAsync(
            new DirectMessageRequest(Member("U1"), nudge, "n7d1", false), CancellationToken.None);
        var message = fake.MessagesIn(FakeSlack.DmChannelOf("U1")).Single();
        harness.Engine.Answer = _ => [new UpdateMessage(new Message("Thanked Ana: done."))];

        await fake.WaitForAckAsync(await socket.SendEnvelopeAsync("interactive", fake.BlockAction("U1", message, "nudge:7:done")));
        await fake.WaitUntilAsync(() => harness.Engine.Events.Count == 1, "the engine to hear of the press");

        var pressed = Assert.IsType<ButtonPressed>(Assert.Single(harness.Engine.Events));
        Assert.Equal("nudge:7:done", pressed.ButtonId);
        Assert.Equal("U1", pressed.From.Key.UserId);
        await fake.WaitUntilAsync(() => message.Updates == 1, "chat.update");
        Assert.Equal("Thanked Ana: done.", message.Text);
        Assert.Empty(message.ActionIds);
    }

    [Fact]
    public async Task ButtonPressedByAnotherUserGetsTheEnginesRefusalOnlyForThem()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var fake = harness.Fake;
        var socket = (await fake.WaitForOpenSocketsAsync(2))[0];
        fake.Channels["C1"] = true;
        var message = fake.Seed("C1", "Shared by mistake", null);
        message.Blocks = new JsonArray(new JsonObject
        {
            ["type"] = "actions", ["block_id"] = "buttons",
            ["elements"] = new JsonArray(new JsonObject
            {
                ["type"] = "button", ["action_id"] = "nudge:7:done", ["value"] = "nudge:7:done",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Done" },
            }),
        });
        harness.Engine.Answer = e => e.From.Key.UserId == "U2"
            ? [new Reply(new Message("That button belongs to someone else's interview, so I left it alone."))]
            : [];

        await fake.WaitForAckAsync(await socket.SendEnvelopeAsync("interactive", fake.BlockAction("U2", message, "nudge:7:done")));

        var post = await fake.WaitUntilAsync(() => fake.ResponsePosts.FirstOrDefault(), "the refusal");
        Assert.Equal("ephemeral", (string?)post.Body["response_type"]);
        Assert.False((bool?)post.Body["replace_original"]);
        Assert.Equal(0, message.Updates);
        Assert.Empty(fake.CallsTo("chat.update"));
    }

    [Fact]
    public async Task FormFromAButtonOpensWithTheButtonsTrigger()
    {
        await using var harness = await SlackAdapterHarness.StartAsync();
        var fake = harness.Fake;
        var socket = (await fake.WaitForOpenSocketsAsync(2))[0];
        await harness.Get<SlackChatPlatformAccessor>().Platform.SendDirectMessageAsync(new DirectMessageRequest(Member("U1"),
            new Message("How did it go?", [new Button("nudge:3:notes", "Add notes")]), "n3d1", false), CancellationToken.None);
        var message = fake.MessagesIn(FakeSlack.DmChannelOf("U1")).Single();
        harness.Engine.Answer = _ => [new ShowForm(new Form("interview-notes:3", "Debrief notes",
            [new FormField("notes", "Debrief notes", FormFieldKind.LongText, false, MaxLength: 2000)]))];
        var click = fake.BlockAction("U1", message, "nudge:3:notes");

        await fake.WaitForAckAsync(await socket.SendEnvelopeAsync("interactive", click));

        var opened = await fake.WaitUntilAsync(() => fake.Views.FirstOrDefault(), "views.open");
        Assert.Equal((string?)click["trigger_id"], opened.TriggerId);
        Assert.Contains("interview-notes:3", (string?)opened.View["private_metadata"]);
    }

    internal static Member Member(string userId) =>
        new(1, new MemberKey("slack", FakeSlack.TeamId, userId), "UTC", QuietHours.Default, false, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
}
