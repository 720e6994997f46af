using FollowUpBot.Core.Input;

namespace FollowUpBot.Core.Tests.Input;

public sealed class DecisionDateTextTests
{
    // Friday 4 December 2026.
    private static readonly DateOnly Today = new(2026, 12, 4);

    [Theory]
    [InlineData("2026-12-08", "2026-12-08")]
    [InlineData("tomorrow", "2026-12-05")]
    [InlineData("Next Week", "2026-12-11")]
    [InlineData("in 2 weeks", "2026-12-18")]
    [InlineData("in 3 days", "2026-12-07")]
    [InlineData("in 1 day", "2026-12-05")]
    [InlineData("tuesday", "2026-12-08")]
    [InlineData("Mon", "2026-12-07")]
    [InlineData("next thursday", "2026-12-10")]
    [InlineData("friday", "2026-12-11")]
    public void ReadsDatesAndWordsRelativeToToday(string text, string expected)
    {
        Assert.True(DecisionDateText.TryParse(text, Today, out var date, out var error), error);
        Assert.Equal(DateOnly.Parse(expected), date);
    }

    [Theory]
    [InlineData("not said")]
    [InlineData("Not  Said")]
    [InlineData("")]
    [InlineData(null)]
    public void NotSaidAndEmptyMeanNoDate(string? text)
    {
        Assert.True(DecisionDateText.TryParse(text, Today, out var date, out _));
        Assert.Null(date);
    }

    [Theory]
    [InlineData("soonish")]
    [InlineData("2026-13-01")]
    [InlineData("12/08/2026")]
    [InlineData("in 0 days")]
    public void RefusesWhatItCannotReadWithExamples(string text)
    {
        Assert.False(DecisionDateText.TryParse(text, Today, out _, out var error));
        Assert.Contains(text, error);
        Assert.Contains("not said", error);
    }

    [Fact]
    public void RefusesADateMoreThanAYearAway()
    {
        Assert.False(DecisionDateText.TryParse("2028-12-08", Today, out _, out var error));
        Assert.Contains("more than a year", error);
    }
}

public sealed class EndedTextTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    // 2026-12-04 17:00 in New York.
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 22, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2026-12-04T16:30", "2026-12-04T16:30:00-05:00")]
    [InlineData("2026-12-04 16:30", "2026-12-04T16:30:00-05:00")]
    [InlineData("16:30", "2026-12-04T16:30:00-05:00")]
    [InlineData("9:05", "2026-12-04T09:05:00-05:00")]
    [InlineData("yesterday 16:30", "2026-12-03T16:30:00-05:00")]
    [InlineData("Yesterday 23:59", "2026-12-03T23:59:00-05:00")]
    public void ReadsLocalTimesInTheMembersZone(string text, string expected)
    {
        Assert.True(EndedText.TryParse(text, Now, NewYork, out var ended, out var error), error);
        Assert.Equal(DateTimeOffset.Parse(expected), ended);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("now")]
    public void DefaultsToNow(string? text)
    {
        Assert.True(EndedText.TryParse(text, Now, NewYork, out var ended, out _));
        Assert.Equal(Now, ended);
    }

    [Fact]
    public void AFewMinutesAheadCountsAsNow()
    {
        Assert.True(EndedText.TryParse("17:03", Now, NewYork, out var ended, out _));
        Assert.Equal(Now, ended);
    }

    [Fact]
    public void RefusesAnEndInTheFuture()
    {
        Assert.False(EndedText.TryParse("17:30", Now, NewYork, out _, out var error));
        Assert.Contains("future", error);
        Assert.Contains("2026-12-04 17:00", error);
    }

    [Fact]
    public void RefusesAnEndMoreThanThirtyDaysAgo()
    {
        Assert.False(EndedText.TryParse("2026-11-01 10:00", Now, NewYork, out _, out var error));
        Assert.Contains("more than 30 days ago", error);
    }

    [Theory]
    [InlineData("half past four")]
    [InlineData("25:00")]
    [InlineData("2026-12-04")]
    public void RefusesWhatItCannotRead(string text)
    {
        Assert.False(EndedText.TryParse(text, Now, NewYork, out _, out var error));
        Assert.Contains("yesterday 16:30", error);
    }
}

public sealed class ZonedTimeTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public void ATimeInTheSpringGapMovesForward() =>
        Assert.Equal(DateTimeOffset.Parse("2026-03-08T03:30:00-04:00"), ZonedTime.ToInstant(new DateTime(2026, 3, 8, 2, 30, 0), NewYork));

    [Fact]
    public void AnAmbiguousAutumnTimeTakesTheEarlierInstant() =>
        Assert.Equal(DateTimeOffset.Parse("2026-11-01T01:30:00-04:00"), ZonedTime.ToInstant(new DateTime(2026, 11, 1, 1, 30, 0), NewYork));
}
