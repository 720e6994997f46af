using System.Text.Json.Nodes;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Platforms.Discord.Tests.Fakes;

namespace FollowUpBot.Platforms.Discord.Tests;

/// <summary>Issue 5 on Discord: real engine, SQLite file, Quartz on a simulated clock; only Discord is faked.</summary>
public sealed class CoachEndToEndTests : IAsyncLifetime
{
    // A Friday morning, UTC: the first digest (Monday 09:00 in Berlin) is three days away.
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MondayNineInBerlin = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private const string CoachRole = "1900000000000000001";
    private const string CoachId = "1500000000000000003";
    private const string CoachChannel = "1400000000000000077";

    private DiscordBot _bot = null!;

    public async Task InitializeAsync() => _bot = await DiscordBot.StartAsync(T0, c => c["Discord:CoachRoleIds"] = CoachRole);

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private FakeDiscord Discord => _bot.Discord;

    private Task<JsonNode> SendAsync(JsonObject interaction) => _bot.AnswerAsync(interaction);

    /// <summary>A command from a server member without admin permissions; coaches hold the coach role.</summary>
    private static JsonObject Command(string name, string sub, Dictionary<string, JsonNode?> options, string userId = Payloads.MemberId, bool coach = false)
    {
        var interaction = Payloads.Command(name, sub, options, userId);
        interaction["member"]!["permissions"] = "0";
        if (coach) interaction["member"]!["roles"] = new JsonArray("1", CoachRole);
        foreach (var option in interaction["data"]!["options"]![0]!["options"]!.AsArray())
            if (option!["name"]!.GetValue<string>() == "channel")
            {
                option["type"] = 7;
                interaction["data"]!["resolved"] = new JsonObject
                {
                    ["channels"] = new JsonObject { [CoachChannel] = new JsonObject { ["id"] = CoachChannel, ["name"] = "career-room", ["type"] = 0, ["permissions"] = "0" } },
                };
            }
        return interaction;
    }

    private static JsonObject Button(string customId, string userId = Payloads.MemberId)
    {
        var interaction = Payloads.Button(customId, userId);
        interaction["member"]!["permissions"] = "0";
        return interaction;
    }

    private static string Content(JsonNode answer) => answer["data"]!["content"]!.GetValue<string>();

    private static IEnumerable<string> CustomIds(JsonNode data) =>
        data["components"]?.AsArray().SelectMany(r => r!["components"]!.AsArray()).Select(b => b!["custom_id"]!.GetValue<string>()) ?? [];

    private async Task<Cohort> CreateCohortAsync()
    {
        await SendAsync(Command("cohort", "create", new() { ["name"] = "Fall 2026", ["channel"] = CoachChannel, ["time-zone"] = "Europe/Berlin" }, CoachId, coach: true));
        return Assert.Single(await _bot.Get<ICohortRepository>().ListAllAsync(default));
    }

    private async Task JoinAsync(Cohort cohort, string level)
    {
        var offer = await SendAsync(Command("cohort", "join", new() { ["code"] = cohort.JoinCode.ToLowerInvariant() }));
        var choice = CustomIds(offer["data"]!).Single(id => id.EndsWith(":" + level, StringComparison.Ordinal));
        var joined = await SendAsync(Button(choice));
        Assert.Equal(7, joined["type"]!.GetValue<int>());
    }

    private async Task InterviewAsync() =>
        await SendAsync(Command("interview", "done", new()
        {
            ["company"] = "Acme", ["role"] = "Backend Engineer", ["interviewers"] = "Ana Ruiz", ["format"] = "video",
            ["decision-date"] = "not said", ["follow-up-invited"] = false, ["references"] = "none", ["ended"] = "09:30", ["notes"] = "went well",
        }));

