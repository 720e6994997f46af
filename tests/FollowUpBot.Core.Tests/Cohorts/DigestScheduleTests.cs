using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Core.Tests.Cohorts;

public sealed class DigestScheduleTests
{
    [Theory]
    [InlineData("monday 09:00", "mon 09:00", "0 0 9 ? * MON")]
    [InlineData("Thu,MON 7:05", "mon,thu 07:05", "0 5 7 ? * MON,THU")]
    [InlineData("weekdays 08:00", "weekdays 08:00", "0 0 8 ? * MON,TUE,WED,THU,FRI")]
    [InlineData("daily 18:30", "daily 18:30", "0 30 18 ? * MON,TUE,WED,THU,FRI,SAT,SUN")]
    public void ReadsDaysAndTime(string text, string canonical, string cron)
    {
        Assert.True(DigestSchedule.TryParse(text, out var schedule));
        Assert.Equal((canonical, cron), (schedule.ToString(), schedule.ToCron()));
        Assert.True(DigestSchedule.TryParse(schedule.ToString(), out var again));
        Assert.Equal(cron, again.ToCron());
    }

    [Theory]
    [InlineData("")]
    [InlineData("monday")]
    [InlineData("09:00")]
    [InlineData("mo 09:00")]
    [InlineData("t 09:00")]
    [InlineData("funday 09:00")]
    [InlineData("monday 25:00")]
    [InlineData("0 0 9 ? * MON")]
    public void RejectsAnythingElse(string text) => Assert.False(DigestSchedule.TryParse(text, out _));

    [Fact]
    public void NextDigestKeepsLocalTimeAcrossTheSpringChange()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        // Berlin moves to summer time on Sunday 28 March 2027.
        var first = DigestSchedule.Default.NextAfter(new DateTimeOffset(2027, 3, 22, 9, 0, 0, TimeSpan.Zero), berlin);
        var second = DigestSchedule.Default.NextAfter(first, berlin);
        Assert.Equal(new DateTimeOffset(2027, 3, 29, 7, 0, 0, TimeSpan.Zero), first);
        Assert.Equal(new DateTimeOffset(2027, 4, 5, 7, 0, 0, TimeSpan.Zero), second);
        Assert.Equal(new DateTimeOffset(2027, 3, 22, 8, 0, 0, TimeSpan.Zero),
            DigestSchedule.Default.NextAfter(new DateTimeOffset(2027, 3, 20, 0, 0, 0, TimeSpan.Zero), berlin));
    }

    [Fact]
    public void JoinCodesUseNoLookAlikesAndNormalizeWhatWasTyped()
    {
        for (var i = 0; i < 200; i++)
        {
            var code = JoinCodes.Next();
            Assert.True(JoinCodes.LooksValid(code), code);
            Assert.DoesNotContain(code, c => "0O1IL2Z5S8B".Contains(c));
        }
        Assert.Equal("K7MQ4T", JoinCodes.Normalize(" k7m-q4t "));
    }

    [Fact]
    public void PagerKeepsShortContentInOneMessage()
    {
        var page = Assert.Single(MessagePager.Paginate("T", [new MessageSection("S", ["a", "b"])]));
        Assert.Equal("*T*\n\nS\na\nb", page.Text);
        Assert.Equal("T", page.Title);
    }
}
