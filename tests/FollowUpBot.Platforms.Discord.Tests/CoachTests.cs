using System.Text.Json.Nodes;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Platforms.Discord.Tests.Fakes;

namespace FollowUpBot.Platforms.Discord.Tests;

public sealed class CoachTests : IAsyncLifetime
{
    private const string CoachRole = "1900000000000000001";
    private FakeDiscord _discord = null!;
    private AdapterHost _adapter = null!;

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscord.StartAsync();
        _adapter = await AdapterHost.StartAsync(_discord, c => c["Discord:CoachRoleIds"] = $"1800000000000000009, {CoachRole}");
    }

    public async Task DisposeAsync()
    {
        await _adapter.DisposeAsync();
        await _discord.DisposeAsync();
    }

    private async Task<MemberContext> InvokerOfAsync(JsonObject interaction)
    {
        await _discord.Gateway.InteractionAsync(interaction);
        await _discord.CallbackAsync(interaction["id"]!.GetValue<string>());
        return _adapter.Engine.Events.Last().From;
    }

    private static JsonObject Status(Action<JsonObject>? member = null)
    {
        var interaction = Payloads.Command("cohort", "status", new Dictionary<string, JsonNode?>());
        interaction["member"]!["permissions"] = "0";
        if (member is not null) member(interaction["member"]!.AsObject());
        return interaction;
    }

    [Fact]
    public async Task AMemberWithTheCoachRoleIsACoach() =>
        Assert.True((await InvokerOfAsync(Status(m => m["roles"] = new JsonArray("1", CoachRole)))).IsCoach);

    [Fact]
    public async Task AMemberWithoutItIsNot() =>
        Assert.False((await InvokerOfAsync(Status(m => m["roles"] = new JsonArray("1")))).IsCoach);

    [Fact]
    public async Task AServerAdministratorIsACoach() =>
        Assert.True((await InvokerOfAsync(Status(m => m["permissions"] = "8"))).IsCoach);

    [Fact]
    public async Task NobodyIsACoachInADirectMessage() =>
        Assert.False((await InvokerOfAsync(Payloads.Command("cohort", "status", new Dictionary<string, JsonNode?>(), inGuild: false))).IsCoach);

    [Fact]
    public async Task TheCohortCommandsAreRegisteredWithAChannelPicker()
    {
        var put = await _discord.WaitForRequestAsync(r => r.Is("PUT", "applications/"), "the command registration");

        var cohort = put.Json!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "cohort")!;
        DiscordSchema.AssertValid("ApplicationCommandUpdateRequest", cohort);
        var create = cohort["options"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == "create")!;
        var channel = create["options"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == "channel")!;
        Assert.Equal(7, channel["type"]!.GetValue<int>());
    }
}
