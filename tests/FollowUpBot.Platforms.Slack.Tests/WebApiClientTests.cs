using System.Text.Json.Nodes;
using FollowUpBot.Platforms.Slack.Tests.Support;
using FollowUpBot.Platforms.Slack.WebApi;
using Microsoft.Extensions.Hosting;
using FollowUpBot.Platforms.Kit;
using FollowUpBot.Platforms.Kit.Http;

namespace FollowUpBot.Platforms.Slack.Tests;

public sealed class WebApiClientTests
{
    private static readonly Dictionary<string, string> UserU1 = new() { ["user"] = "U1" };

    [Fact]
    public async Task RateLimitedCallWaitsForRetryAfterAndThenSucceeds()
    {
        await using var harness = await SlackAdapterHarness.StartAsync(start: false);
        harness.Fake.Script("users.info", FakeFault.RateLimited(1));

        var user = await harness.Get<SlackApiClient>().GetAsync("users.info", UserU1, CancellationToken.None);

        Assert.True(user.IsSuccess);
        Assert.Equal("America/New_York", user.Body!.Value.GetProperty("user").GetProperty("tz").GetString());
        Assert.Equal(2, harness.Fake.CallsTo("users.info").Count);
    }

    [Fact]
    public async Task RateLimitOutlastingTheRetriesTellsTheCallerWhenToComeBack()
    {
        await using var harness = await SlackAdapterHarness.StartAsync(s => s["Slack:MaxRetries"] = "0", start: false);
        harness.Fake.Script("chat.postMessage", FakeFault.RateLimited(7));

        var answer = await harness.Get<SlackApiClient>()
            .PostJsonAsync("chat.postMessage", new JsonObject { ["channel"] = "C1", ["text"] = "hi" }, CancellationToken.None);

        var error = Assert.IsType<PlatformRateLimited>(answer.Error);
        Assert.Equal("ratelimited", error.Code);
        Assert.True(error.RetryAfter >= TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task ServerErrorsAreRetriedWithBackoff()
    {
        await using var harness = await SlackAdapterHarness.StartAsync(start: false);
        harness.Fake.Script("users.info", FakeFault.ServerError(503), times: 2);

        await harness.Get<SlackApiClient>().GetAsync("users.info", UserU1, CancellationToken.None);

        Assert.Equal(3, harness.Fake.CallsTo("users.info").Count);
    }

    [Fact]
    public async Task ServerErrorsBeyondTheRetriesAreRetryLater()
    {
        await using var harness = await SlackAdapterHarness.StartAsync(s => s["Slack:MaxRetries"] = "2", start: false);
        harness.Fake.Script("users.info", FakeFault.ServerError(500), times: 5);

        var answer = await harness.Get<SlackApiClient>().GetAsync("users.info", UserU1, CancellationToken.None);

        Assert.Equal(PlatformErrorKind.Retryable, answer.Error?.Kind);
        Assert.Equal("http_500", answer.Error?.Code);
        Assert.Equal(3, harness.Fake.CallsTo("users.info").Count);
    }

    [Fact]
    public async Task PermanentErrorIsNotRetried()
    {
        await using var harness = await SlackAdapterHarness.StartAsync(start: false);

        var answer = await harness.Get<SlackApiClient>()
            .PostJsonAsync("chat.postMessage", new JsonObject { ["channel"] = "CNOPE", ["text"] = "hi" }, CancellationToken.None);

        var error = Assert.IsType<PlatformRefused>(answer.Error);
        Assert.Equal("channel_not_found", error.Code);
        // About a member on a DM, not worth another try on any call.
        Assert.Equal(PlatformErrorKind.MemberUnreachable, error.Kind);
        Assert.Single(harness.Fake.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task InvalidAuthStopsTheBotWithAClearMessageAndNoFurtherCalls()
    {
        await using var harness = await SlackAdapterHarness.StartAsync(start: false);
        harness.Fake.BotTokenValid = false;
        var client = harness.Get<SlackApiClient>();
        var stopping = harness.Get<IHostApplicationLifetime>().ApplicationStopping;

        var refused = await client.GetAsync("users.info", UserU1, CancellationToken.None);
        var held = await client.GetAsync("users.info", UserU1, CancellationToken.None);

        Assert.Equal(PlatformErrorKind.FatalConfiguration, refused.Error?.Kind);
        Assert.IsType<PlatformNotSent>(held.Error);

        Assert.Equal(FatalStop.ExitCode, harness.ExitCode.Code);
        Assert.True(stopping.IsCancellationRequested);
        Assert.Single(harness.Fake.CallsTo("users.info"));
        Assert.Contains(harness.Logs.Lines, l => l.StartsWith("Critical") && l.Contains("Slack:BotToken") && l.Contains("invalid_auth"));
    }

    [Fact]
    public async Task CallsUseTheRightTokenInTheHeaderAndTheBodyEachMethodExpects()
    {
        await using var harness = await SlackAdapterHarness.StartAsync(start: false);
        var client = harness.Get<SlackApiClient>();

        await client.PostJsonAsync("chat.postMessage", new JsonObject { ["channel"] = "C1", ["text"] = "hi" }, CancellationToken.None);
        await client.PostFormAsync("conversations.open", new Dictionary<string, string> { ["users"] = "U1" }, CancellationToken.None);
        await client.PostFormAsync("apps.connections.open", new Dictionary<string, string>(), CancellationToken.None, SlackTokenKind.App);

        var post = harness.Fake.CallsTo("chat.postMessage").Single();
        Assert.Equal("application/json; charset=utf-8", post.ContentType);
        Assert.Equal(FakeSlack.BotToken, post.Token);
        Assert.DoesNotContain(FakeSlack.BotToken, post.RawBody);
        Assert.StartsWith("application/x-www-form-urlencoded", harness.Fake.CallsTo("conversations.open").Single().ContentType);
        var open = harness.Fake.CallsTo("apps.connections.open").Single();
        Assert.Equal(FakeSlack.AppToken, open.Token);
        Assert.Equal("", open.RawBody);
    }

    [Fact]
    public async Task MessagesToOneChannelArePacedAtAboutOnePerSecond()
    {
        await using var harness = await SlackAdapterHarness.StartAsync(s => s["Slack:ChannelMessageInterval"] = "00:00:01", start: false);
        harness.Fake.EnforceRateLimits = true;
        var client = harness.Get<SlackApiClient>();

        for (var i = 0; i < 3; i++)
            await client.PostJsonAsync("chat.postMessage", new JsonObject { ["channel"] = "C1", ["text"] = $"m{i}" },
                CancellationToken.None, paceChannel: "C1");

        Assert.Equal(3, harness.Fake.MessagesIn("C1").Count);
        Assert.Equal(0, harness.Fake.RateLimitedAnswers);
    }
}
