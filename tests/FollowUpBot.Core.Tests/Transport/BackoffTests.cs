using FollowUpBot.Core.Transport;

namespace FollowUpBot.Core.Tests.Transport;

public sealed class BackoffTests
{
    /// <summary>A random source that always draws the same number, to pin the ends of the jitter range.</summary>
    private sealed class Fixed(double value) : Random
    {
        public override double NextDouble() => value;
    }

    private static readonly Backoff Doubling = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    [Fact]
    public void TheDelayDoublesPerFailureFromTheFirstDelay()
    {
        Assert.Equal(
            [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(16)],
            Doubling.Steps(5));
    }

    [Fact]
    public void TheDelayStopsGrowingAtTheCap()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Doubling.Base(6));
        Assert.Equal(TimeSpan.FromSeconds(30), Doubling.Base(1_000));
        Assert.Equal(TimeSpan.FromSeconds(30), Doubling.Delay(int.MaxValue, random: new Fixed(0.999)));
    }

    [Fact]
    public void AnUncappedBackoffWithALongFirstDelayNeitherOverflowsNorShrinks()
    {
        var hours = new Backoff(TimeSpan.FromHours(1), TimeSpan.MaxValue) { AddedJitter = TimeSpan.FromHours(1) };
        Assert.Equal(TimeSpan.MaxValue, hours.Delay(200, random: new Fixed(0.5)));
        Assert.True(hours.Delay(3, random: new Fixed(0)) >= TimeSpan.FromHours(4));
    }

    [Fact]
    public void ANonPositiveAttemptWaitsTheFirstDelay() => Assert.Equal(TimeSpan.FromSeconds(1), Doubling.Base(0));

    [Fact]
    public void TheSpreadStaysWithinItsFactorsOfTheDoubledDelay()
    {
        var spread = Doubling with { LowFactor = 0.75, HighFactor = 1.25 };
        Assert.Equal(TimeSpan.FromSeconds(3), spread.Delay(3, random: new Fixed(0)));
        Assert.Equal(TimeSpan.FromSeconds(5), spread.Delay(3, random: new Fixed(1)));

        var seeded = new Random(11);
        var draws = Enumerable.Range(0, 1_000).Select(_ => spread.Delay(3, random: seeded)).ToList();
        Assert.All(draws, d => Assert.InRange(d, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5)));
        Assert.True(draws.Distinct().Count() > 100, "the draws should spread, not repeat one value");
    }

    [Fact]
    public void TheAddedJitterIsAtMostItsBoundOnTopOfTheDelay()
    {
        var jittered = Doubling with { AddedJitter = TimeSpan.FromMilliseconds(100) };
        var seeded = new Random(7);
        Assert.All(Enumerable.Range(0, 1_000).Select(_ => jittered.Delay(2, random: seeded)),
            d => Assert.InRange(d, TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(2_100)));
    }

    [Fact]
    public void RetryAfterWinsOverTheFormulaAndItsSpread()
    {
        var spread = Doubling with { LowFactor = 0.5 };
        Assert.Equal(TimeSpan.FromSeconds(42), spread.Delay(1, TimeSpan.FromSeconds(42), new Fixed(0)));
        Assert.Equal(TimeSpan.FromMilliseconds(500), spread.Delay(5, TimeSpan.FromMilliseconds(500), new Fixed(0.9))); // not capped, not doubled
    }

    [Fact]
    public void RetryAfterStillGetsTheAddedJitterSoWaitersDoNotStampede()
    {
        var jittered = Doubling with { AddedJitter = TimeSpan.FromSeconds(1) };
        Assert.Equal(TimeSpan.FromSeconds(2.5), jittered.Delay(1, TimeSpan.FromSeconds(2), new Fixed(0.5)));
    }

    [Fact]
    public void ARetryAfterInThePastMeansNow() =>
        Assert.Equal(TimeSpan.Zero, Doubling.Delay(1, TimeSpan.FromSeconds(-3), new Fixed(0.5)));
}
