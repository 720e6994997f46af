using FollowUpBot.Platforms.Console;

namespace FollowUpBot.Platforms.Console.Tests;

public class WaitDurationTests
{
    [Theory]
    [InlineData("2d", 48 * 60)]
    [InlineData("20h", 20 * 60)]
    [InlineData("30m", 30)]
    [InlineData("1d12h", 36 * 60)]
    [InlineData("1D 2H 5M", 26 * 60 + 5)]
    public void ReadsDaysHoursAndMinutes(string text, int minutes)
    {
        Assert.True(WaitDuration.TryParse(text, out var span));
        Assert.Equal(TimeSpan.FromMinutes(minutes), span);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2")]
    [InlineData("2w")]
    [InlineData("0d")]
    [InlineData("12h1d")]
    [InlineData("400d")]
    public void RejectsAnythingElse(string text) => Assert.False(WaitDuration.TryParse(text, out _));
}
