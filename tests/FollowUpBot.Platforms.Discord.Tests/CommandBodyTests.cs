using FollowUpBot.Platforms.Discord.Commands;
using FollowUpBot.Platforms.Discord.Tests.Fakes;

namespace FollowUpBot.Platforms.Discord.Tests;

/// <summary>The bulk-overwrite bodies carry only the fields Discord documents for their endpoint.</summary>
public sealed class CommandBodyTests
{
    [Fact]
    public void GuildCommandsAreSentWithoutTheGlobalOnlyInstallationAndContextFields()
    {
        foreach (var command in DiscordCommands.All(guildOnly: true))
        {
            var fields = command!.AsObject().Select(p => p.Key).ToList();
            Assert.DoesNotContain("integration_types", fields);
            Assert.DoesNotContain("contexts", fields);
            DiscordSchema.AssertValid("ApplicationCommandUpdateRequest", command);
        }
    }

    [Fact]
    public void GlobalCommandsAreForGuildInstallsAndWorkInGuildsAndDirectMessages()
    {
        foreach (var command in DiscordCommands.All(guildOnly: false))
        {
            Assert.Equal([0], command!["integration_types"]!.AsArray().Select(n => n!.GetValue<int>()));
            Assert.Equal([0, 1], command["contexts"]!.AsArray().Select(n => n!.GetValue<int>()));
        }
    }
}
