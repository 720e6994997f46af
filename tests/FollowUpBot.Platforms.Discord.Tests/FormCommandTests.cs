using FollowUpBot.Platforms.Discord.Interactions;

namespace FollowUpBot.Platforms.Discord.Tests;

public sealed class FormCommandTests
{
    [Theory]
    [InlineData("dform:0a1b2c3d4e5f:m:0", FormCommandKind.ModalSubmitted, 0)]
    [InlineData("dform:0a1b2c3d4e5f:m:3", FormCommandKind.ModalSubmitted, 3)]
    [InlineData("dform:0a1b2c3d4e5f:p:1", FormCommandKind.OpenPart, 1)]
    [InlineData("dform:0a1b2c3d4e5f:c:2", FormCommandKind.Choice, 2)]
    [InlineData("dform:0a1b2c3d4e5f:s", FormCommandKind.Submit, 0)]
    public void PanelAndModalIdsAlreadyShownStillParseAndFormatTheSame(string wire, FormCommandKind kind, int index)
    {
        var command = FormCommand.Parse(wire);
        Assert.Equal(new FormCommand("0a1b2c3d4e5f", kind, index), command);
        Assert.Equal(wire, command!.Format());
    }

    [Fact]
    public void EveryKindRoundTrips()
    {
        foreach (var kind in Enum.GetValues<FormCommandKind>())
        {
            var command = new FormCommand("abc", kind, kind == FormCommandKind.Submit ? 0 : 4);
            Assert.Equal(command, FormCommand.Parse(command.Format()));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("dform:")]
    [InlineData("dform:abc")]
    [InlineData("dform::s")]
    [InlineData("dform:abc:x:1")]
    [InlineData("dform:abc:m")]
    [InlineData("dform:abc:m:-1")]
    [InlineData("dform:abc:m:one")]
    [InlineData("dform:abc:mm:1")]
    [InlineData("dform:abc:s:1")]
    [InlineData("nudge:42:done")]
    public void GarbageIsNotAFormCommand(string? customId) => Assert.Null(FormCommand.Parse(customId));
}