    [Fact]
    public async Task AMemberWithoutTheCoachRoleIsRefusedCohortCreateAndNothingIsCreated()
    {
        var answer = await SendAsync(Command("cohort", "create", new() { ["name"] = "Fall 2026", ["channel"] = CoachChannel }));

        Assert.Contains("Only coaches", Content(answer));
        Assert.Equal(64, answer["data"]!["flags"]!.GetValue<int>());
        Assert.Empty(await _bot.Get<ICohortRepository>().ListAllAsync(default));
    }

    [Fact]
    public async Task ACoachCreatesACohortBoundToTheChosenChannelAndGetsItsJoinCode()
    {
        var answer = await SendAsync(Command("cohort", "create", new() { ["name"] = "Fall 2026", ["channel"] = CoachChannel, ["time-zone"] = "Europe/Berlin" }, CoachId, coach: true));

        var cohort = Assert.Single(await _bot.Get<ICohortRepository>().ListAllAsync(default));
        Assert.Equal((CoachChannel, "Europe/Berlin"), (cohort.ChannelId, cohort.TimeZoneId));
        Assert.Contains(cohort.JoinCode, Content(answer));
        Assert.Contains($"<#{CoachChannel}>", Content(answer)); // shown as a link to the channel
        DiscordSchema.AssertValid("CreateMessageInteractionCallbackRequest", answer);
    }

    [Fact]
    public async Task AMemberJoinsAfterSeeingWhatTheCoachWillSeeAndChoosingWithAButton()
    {
        var cohort = await CreateCohortAsync();

        var offer = await SendAsync(Command("cohort", "join", new() { ["code"] = cohort.JoinCode }));
        Assert.Equal(4, CustomIds(offer["data"]!).Count());
        Assert.Empty(await _bot.Get<ICohortRepository>().ListMembershipsAsync(cohort.Id, default)); // nobody is in before saying yes
        var joined = await SendAsync(Button(CustomIds(offer["data"]!).Single(id => id.EndsWith(":companies", StringComparison.Ordinal))));

        Assert.Contains("You joined", Content(joined));
        var membership = Assert.Single(await _bot.Get<ICohortRepository>().ListMembershipsAsync(cohort.Id, default));
        Assert.Equal(CohortVisibility.WithCompanies, membership.Visibility);
    }

