using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Slack.Tests.Support;

namespace FollowUpBot.Platforms.Slack.Tests;

/// <summary>What the adapter tells the engine about coaches, on every event, and the channel a coach picked.</summary>
public sealed class CoachIdentityTests
{
    private static Task<SlackAdapterHarness> StartAsync() => SlackAdapterHarness.StartAsync(s =>
    {
        s["Slack:CoachUserIds:0"] = "U9";
        // users.info on every event, so a change in Slack shows at once.
        s["Slack:UserInfoCacheDuration"] = "00:00:00";
    });

    [Fact]
    public async Task ConfiguredCoachesAndWorkspaceAdminsAreCoachesOnCommandsAndButtonsOthersAreNot()
    {
        await using var harness = await StartAsync();
        var fake = harness.Fake;
        fake.Users["U9"] = "Europe/Berlin";
        fake.Users["U3"] = "America/Chicago";
        fake.Admins["U3"] = true;
        var socket = (await fake.WaitForOpenSocketsAsync(2))[0];
        harness.Engine.Answer = _ => [new Reply(new Message("ok", [new Button("cohort:status:1:2", "Next page")]))];

        foreach (var user in new[] { "U9", "U3", "U1" })
            await fake.WaitForAckAsync(await socket.SendEnvelopeAsync("slash_commands", fake.SlashCommand(user, "/cohort", "status")));
        var shown = fake.Seed("C1", "status", null);
        shown.Blocks = Rendering.BlockKit.Blocks(new Message("status", [new Button("cohort:status:1:2", "Next page")]));
        await fake.WaitForAckAsync(await socket.SendEnvelopeAsync("interactive", fake.BlockAction("U1", shown, "cohort:status:1:2")));
        await fake.WaitForAckAsync(await socket.SendEnvelopeAsync("interactive", fake.BlockAction("U9", shown, "cohort:status:1:2")));
        await fake.WaitUntilAsync(() => harness.Engine.Events.Count == 5, "five events at the engine");

        var coach = harness.Engine.Events.ToLookup(e => e.From.Key.UserId, e => (e.GetType().Name, e.From.IsCoach));
        Assert.Equal([("SlashCommand", true), ("ButtonPressed", true)], coach["U9"]);
        Assert.Equal([("SlashCommand", true)], coach["U3"]);
        Assert.Equal([("SlashCommand", false), ("ButtonPressed", false)], coach["U1"]);
    }

    [Fact]
    public async Task AnAdminWhoLosesTheRoleInSlackIsNoLongerACoach()
    {
        await using var harness = await StartAsync();
        var fake = harness.Fake;
        fake.Users["U3"] = "America/Chicago";
        fake.Admins["U3"] = true;
        var socket = (await fake.WaitForOpenSocketsAsync(2))[0];

        await fake.WaitForAckAsync(await socket.SendEnvelopeAsync("slash_commands", fake.SlashCommand("U3", "/cohort", "status")));
        fake.Admins.TryRemove("U3", out _);
        await fake.WaitForAckAsync(await socket.SendEnvelopeAsync("slash_commands", fake.SlashCommand("U3", "/cohort", "status")));
        await fake.WaitUntilAsync(() => harness.Engine.Events.Count == 2, "two commands at the engine");

        Assert.Equal([true, false], harness.Engine.Events.Select(e => e.From.IsCoach));
    }

    [Fact]
    public async Task AChannelPickedWithHashReachesTheEngineAsItsId()
    {
        await using var harness = await StartAsync();
        var socket = (await harness.Fake.WaitForOpenSocketsAsync(2))[0];

        await harness.Fake.WaitForAckAsync(await socket.SendEnvelopeAsync("slash_commands",
            harness.Fake.SlashCommand("U9", "/cohort", "create name:\"Fall &amp; Winter\" channel:<#C0COACH1|career-room>")));
        var command = Assert.IsType<SlashCommand>(await harness.Fake.WaitUntilAsync(() => harness.Engine.Events.FirstOrDefault(), "the command"));

        Assert.Equal("cohort create", command.Name);
        Assert.Equal("C0COACH1", command.Options["channel"]);
        Assert.Equal("Fall & Winter", command.Options["name"]);
    }
}
