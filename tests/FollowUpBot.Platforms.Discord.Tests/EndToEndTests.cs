using System.Text.Json.Nodes;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Ports;
using FollowUpBot.Platforms.Discord.Tests.Fakes;

namespace FollowUpBot.Platforms.Discord.Tests;

/// <summary>Real engine, real SQLite file, real Quartz on a simulated clock; only Discord is faked.</summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    // A Friday morning, UTC (the default zone), outside the default quiet hours.
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private DiscordBot _bot = null!;

    public async Task InitializeAsync() => _bot = await DiscordBot.StartAsync(T0);

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private FakeDiscord Discord => _bot.Discord;

    private Task<JsonNode> SendAsync(JsonObject interaction) => _bot.AnswerAsync(interaction);

    private static JsonObject InterviewDone(string userId = Payloads.MemberId) => Payloads.Command("interview", "done", new Dictionary<string, JsonNode?>
    {
        ["company"] = "Acme", ["role"] = "Backend Engineer", ["interviewers"] = "Ana Ruiz, Ben Ode", ["format"] = "video",
        ["decision-date"] = "not said", ["follow-up-invited"] = false, ["references"] = "Kim Lee", ["ended"] = "09:30", ["notes"] = "system design went well",
    }, userId);

    private IReadOnlyList<RecordedRequest> DirectMessages(string userId = Payloads.MemberId) =>
        Discord.Requests.Where(r => r.Is("POST", $"channels/9{userId}/messages")).ToList();

    private static string Text(RecordedRequest message) => message.Json!["content"]!.GetValue<string>();

    private static IEnumerable<string> CustomIds(JsonNode message) =>
        message["components"]?.AsArray().SelectMany(r => r!["components"]!.AsArray()).Select(b => b!["custom_id"]!.GetValue<string>()) ?? [];

    [Fact]
    public void TheRegisteredOptionsAreTheEnginesOwn()
    {
        var registered = Commands.DiscordCommands.All(guildOnly: false)
            .SelectMany(c => c!["options"]!.AsArray().Select(s => (Name: $"{c["name"]} {s!["name"]}",
                Options: s["options"]?.AsArray().Select(o => o!["name"]!.GetValue<string>()).ToList() ?? [])))
            .ToDictionary(c => c.Name, c => c.Options);

        foreach (var spec in CommandCatalog.All)
            Assert.Equal(spec.Options, registered[spec.Name]);
    }

    [Fact]
    public async Task InterviewDoneWithEveryOptionStoresTheInterviewAndSendsTheDebriefAtOnce()
    {
        var answer = await SendAsync(InterviewDone());

        Assert.Equal(4, answer["type"]!.GetValue<int>());
        Assert.Equal(64, answer["data"]!["flags"]!.GetValue<int>());
        var interview = Assert.Single(await _bot.InterviewsAsync());
        Assert.Equal(("Acme", InterviewFormat.Video), (interview.Company, interview.Format));
        Assert.Equal(["Ana Ruiz", "Ben Ode"], interview.Interviewers);
        Assert.Equal(T0.AddMinutes(-30), interview.EndedAt);

        var debrief = await Discord.WaitForRequestAsync(r => r.Is("POST", $"channels/9{Payloads.MemberId}/messages"), "the debrief DM");
        DiscordSchema.AssertValid("MessageCreateRequest", debrief.Json);
        var nudges = await _bot.Get<INudgeRepository>().ListByInterviewAsync(interview.Id, CancellationToken.None);
        var debriefNudge = nudges.Single(n => n.Kind == NudgeKind.Debrief);
        Assert.Equal(debriefNudge.DeliveryKey.Replace("d2", "d1"), debrief.Json!["nonce"]!.GetValue<string>());
        Assert.Contains($"w:{Payloads.GuildId}.n{debriefNudge.Id}d1:nudge:{debriefNudge.Id}:notes", CustomIds(debrief.Json));
        await GatewayTests.Poll(() => _bot.Get<INudgeRepository>().GetAsync(debriefNudge.Id, default).Result!.State == NudgeState.Sent, "the debrief recorded as sent");
    }

    [Fact]
    public async Task ANudgeFallingDueLaterArrivesAsADirectMessageAndItsButtonsWork()
    {
        await SendAsync(InterviewDone());
        await Discord.WaitForRequestAsync(r => r.Is("POST", $"channels/9{Payloads.MemberId}/messages"), "the debrief DM");
        var interview = Assert.Single(await _bot.InterviewsAsync());
        var nudges = await _bot.Get<INudgeRepository>().ListByInterviewAsync(interview.Id, CancellationToken.None);
        var thanks = nudges.Where(n => n.Kind == NudgeKind.ThankYou).OrderBy(n => n.DueAt).First();
        Assert.Single(DirectMessages());

        _bot.Clock.SetUtcNow(thanks.DueAt);

        await GatewayTests.Poll(() => DirectMessages().Any(m => Text(m).Contains(thanks.Interviewer!)), "the thank-you DM");
        var dm = DirectMessages().First(m => Text(m).Contains(thanks.Interviewer!));
        Assert.Equal($"n{thanks.Id}d1", dm.Json!["nonce"]!.GetValue<string>());
        var done = $"w:{Payloads.GuildId}.n{thanks.Id}d1:nudge:{thanks.Id}:done";
        Assert.Contains(done, CustomIds(dm.Json));
        await GatewayTests.Poll(() => _bot.Get<INudgeRepository>().GetAsync(thanks.Id, default).Result!.State == NudgeState.Sent, "the thank-you recorded as sent");

        // Someone else pressing the button (say, in a shared screen) changes nothing.
        var refused = await SendAsync(Payloads.Button(done, userId: Payloads.OtherMemberId, inGuild: false));
        Assert.Contains("someone else", refused["data"]!["content"]!.GetValue<string>());
        Assert.Equal(NudgeState.Sent, (await _bot.Get<INudgeRepository>().GetAsync(thanks.Id, default))!.State);

        var pressed = await SendAsync(Payloads.Button(done, inGuild: false));

        Assert.Equal(7, pressed["type"]!.GetValue<int>());
        Assert.Equal(NudgeState.Done, (await _bot.Get<INudgeRepository>().GetAsync(thanks.Id, default))!.State);
    }

    [Fact]
    public async Task TheDebriefsAddNotesButtonInTheDmOpensAModalWhoseNotesAreStored()
    {
        await SendAsync(InterviewDone());
        var debrief = await Discord.WaitForRequestAsync(r => r.Is("POST", $"channels/9{Payloads.MemberId}/messages"), "the debrief DM");
        var notesButton = CustomIds(debrief.Json!).Single(id => id.EndsWith(":notes", StringComparison.Ordinal));

        var modal = await SendAsync(Payloads.Button(notesButton, inGuild: false));
        Assert.Equal(9, modal["type"]!.GetValue<int>());
        var fields = modal["data"]!["components"]!.AsArray().Select(c => c!["component"]!["custom_id"]!.GetValue<string>()).ToList();
        var submit = Payloads.ModalSubmit(modal["data"]!["custom_id"]!.GetValue<string>(), fields.ToDictionary(f => f, _ => "They asked about on-call; I forgot to mention my pager duty."));
        submit.Remove("guild_id");
        submit.Remove("member");
        submit["user"] = new JsonObject { ["id"] = Payloads.MemberId, ["username"] = "member1" };
        var saved = await SendAsync(submit);

        Assert.DoesNotContain("someone else", saved["data"]!["content"]!.GetValue<string>());
        Assert.Contains("pager duty", Assert.Single(await _bot.InterviewsAsync()).Notes);
    }

    [Fact]
    public async Task MissingOptionsAreAskedInAModalAndAPanelThenTheInterviewIsStored()
    {
        var modal = await SendAsync(Payloads.Command("interview", "done", new Dictionary<string, JsonNode?> { ["company"] = "Globex" }));

        Assert.Equal(9, modal["type"]!.GetValue<int>());
        DiscordSchema.AssertValid("ModalInteractionCallbackRequest", modal);
        var modalId = modal["data"]!["custom_id"]!.GetValue<string>();
        var fields = modal["data"]!["components"]!.AsArray().Select(c => c!["component"]!["custom_id"]!.GetValue<string>()).ToList();
        Assert.Contains("interviewers", fields);

        var panel = await SendAsync(Payloads.ModalSubmit(modalId, fields.ToDictionary(f => f, f => f == "interviewers" ? "Hank Scorpio" : "")));
        DiscordSchema.AssertValid("CreateMessageInteractionCallbackRequest", panel);
        var session = modalId.Split(':')[1];
        var selects = panel["data"]!["components"]!.AsArray().SelectMany(r => r!["components"]!.AsArray()).Where(c => c!["type"]!.GetValue<int>() == 3).ToList();
        var format = selects.Single(s => s!["placeholder"]!.GetValue<string>().StartsWith("Format"))!["custom_id"]!.GetValue<string>();
        await SendAsync(Payloads.Select(format, "onsite"));
        foreach (var part in panel["data"]!["components"]!.AsArray().Last()!["components"]!.AsArray()
                     .Select(b => b!["custom_id"]!.GetValue<string>()).Where(id => id.Contains(":p:") && !id.EndsWith(":p:0")))
        {
            var more = await SendAsync(Payloads.Button(part));
            var moreFields = more["data"]!["components"]!.AsArray().Select(c => c!["component"]!["custom_id"]!.GetValue<string>());
            await SendAsync(Payloads.ModalSubmit(more["data"]!["custom_id"]!.GetValue<string>(), moreFields.ToDictionary(f => f, _ => ""), fromMessage: true));
        }

        var saved = await SendAsync(Payloads.Button($"dform:{session}:s"));

        Assert.Equal(7, saved["type"]!.GetValue<int>());
        var interview = Assert.Single(await _bot.InterviewsAsync());
        Assert.Equal(("Globex", InterviewFormat.Onsite, "Hank Scorpio"), (interview.Company, interview.Format, interview.Interviewers.Single()));
    }

    [Fact]
    public async Task AMemberWithClosedDmsIsToldOnceAtTheirNextCommand()
    {
        Discord.ClosedDms[Payloads.MemberId] = 0;
        await SendAsync(InterviewDone());
        await GatewayTests.Poll(() => _bot.MemberAsync().Result?.UnreachableNoticePending == true, "the member marked unreachable");
        Assert.Single(DirectMessages()); // a 403 is final: not retried

        var next = await SendAsync(Payloads.Command("interview", "list", new Dictionary<string, JsonNode?>()));
        var again = await SendAsync(Payloads.Command("interview", "list", new Dictionary<string, JsonNode?>()));

        Assert.Contains("direct messages", next["data"]!["content"]!.GetValue<string>());
        Assert.Equal(64, next["data"]!["flags"]!.GetValue<int>());
        Assert.DoesNotContain("couldn't reach you", again["data"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task MalformedAndUnknownPayloadsStoreNothingAndBreakNothing()
    {
        await Discord.Gateway.SendRawAsync("""{"op":0,"t":"INTERACTION_CREATE","s":9999,"d":{"id":"1","token":"t","type":2,"data":{"name":42}}}""");
        await Discord.Gateway.DispatchAsync("INTERACTION_CREATE", new JsonObject { ["id"] = "2", ["token"] = "t", ["type"] = 2, ["member"] = new JsonObject { ["user"] = new JsonObject { ["id"] = "3" } }, ["data"] = "garbage" });
        await Discord.Gateway.DispatchAsync("INTERACTION_CREATE", new JsonObject { ["id"] = "4", ["token"] = "t", ["type"] = 99, ["user"] = new JsonObject { ["id"] = "5" } });
        await Discord.Gateway.DispatchAsync("MESSAGE_REACTION_ADD", new JsonObject { ["emoji"] = "👍" });
        await Discord.Gateway.SendOpAsync(1); // a heartbeat request in the middle of it all

        var answer = await SendAsync(InterviewDone());

        Assert.Equal(4, answer["type"]!.GetValue<int>());
        Assert.Single(await _bot.InterviewsAsync());
        Assert.Null(await _bot.MemberAsync("3"));
        Assert.Equal(1, Discord.Gateway.Connections);
    }
}