    [Fact]
    public async Task CohortStatusIsAnEphemeralEmbedWithALinePerMemberWithinDiscordsLimits()
    {
        var cohort = await CreateCohortAsync();
        await InterviewAsync();
        await JoinAsync(cohort, "companies");

        var status = await SendAsync(Command("cohort", "status", new(), CoachId, coach: true));

        DiscordSchema.AssertValid("CreateMessageInteractionCallbackRequest", status);
        EmbedLimits.AssertWithin(status["data"]!);
        Assert.Equal(64, status["data"]!["flags"]!.GetValue<int>());
        var fields = status["data"]!["embeds"]![0]!["fields"]!.AsArray();
        Assert.Equal(["Member 1", "Total (1)"], fields.Select(f => f!["name"]!.GetValue<string>()));
        Assert.Contains("In progress: 1", fields[0]!["value"]!.GetValue<string>());
        Assert.Contains("Acme", fields[0]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task ANonCoachAskingForStatusSeesNoEmbedOnlyARefusal()
    {
        await CreateCohortAsync();

        var status = await SendAsync(Command("cohort", "status", new()));

        Assert.Contains("Only coaches", Content(status));
        Assert.Null(status["data"]!["embeds"]);
    }

    [Fact]
    public async Task OnMondayAtNineInTheCohortsZoneTheDigestIsPostedToTheCoachChannelAsEmbeds()
    {
        var cohort = await CreateCohortAsync();
        await InterviewAsync();
        await JoinAsync(cohort, "full");
        Assert.DoesNotContain(Discord.Requests, r => r.Is("POST", $"channels/{CoachChannel}/messages"));

        _bot.Clock.SetUtcNow(MondayNineInBerlin);

        var digest = await Discord.WaitForRequestAsync(r => r.Is("POST", $"channels/{CoachChannel}/messages"), "the digest in the coach channel", TimeSpan.FromSeconds(20));
        DiscordSchema.AssertValid("MessageCreateRequest", digest.Json);
        EmbedLimits.AssertWithin(digest.Json!);
        Assert.Contains("Fall 2026", digest.Json!["content"]!.GetValue<string>());
        var embeds = digest.Json["embeds"]!.AsArray();
        Assert.Contains(embeds, e => e!["fields"]?.AsArray().Any(f => f!["name"]!.GetValue<string>() == "Member 1") == true);
        Assert.Empty(digest.Json["allowed_mentions"]!["parse"]!.AsArray());
    }

    [Fact]
    public async Task TheDigestCarriesItsChartAsAnAttachedPngShownAsTheEmbedsImageWithAltText()
    {
        var cohort = await CreateCohortAsync();
        await InterviewAsync();
        await JoinAsync(cohort, "full");

        _bot.Clock.SetUtcNow(MondayNineInBerlin);

        var digest = await Discord.WaitForRequestAsync(r => r.Is("POST", $"channels/{CoachChannel}/messages") && r.Files is { Count: > 0 },
            "the digest with its chart", TimeSpan.FromSeconds(20));
        DiscordSchema.AssertValid("MessageCreateRequest", digest.Json);
        var file = Assert.Single(digest.Files!).Split(':');
        Assert.Equal(["files[0]", "fall-2026-2026-12-07.png"], file[..2]);
        Assert.True(long.Parse(file[2]) > 10_000, $"{file[2]} bytes");
        var attachment = Assert.Single(digest.Json!["attachments"]!.AsArray())!;
        Assert.Equal("fall-2026-2026-12-07.png", attachment["filename"]!.GetValue<string>());
        var alt = attachment["description"]!.GetValue<string>();
        Assert.StartsWith("Chart of Fall 2026, totals over 1 member, weeks of 19 Oct to 7 Dec. Interviews per week: 0, 0, 0, 0, 0, 0, 1, 0.", alt);
        Assert.Equal("attachment://fall-2026-2026-12-07.png", digest.Json["embeds"]!.AsArray()[^1]!["image"]!["url"]!.GetValue<string>());
        // One chart per digest, however many messages it takes.
        Assert.Single(Discord.Requests, r => r.Is("POST", $"channels/{CoachChannel}/messages") && r.Files is { Count: > 0 });
    }

    [Fact]
    public async Task AnExportArrivesAsAJsonFileUploadedToTheMembersDms()
    {
        await InterviewAsync();

        var answer = await SendAsync(Command("followup", "export", new()));

        Assert.Contains("direct message", Content(answer));
        var upload = await Discord.WaitForRequestAsync(r => r.Is("POST", $"channels/9{Payloads.MemberId}/messages") && r.Files is { Count: > 0 }, "the export DM");
        var file = Assert.Single(upload.Files!).Split(':');
        Assert.EndsWith(".json", file[1], StringComparison.Ordinal);
        Assert.True(long.Parse(file[2]) > 0);
        DiscordSchema.AssertValid("MessageCreateRequest", upload.Json);
        Assert.Equal("0", upload.Json!["attachments"]![0]!["id"]!.ToString());
    }

    [Fact]
    public async Task DeleteMyDataAsksWithButtonsThenRemovesTheMember()
    {
        await InterviewAsync();

        var ask = await SendAsync(Command("followup", "delete-my-data", new()));
        Assert.NotNull(await _bot.MemberAsync());
        var yes = CustomIds(ask["data"]!).Single(id => id.EndsWith(":yes", StringComparison.Ordinal));
        var done = await SendAsync(Button(yes));

        Assert.Equal(7, done["type"]!.GetValue<int>());
        Assert.Null(await _bot.MemberAsync());
        Assert.Empty(await _bot.InterviewsAsync());
    }
}
