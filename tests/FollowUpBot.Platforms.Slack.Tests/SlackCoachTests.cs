using System.Text.Json;
using System.Text.Json.Nodes;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Platforms.Slack.Tests.Support;

namespace FollowUpBot.Platforms.Slack.Tests;

/// <summary>
/// Issue 5 on Slack, end to end: the real engine, SQLite and Quartz on a simulated clock, with Slack played by the fake.
/// U9 is a configured coach (Berlin), U3 a workspace admin, U1 and U2 ordinary members.
/// </summary>
public sealed class SlackCoachTests
{
    // Friday 4 December 2026, 14:00 UTC: 15:00 in Berlin.
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 14, 0, 0, TimeSpan.Zero);
    private const string Coach = "U9";
    private const string CoachChannel = "C0COACH1";
    private const string Create = "create name:\"Fall 2026\" channel:<#C0COACH1|career-room>";
    private const string Interview =
        "done company:\"Acme & Sons\" role:\"Backend Engineer\" interviewers:\"Ana Ruiz\" format:onsite " +
        "decision-date:2026-12-11 follow-up-invited:no references:\"Kim Lee\"";

    private static async Task<SlackBot> StartAsync()
    {
        var bot = await SlackBot.StartAsync(T0, s => s["Slack:CoachUserIds:0"] = Coach);
        bot.Fake.Users[Coach] = "Europe/Berlin";
        bot.Fake.Users["U3"] = "America/Chicago";
        bot.Fake.Admins["U3"] = true;
        bot.Fake.Channels[CoachChannel] = true;
        return bot;
    }

    [Fact]
    public async Task AnOrdinaryMemberIsRefusedCohortCreateAndNothingIsCreated()
    {
        await using var bot = await StartAsync();

        var (_, answer) = await bot.CommandWithAnswerAsync("U1", "/cohort", Create);

        Assert.Equal("ephemeral", (string?)answer["response_type"]);
        Assert.Contains("Only coaches", (string?)answer["text"]);
        Assert.Empty(await bot.Get<ICohortRepository>().ListAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AConfiguredCoachCreatesACohortBoundToTheChannelPickedInSlackAndGetsTheJoinCode()
    {
        await using var bot = await StartAsync();

        var (_, answer) = await bot.CommandWithAnswerAsync(Coach, "/cohort", Create);

        var cohort = Assert.Single(await bot.Get<ICohortRepository>().ListAllAsync(CancellationToken.None));
        Assert.Equal((CoachChannel, "slack", FakeSlack.TeamId, "Europe/Berlin"), (cohort.ChannelId, cohort.Platform, cohort.Workspace, cohort.TimeZoneId));
        Assert.Contains(cohort.JoinCode, (string?)answer["text"]);
        // Coaches see the channel as a Slack channel link, not as its id.
        Assert.Contains($"<#{CoachChannel}>", SectionTexts(answer));
        Assert.Empty(bot.Fake.Problems);
    }

    [Fact]
    public async Task AWorkspaceAdminIsACoachToo()
    {
        await using var bot = await StartAsync();

        await bot.CommandWithAnswerAsync("U3", "/cohort", "create name:\"Spring\" channel:<#C0COACH1|>");

        var cohort = Assert.Single(await bot.Get<ICohortRepository>().ListAllAsync(CancellationToken.None));
        Assert.Equal(CoachChannel, cohort.ChannelId);
    }

    [Fact]
    public async Task AChannelTypedAsPlainTextIsRefusedWithHowToPickItAndNothingIsCreated()
    {
        await using var bot = await StartAsync();

        var (_, answer) = await bot.CommandWithAnswerAsync(Coach, "/cohort", "create name:\"Fall 2026\" channel:#no-such-room");

        Assert.Contains("pick the channel from Slack's list", (string?)answer["text"]);
        Assert.Contains("Nothing was created", (string?)answer["text"]);
        Assert.Empty(await bot.Get<ICohortRepository>().ListAllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AMemberJoinsWithTheConsentButtonsAtTheLevelChosen()
    {
        await using var bot = await StartAsync();
        var cohort = await CreateCohortAsync(bot);

        var (_, offer) = await bot.CommandWithAnswerAsync("U1", "/cohort", $"join code:{cohort.JoinCode}");

        Assert.Contains("exactly how your line looks", (string?)offer["text"]);
        Assert.Equal(4, ActionIds(offer).Count);
        Assert.Empty(await MembershipsAsync(bot, cohort));

        var shown = await PressAsync(bot, "U1", offer, ActionIds(offer).Single(id => id.EndsWith(":companies", StringComparison.Ordinal)));

        Assert.Contains("You joined", shown.Text);
        Assert.Empty(shown.ActionIds);
        var membership = Assert.Single(await MembershipsAsync(bot, cohort));
        Assert.Equal(CohortVisibility.WithCompanies, membership.Visibility);
    }

    [Fact]
    public async Task CohortStatusIsAHeaderAndATableWithinBlockKitLimitsPagedWithButtons()
    {
        await using var bot = await StartAsync();
        var cohort = await CreateCohortAsync(bot);
        await bot.CommandWithAnswerAsync("U1", "/interview", Interview);
        await JoinAsync(bot, "U1", cohort, "full");
        await SeedMembersAsync(bot, cohort, 30);

        var (_, status) = await bot.CommandWithAnswerAsync(Coach, "/cohort", "status");

        var blocks = status["blocks"]!.AsArray().OfType<JsonObject>().ToList();
        Assert.InRange(blocks.Count, 3, 50);
        Assert.Equal("header", (string?)blocks[0]["type"]);
        Assert.All(blocks.Where(b => (string?)b["type"] == "section"), b => Assert.InRange(((string)b["text"]!["text"]!).Length, 1, 3000));
        var table = SectionTexts(status);
        Assert.Contains("```", table);
        Assert.Contains("Acme &amp; Sons", table);
        Assert.False(string.IsNullOrEmpty((string?)status["text"]));
        var next = Assert.Single(ActionIds(status));

        var second = await PressAsync(bot, Coach, status, next);

        Assert.Contains("(2/2)", second.Text);
        Assert.Equal("header", (string?)second.Blocks![0]!["type"]);
        Assert.Empty(bot.Fake.Problems);
    }

    [Fact]
    public async Task TheDigestFallsDueOnMondayAtNineInTheCohortsZoneAndIsPostedToTheCoachChannel()
    {
        await using var bot = await StartAsync();
        var cohort = await CreateCohortAsync(bot);
        await bot.CommandWithAnswerAsync("U1", "/interview", Interview);
        await JoinAsync(bot, "U1", cohort, "full");
        Assert.Empty(bot.Fake.MessagesIn(CoachChannel));

        // Monday 7 December 2026, 09:00 in Berlin.
        bot.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));

        var digest = await bot.Fake.WaitUntilAsync(() => bot.Fake.MessagesIn(CoachChannel).FirstOrDefault(), "the digest in the coach channel");
        Assert.Equal("header", (string?)digest.Blocks![0]!["type"]);
        Assert.Contains("Fall 2026", (string?)digest.Blocks[0]!["text"]!["text"]);
        Assert.Contains("Acme", digest.Text);
        Assert.All(bot.Fake.CallsTo("chat.postMessage").Where(c => c.Arg("channel") == CoachChannel),
            c => Assert.Equal(FakeSlack.BotToken, c.Token));
        Assert.Empty(bot.Fake.Problems);
    }

    [Fact]
    public async Task TheDigestsChartIsSharedInTheCoachChannelRightBelowItThroughTheThreeStepUploadWithAltText()
    {
        await using var bot = await StartAsync();
        var cohort = await CreateCohortAsync(bot);
        await bot.CommandWithAnswerAsync("U1", "/interview", Interview);
        await JoinAsync(bot, "U1", cohort, "full");

        bot.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));

        var chart = await bot.Fake.WaitUntilAsync(() => bot.Fake.SharedFiles.FirstOrDefault(), "the digest's chart in the coach channel");
        Assert.Equal(CoachChannel, chart.Channel);
        Assert.Equal("fall-2026-2026-12-07.png", chart.FileName);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], chart.Content[..4]);
        Assert.False(chart.UploadCarriedToken);
        Assert.StartsWith("Chart of Fall 2026, totals over 1 member", chart.AltText);
        Assert.DoesNotContain("Acme", chart.AltText);
        // In order: the digest's text, then its chart (getUploadURLExternal, the upload, completeUploadExternal).
        var calls = bot.Fake.Calls.Select(c => c.Method).ToList();
        Assert.True(calls.LastIndexOf("chat.postMessage") < calls.IndexOf("files.getUploadURLExternal"));
        Assert.True(calls.IndexOf("files.getUploadURLExternal") < calls.IndexOf("files.completeUploadExternal"));
        Assert.Single(bot.Fake.SharedFiles);
        Assert.Empty(bot.Fake.Problems);
    }

    [Fact]
    public async Task ExportSendsAJsonFileToTheMembersDmThroughSlacksThreeStepUpload()
    {
        await using var bot = await StartAsync();
        await bot.CommandWithAnswerAsync("U1", "/interview", Interview);

        var (_, answer) = await bot.CommandWithAnswerAsync("U1", "/followup", "export");

        Assert.Contains("direct message", (string?)answer["text"]);
        var file = await bot.Fake.WaitUntilAsync(() => bot.Fake.SharedFiles.FirstOrDefault(), "the shared export file");
        Assert.Equal(FakeSlack.DmChannelOf("U1"), file.Channel);
        Assert.EndsWith(".json", file.FileName);
        Assert.False(file.UploadCarriedToken);
        using (var json = JsonDocument.Parse(file.Content))
            Assert.Contains("Acme & Sons", json.RootElement.GetRawText().Replace("\\u0026", "&"));
        Assert.Contains("JSON file", file.InitialComment);
        var order = bot.Fake.Calls.Select(c => c.Method).Where(m => m.StartsWith("files.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["files.getUploadURLExternal", "files.completeUploadExternal"], order);
        Assert.Equal(file.Content.Length.ToString(), bot.Fake.CallsTo("files.getUploadURLExternal")[0].Arg("length"));
        Assert.DoesNotContain(bot.Fake.SharedFiles, f => f.Channel != FakeSlack.DmChannelOf("U1"));
        Assert.Empty(bot.Fake.Problems);
    }

    [Fact]
    public async Task DeleteMyDataAsksWithButtonsThenRemovesOnlyThatMembersData()
    {
        await using var bot = await StartAsync();
        await bot.CommandWithAnswerAsync("U1", "/interview", Interview);
        await bot.CommandWithAnswerAsync("U2", "/interview", Interview);

        var (_, question) = await bot.CommandWithAnswerAsync("U1", "/followup", "delete-my-data");

        Assert.Contains("cannot be undone", (string?)question["text"]);
        Assert.Single(await bot.InterviewsAsync("U1"));
        var yes = ActionIds(question).Single(id => id.EndsWith(":yes", StringComparison.Ordinal));
        Assert.Equal("danger", (string?)question["blocks"]!.AsArray().OfType<JsonObject>().Single(b => (string?)b["type"] == "actions")
            ["elements"]!.AsArray().OfType<JsonObject>().Single(e => (string?)e["action_id"] == yes)["style"]);

        var shown = await PressAsync(bot, "U1", question, yes);

        Assert.StartsWith("Deleted", shown.Text);
        Assert.Empty(await bot.InterviewsAsync("U1"));
        Assert.Single(await bot.InterviewsAsync("U2"));
    }

    // ---- helpers

    private static async Task<Cohort> CreateCohortAsync(SlackBot bot)
    {
        await bot.CommandWithAnswerAsync(Coach, "/cohort", Create);
        return Assert.Single(await bot.Get<ICohortRepository>().ListAllAsync(CancellationToken.None));
    }

    private static async Task JoinAsync(SlackBot bot, string userId, Cohort cohort, string level)
    {
        var (_, offer) = await bot.CommandWithAnswerAsync(userId, "/cohort", $"join code:{cohort.JoinCode}");
        await PressAsync(bot, userId, offer, ActionIds(offer).Single(id => id.EndsWith(":" + level, StringComparison.Ordinal)));
    }

    /// <summary>Presses a button of an ephemeral answer and waits until the answer is replaced.</summary>
    private static async Task<PostedMessage> PressAsync(SlackBot bot, string userId, JsonObject answer, string actionId)
    {
        var (press, shown) = bot.Fake.EphemeralBlockAction(userId, answer, actionId);
        await bot.Fake.WaitForAckAsync(await bot.Socket.SendEnvelopeAsync("interactive", press));
        await bot.Fake.WaitUntilAsync(() => shown.Updates >= 1, $"the answer replaced after {actionId}");
        return shown;
    }

    /// <summary>Members who joined earlier, so that the status needs more than one page.</summary>
    private static async Task SeedMembersAsync(SlackBot bot, Cohort cohort, int count)
    {
        var members = bot.Get<IMemberRepository>();
        for (var i = 0; i < count; i++)
        {
            var member = await members.SaveAsync(new Member(0, new MemberKey("slack", FakeSlack.TeamId, $"U{100 + i}"), "Europe/Berlin",
                QuietHours.Default, false, T0, T0), CancellationToken.None);
            await bot.Get<ICohortRepository>().SaveMembershipAsync(
                new CohortMembership(cohort.Id, member.Id, CohortVisibility.StatusOnly, $"x member {i}", T0), CancellationToken.None);
        }
    }

    private static Task<IReadOnlyList<CohortMembership>> MembershipsAsync(SlackBot bot, Cohort cohort) =>
        bot.Get<ICohortRepository>().ListMembershipsAsync(cohort.Id, CancellationToken.None);

    private static IReadOnlyList<string> ActionIds(JsonObject answer) =>
        answer["blocks"]?.AsArray().OfType<JsonObject>().Where(b => (string?)b["type"] == "actions")
            .SelectMany(b => b["elements"]!.AsArray().OfType<JsonObject>()).Select(e => (string)e["action_id"]!).ToList() ?? [];

    private static string SectionTexts(JsonObject answer) =>
        string.Join("\n", answer["blocks"]?.AsArray().OfType<JsonObject>().Where(b => (string?)b["type"] == "section")
            .Select(b => (string?)b["text"]?["text"]) ?? []);
}
