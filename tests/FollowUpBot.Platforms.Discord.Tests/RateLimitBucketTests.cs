using System.Net.Http.Headers;
using System.Globalization;
using FollowUpBot.Core.Time;
using FollowUpBot.Platforms.Discord.Rest;

namespace FollowUpBot.Platforms.Discord.Tests;

public class RateLimitBucketTests
{
    private readonly SimulatedClock _clock = new(DateTimeOffset.Parse("2026-03-02T10:00:00Z", CultureInfo.InvariantCulture));
    private readonly DiscordRoute _route = DiscordRoutes.CreateMessage("555");

    [Fact]
    public async Task AnswersOfOneWindowArrivingOutOfOrderDoNotReopenIt()
    {
        var buckets = new RateLimitBuckets(_clock);
        // Learn the bucket: limit 2, one left after the first request.
        var first = await buckets.AcquireAsync(_route, default);
        buckets.Update(_route, first, Headers(limit: 2, remaining: 1, resetAfter: 0.3), null);
        var second = await buckets.AcquireAsync(_route, default);
        buckets.Update(_route, second, Headers(limit: 2, remaining: 0, resetAfter: 0.25), null);

        // A new window: two requests go out, and their answers come back newest first.
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        var a = await buckets.AcquireAsync(_route, default);
        var b = await buckets.AcquireAsync(_route, default);
        buckets.Update(_route, b, Headers(limit: 2, remaining: 0, resetAfter: 0.3), null);
        buckets.Update(_route, a, Headers(limit: 2, remaining: 1, resetAfter: 0.3), null);

        var third = buckets.AcquireAsync(_route, default);
        await Task.Delay(50);
        Assert.False(third.IsCompleted, "the older answer (1 left) must not hand out a slot the window no longer has");

        _clock.Advance(TimeSpan.FromMilliseconds(300));
        await third.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task TheFirstAnswerOfAWindowSetsItsSizeEvenWhenLargerThanTheGuess()
    {
        var buckets = new RateLimitBuckets(_clock);
        var first = await buckets.AcquireAsync(_route, default);
        buckets.Update(_route, first, Headers(limit: 5, remaining: 4, resetAfter: 1), null);

        for (var i = 0; i < 4; i++)
            await buckets.AcquireAsync(_route, default).WaitAsync(TimeSpan.FromSeconds(5));
        var sixth = buckets.AcquireAsync(_route, default);
        await Task.Delay(50);
        Assert.False(sixth.IsCompleted);
    }

    private static HttpResponseHeaders Headers(int limit, int remaining, double resetAfter)
    {
        var headers = new HttpResponseMessage().Headers;
        headers.Add("X-RateLimit-Bucket", "create-message-hash");
        headers.Add("X-RateLimit-Limit", limit.ToString(CultureInfo.InvariantCulture));
        headers.Add("X-RateLimit-Remaining", remaining.ToString(CultureInfo.InvariantCulture));
        headers.Add("X-RateLimit-Reset-After", resetAfter.ToString(CultureInfo.InvariantCulture));
        return headers;
    }
}
