using FollowUpBot.Platforms.Console;

namespace FollowUpBot.Platforms.Console.Tests;

public class ButtonNumbersTests
{
    [Fact]
    public void ButtonsAreNumberedInTheOrderFirstShownAndKeepTheirNumber()
    {
        var numbers = new ButtonNumbers();
        Assert.Equal("1", numbers.NumberFor("nudge:7:done"));
        Assert.Equal("2", numbers.NumberFor("nudge:7:snooze"));
        Assert.Equal("1", numbers.NumberFor("nudge:7:done"));
        Assert.Equal("3", numbers.NumberFor("nudge:8:done"));
    }

    [Fact]
    public void APressedNumberResolvesToTheEngineId()
    {
        var numbers = new ButtonNumbers();
        numbers.NumberFor("nudge:7:done");
        numbers.NumberFor("nudge:7:skip");

        Assert.True(numbers.TryResolve(" 2 ", out var id));
        Assert.Equal("nudge:7:skip", id);
        Assert.False(numbers.TryResolve("3", out _));
        Assert.False(numbers.TryResolve("nudge:7:done", out _));
    }
}
