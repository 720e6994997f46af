using System.Text.Json.Nodes;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Discord.Tests.Fakes;

namespace FollowUpBot.Platforms.Discord.Tests;

public sealed class InteractionTests : IAsyncLifetime
{
    private FakeDiscord _discord = null!;
    private AdapterHost _adapter = null!;

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscord.StartAsync();
        _adapter = await AdapterHost.StartAsync(_discord, c => c["Discord:DeferAfter"] = "00:00:00.300");
    }

    public async Task DisposeAsync()
    {
        await _adapter.DisposeAsync();
        await _discord.DisposeAsync();
    }

    private RecordingEngine Engine => _adapter.Engine;

    internal static Form InterviewForm(string? companyError = null) => new("interview-done", "Log your interview",
    [
        new FormField("company", "Company", FormFieldKind.Text, true, Error: companyError),
        new FormField("role", "Role", FormFieldKind.Text, false),
        new FormField("interviewers", "Interviewers (comma separated)", FormFieldKind.Text, false),
        new FormField("decision-date", "Decision date", FormFieldKind.Date, true),
        new FormField("references", "References", FormFieldKind.Text, false),
        new FormField("ended", "When it ended", FormFieldKind.Text, false, Value: "now"),
        new FormField("notes", "First notes", FormFieldKind.LongText, false, MaxLength: 1000),
        new FormField("format", "Format", FormFieldKind.Choice, true, Choices: [new("phone", "Phone"), new("video", "Video"), new("onsite", "On site")]),
        new FormField("follow-up-invited", "Invited to follow up directly?", FormFieldKind.YesNo, true),
    ]);

    private async Task<JsonNode> SendAsync(JsonObject interaction)
    {
        await _discord.Gateway.InteractionAsync(interaction);
        var callback = await _discord.CallbackAsync(interaction["id"]!.GetValue<string>());
        return callback.Json!;
    }

    [Fact]
    public async Task RegistersTheCommandsWithABodyTheOpenApiDocumentAccepts()
    {
        var put = await _discord.WaitForRequestAsync(r => r.Is("PUT", $"applications/{FakeDiscord.ApplicationId}/commands"), "the command registration");

        var commands = put.Json!.AsArray();
        foreach (var command in commands) DiscordSchema.AssertValid("ApplicationCommandUpdateRequest", command);
        Assert.Equal(["interview", "followup", "cohort"], commands.Select(c => c!["name"]!.GetValue<string>()));
        var done = commands[0]!["options"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == "done");
        Assert.Equal(["company", "role", "interviewers", "format", "decision-date", "follow-up-invited", "references", "ended", "notes"],
            done!["options"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()));
        Assert.Equal(["done", "list", "show", "outcome", "followup", "forget"], commands[0]!["options"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()));
        var outcome = commands[0]!["options"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == "outcome");
        Assert.Equal(["id", "result", "next-round", "deadline"], outcome!["options"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()));
        Assert.Equal(["offer", "next-round", "rejected", "waiting", "no-reply", "withdrawn", "accepted", "closed"],
            outcome["options"]![1]!["choices"]!.AsArray().Select(c => c!["value"]!.GetValue<string>()));
        var settings = commands[1]!["options"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == "settings");
        Assert.Equal(["time-zone", "quiet-hours"], settings!["options"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task InterviewDoneWithEveryOptionReachesTheEngineAsOneCommandAndIsAnsweredEphemerally()
    {
        Engine.AnswerWith(new Reply(new Message("Saved interview #1 with Acme.", [new Button("nudge:1:notes", "Add notes")])));
        var command = Payloads.Command("interview", "done", new Dictionary<string, JsonNode?>
        {
            ["company"] = "Acme", ["role"] = "Engineer", ["interviewers"] = "Ada, Bob", ["format"] = "video",
            ["decision-date"] = "2026-03-10", ["follow-up-invited"] = true, ["references"] = "Cy", ["ended"] = "now", ["notes"] = "went well",
        });

        var callback = await SendAsync(command);

        DiscordSchema.AssertValid("CreateMessageInteractionCallbackRequest", callback);
        Assert.Equal(4, callback["type"]!.GetValue<int>());
        Assert.Equal(64, callback["data"]!["flags"]!.GetValue<int>());
        Assert.Equal("nudge:1:notes", callback["data"]!["components"]![0]!["components"]![0]!["custom_id"]!.GetValue<string>());
        var slash = Assert.IsType<SlashCommand>(Assert.Single(Engine.Events));
        Assert.Equal("interview done", slash.Name);
        Assert.Equal(new MemberKeyView("discord", Payloads.GuildId, Payloads.MemberId), MemberKeyView.Of(slash));
        Assert.Equal("yes", slash.Options["follow-up-invited"]);
        Assert.Equal("Ada, Bob", slash.Options["interviewers"]);
        Assert.Equal(9, slash.Options.Count);
    }

    [Fact]
    public async Task MissingOptionsOpenAModalThenAPanelAndEndInOneFormSubmission()
    {
        Engine.Answer = e => Task.FromResult<IReadOnlyList<OutboundAction>>(e switch
        {
            SlashCommand => [new ShowForm(InterviewForm())],
            FormSubmitted => [new Reply(new Message("Saved interview #1."))],
            _ => [],
        });

        var modal = await SendAsync(Payloads.Command("interview", "done", new Dictionary<string, JsonNode?> { ["company"] = "Acme" }));
        DiscordSchema.AssertValid("ModalInteractionCallbackRequest", modal);
        Assert.Equal(9, modal["type"]!.GetValue<int>());
        var components = modal["data"]!["components"]!.AsArray();
        Assert.Equal(5, components.Count);
        Assert.All(components, c => Assert.Equal(18, c!["type"]!.GetValue<int>()));
        Assert.Equal(["company", "role", "interviewers", "decision-date", "references"], components.Select(c => c!["component"]!["custom_id"]!.GetValue<string>()));
        var modalId = modal["data"]!["custom_id"]!.GetValue<string>();
        var session = modalId.Split(':')[1];

        var panel = await SendAsync(Payloads.ModalSubmit(modalId, new Dictionary<string, string>
            { ["company"] = "Acme", ["role"] = "Engineer", ["interviewers"] = "Ada", ["decision-date"] = "not said", ["references"] = "" }));
        DiscordSchema.AssertValid("CreateMessageInteractionCallbackRequest", panel);
        Assert.Equal(4, panel["type"]!.GetValue<int>());
        Assert.Equal(64, panel["data"]!["flags"]!.GetValue<int>());
        var rows = panel["data"]!["components"]!.AsArray();
        Assert.Equal(3, rows.Count); // format, follow-up invited, and the buttons
        Assert.Equal(3, rows[0]!["components"]![0]!["type"]!.GetValue<int>());

        var second = await SendAsync(Payloads.Button($"dform:{session}:p:1"));
        DiscordSchema.AssertValid("ModalInteractionCallbackRequest", second);
        Assert.Equal(2, second["data"]!["components"]!.AsArray().Count);
        Assert.Equal("now", second["data"]!["components"]![0]!["component"]!["value"]!.GetValue<string>()); // pre-filled by the engine

        var updated = await SendAsync(Payloads.ModalSubmit($"dform:{session}:m:1", new Dictionary<string, string> { ["ended"] = "14:30", ["notes"] = "hard system design" }, fromMessage: true, legacy: true));
        DiscordSchema.AssertValid("UpdateMessageInteractionCallbackRequest", updated);
        Assert.Equal(7, updated["type"]!.GetValue<int>());
        Assert.Equal(7, (await SendAsync(Payloads.Select($"dform:{session}:c:0", "video")))["type"]!.GetValue<int>());
        var chosen = await SendAsync(Payloads.Select($"dform:{session}:c:1", "yes"));
        Assert.Contains(chosen["data"]!["components"]![1]!["components"]![0]!["options"]!.AsArray(), o => o!["default"]?.GetValue<bool>() == true);
        Assert.Empty(Engine.Events.OfType<FormSubmitted>());

        var done = await SendAsync(Payloads.Button($"dform:{session}:s"));

        Assert.Equal(7, done["type"]!.GetValue<int>());
        Assert.Equal("Saved interview #1.", done["data"]!["content"]!.GetValue<string>());
        var submitted = Assert.Single(Engine.Events.OfType<FormSubmitted>());
        Assert.Equal("interview-done", submitted.FormId);
        Assert.Equal("video", submitted.Values["format"]);
        Assert.Equal("yes", submitted.Values["follow-up-invited"]);
        Assert.Equal("hard system design", submitted.Values["notes"]);
        Assert.Equal("14:30", submitted.Values["ended"]);
        Assert.Equal("not said", submitted.Values["decision-date"]);
        Assert.Equal(9, submitted.Values.Count);
    }

    [Fact]
    public async Task AFormShownInAnswerToAModalSubmitBecomesAPanelNotASecondModal()
    {
        var textOnly = new Form("notes", "Add notes", [new FormField("notes", "Notes", FormFieldKind.LongText, true, Error: "Please write something.")]);
        Engine.Answer = e => Task.FromResult<IReadOnlyList<OutboundAction>>([new ShowForm(textOnly)]);

        var answer = await SendAsync(Payloads.ModalSubmit("notes", new Dictionary<string, string> { ["notes"] = "" }));

        Assert.Equal(4, answer["type"]!.GetValue<int>());
        Assert.Contains("Please write something.", answer["data"]!["content"]!.GetValue<string>());
        Assert.Contains(answer["data"]!["components"]!.AsArray().SelectMany(r => r!["components"]!.AsArray()), b => b!["label"]!.GetValue<string>() == "Answer the questions");
    }

    [Fact]
    public async Task ASingleModalFormIsSubmittedToTheEngineStraightAfterTheModal()
    {
        var textOnly = new Form("notes:3", "Add notes", [new FormField("notes", "Notes", FormFieldKind.LongText, true)]);
        Engine.Answer = e => Task.FromResult<IReadOnlyList<OutboundAction>>(e is FormSubmitted ? [new Reply(new Message("Notes saved."))] : [new ShowForm(textOnly)]);
        var modal = await SendAsync(Payloads.Button("nudge:3:notes"));
        Assert.Equal(9, modal["type"]!.GetValue<int>());

        var saved = await SendAsync(Payloads.ModalSubmit(modal["data"]!["custom_id"]!.GetValue<string>(), new Dictionary<string, string> { ["notes"] = "asked about X" }));

        Assert.Equal("Notes saved.", saved["data"]!["content"]!.GetValue<string>());
        var submitted = Assert.Single(Engine.Events.OfType<FormSubmitted>());
        Assert.Equal("notes:3", submitted.FormId);
        Assert.Equal("asked about X", submitted.Values["notes"]);
    }

    [Fact]
    public async Task AnEngineModalSubmittedInTheLegacyActionRowFormIsRead()
    {
        var answer = await SendAsync(Payloads.ModalSubmit("feedback", new Dictionary<string, string> { ["text"] = "hello", ["more"] = "x" }, legacy: true));

        Assert.Equal(4, answer["type"]!.GetValue<int>());
        var submitted = Assert.Single(Engine.Events.OfType<FormSubmitted>());
        Assert.Equal("hello", submitted.Values["text"]);
        Assert.Equal("x", submitted.Values["more"]);
    }

    [Fact]
    public async Task AButtonPressUpdatesTheMessageItIsOn()
    {
        Engine.AnswerWith(new UpdateMessage(new Message("Marked as done. ✓")));

        var callback = await SendAsync(Payloads.Button("nudge:7:done"));

        DiscordSchema.AssertValid("UpdateMessageInteractionCallbackRequest", callback);
        Assert.Equal(7, callback["type"]!.GetValue<int>());
        Assert.Equal("Marked as done. ✓", callback["data"]!["content"]!.GetValue<string>());
        Assert.Equal("nudge:7:done", Assert.IsType<ButtonPressed>(Assert.Single(Engine.Events)).ButtonId);
    }

    [Fact]
    public async Task AButtonPressedInADirectMessageIsTracedBackToTheServerMember()
    {
        Engine.AnswerWith(new UpdateMessage(new Message("Snoozed.", [new Button("nudge:7:done", "Done")])));

        var callback = await SendAsync(Payloads.Button($"w:{Payloads.GuildId}:nudge:7:snooze", inGuild: false));

        var pressed = Assert.IsType<ButtonPressed>(Assert.Single(Engine.Events));
        Assert.Equal("nudge:7:snooze", pressed.ButtonId);
        Assert.Equal(new MemberKeyView("discord", Payloads.GuildId, Payloads.MemberId), MemberKeyView.Of(pressed));
        Assert.Equal($"w:{Payloads.GuildId}:nudge:7:done", callback["data"]!["components"]![0]!["components"]![0]!["custom_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task AButtonPressedByAnotherMemberIsPassedOnAsThatMemberSoTheEngineCanRefuseIt()
    {
        Engine.Answer = e => Task.FromResult<IReadOnlyList<OutboundAction>>(
            [new Reply(new Message(e.From.Key.UserId == Payloads.MemberId ? "Done." : "That button belongs to someone else."))]);

        var callback = await SendAsync(Payloads.Button("nudge:7:done", userId: Payloads.OtherMemberId));

        Assert.Equal(64, callback["data"]!["flags"]!.GetValue<int>());
        Assert.Equal("That button belongs to someone else.", callback["data"]!["content"]!.GetValue<string>());
        Assert.Equal(Payloads.OtherMemberId, Engine.Events.Single().From.Key.UserId);
    }

    [Fact]
    public async Task AFormPanelPressedByAnotherMemberIsRefusedPolitelyAndChangesNothing()
    {
        Engine.AnswerWith(new ShowForm(InterviewForm()));
        var modal = await SendAsync(Payloads.Command("interview", "done", new Dictionary<string, JsonNode?>()));
        var session = modal["data"]!["custom_id"]!.GetValue<string>().Split(':')[1];

        var refused = await SendAsync(Payloads.Button($"dform:{session}:s", userId: Payloads.OtherMemberId));

        Assert.Equal(4, refused["type"]!.GetValue<int>());
        Assert.Equal(64, refused["data"]!["flags"]!.GetValue<int>());
        Assert.Contains("someone else", refused["data"]!["content"]!.GetValue<string>());
        Assert.Single(Engine.Events);
    }

    [Fact]
    public async Task ASlowEngineIsDeferredThenTheOriginalResponseIsEdited()
    {
        var release = new TaskCompletionSource();
        Engine.Answer = async _ =>
        {
            await release.Task;
            return [new Reply(new Message("Here are your interviews."))];
        };
        var command = Payloads.Command("interview", "list", new Dictionary<string, JsonNode?>());

        var deferral = await SendAsync(command);
        release.SetResult();

        DiscordSchema.AssertValid("CreateMessageInteractionCallbackRequest", deferral);
        Assert.Equal(5, deferral["type"]!.GetValue<int>());
        Assert.Equal(64, deferral["data"]!["flags"]!.GetValue<int>());
        var edit = await _discord.WaitForRequestAsync(r => r.Is("PATCH", $"webhooks/{FakeDiscord.ApplicationId}/{command["token"]}/messages/@original"), "the edit of @original");
        DiscordSchema.AssertValid("IncomingWebhookUpdateRequestPartial", edit.Json);
        Assert.Equal("Here are your interviews.", edit.Json!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task ASlowButtonIsDeferredWithoutALoadingMessageThenTheMessageIsEdited()
    {
        var release = new TaskCompletionSource();
        Engine.Answer = async _ =>
        {
            await release.Task;
            return [new UpdateMessage(new Message("Snoozed until tomorrow."))];
        };
        var button = Payloads.Button("nudge:9:snooze");

        var deferral = await SendAsync(button);
        release.SetResult();

        Assert.Equal(6, deferral["type"]!.GetValue<int>());
        var edit = await _discord.WaitForRequestAsync(r => r.Is("PATCH", $"webhooks/{FakeDiscord.ApplicationId}/{button["token"]}/messages/@original"), "the edit of the message");
        Assert.Equal("Snoozed until tomorrow.", edit.Json!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task AFailingEngineGetsAPoliteAnswer()
    {
        Engine.Answer = _ => throw new InvalidOperationException("database is on fire");

        var callback = await SendAsync(Payloads.Command("interview", "list", new Dictionary<string, JsonNode?>()));

        Assert.Equal(64, callback["data"]!["flags"]!.GetValue<int>());
        Assert.StartsWith("Sorry", callback["data"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task MoreRepliesThanOneBecomeFollowUps()
    {
        Engine.AnswerWith(new Reply(new Message("Saved.")), new Reply(new Message("Heads-up: I could not DM you.")));
        var command = Payloads.Command("interview", "list", new Dictionary<string, JsonNode?>());

        await SendAsync(command);

        var followUp = await _discord.WaitForRequestAsync(r => r.Is("POST", $"webhooks/{FakeDiscord.ApplicationId}/{command["token"]}"), "a follow-up");
        DiscordSchema.AssertValid("IncomingWebhookRequestPartial", followUp.Json);
        Assert.Equal(64, followUp.Json!["flags"]!.GetValue<int>());
    }

    [Fact]
    public async Task AReplyWithAFileIsDeferredThenUploadedThroughTheWebhook()
    {
        var file = new Attachment("followupbot-export.json", "application/json", "{\"interviews\":[]}"u8.ToArray());
        Engine.AnswerWith(new Reply(new Message("Here is everything I store about you.") { Attachment = file }));
        var command = Payloads.Command("followup", "export", new Dictionary<string, JsonNode?>());

        var callback = await SendAsync(command);

        Assert.Equal(5, callback["type"]!.GetValue<int>());
        var upload = await _discord.WaitForRequestAsync(r => r.Is("PATCH", $"webhooks/{FakeDiscord.ApplicationId}/{command["token"]}/messages/@original"), "the upload");
        Assert.Equal(["files[0]:followupbot-export.json:17"], upload.Files);
        Assert.Equal("followupbot-export.json", upload.Json!["attachments"]![0]!["filename"]!.GetValue<string>());
        Assert.Equal("Here is everything I store about you.", upload.Json["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnExpiredFormPanelSaysSoPolitely()
    {
        var callback = await SendAsync(Payloads.Button("dform:000000000000:s"));

        Assert.Contains("expired", callback["data"]!["content"]!.GetValue<string>());
        Assert.Empty(Engine.Events);
    }
}

/// <summary>Compares member keys in assertions.</summary>
internal sealed record MemberKeyView(string Platform, string Workspace, string UserId)
{
    public static MemberKeyView Of(InboundEvent e) => new(e.From.Key.Platform, e.From.Key.Workspace, e.From.Key.UserId);
}
