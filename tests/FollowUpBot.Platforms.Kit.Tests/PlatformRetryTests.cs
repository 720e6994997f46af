using System.Net;
using FollowUpBot.Core.Observability;
using FollowUpBot.Core.Time;
using FollowUpBot.Core.Transport;
using FollowUpBot.Platforms.Kit;
using FollowUpBot.Platforms.Kit.Http;
using FollowUpBot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Platforms.Kit.Tests;

/// <summary>
/// The kit's pipeline (retry, per-attempt calls handler) over a scripted platform: what is retried, how long it
/// waits, what is handed back, and that no URL reaches a log.
/// </summary>
public sealed class PlatformRetryTests : IDisposable
{
    private static readonly Uri Secret = new("https://hooks.example.test/actions/T1/secret-capability");

    /// <summary>The platform: answers from a script, one per attempt, and notes when (on the transport clock) each came.</summary>
    private sealed class ScriptedPlatform(TimeProvider clock, params Func<HttpRequestMessage, HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        private int _calls;
        public List<DateTimeOffset> CalledAt { get; } = [];

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (CalledAt) CalledAt.Add(clock.GetUtcNow());
            var n = Interlocked.Increment(ref _calls) - 1;
            return Task.FromResult(answers[Math.Min(n, answers.Length - 1)](request));
        }
    }

    private static Func<HttpRequestMessage, HttpResponseMessage> Status(int status, TimeSpan? retryAfter = null) => _ =>
    {
        var response = new HttpResponseMessage((HttpStatusCode)status);
        if (retryAfter is { } r) response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(r);
        return response;
    };

    private static Func<HttpRequestMessage, HttpResponseMessage> NoAnswer() => _ => throw new HttpRequestException("Connection refused (hooks.example.test:443)");

    private readonly CapturedLogs _logs = new();
    private ServiceProvider? _services;

    private HttpClient Client(HttpMessageHandler platform, TimeProvider clock, int maxRetries = 2, Action<HttpRequestMessage, HttpResponseMessage>? decide = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton(new TransportClock(clock));
        services.AddPlatformKit();
        services.AddSingleton(new PlatformCalls("test", new BotMetrics(), clock));
        // As the adapters do: HttpClient's own logging would write the URL.
        services.AddHttpClient("test", c => c.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(() => platform)
            .AddPlatformRetry(_ => new PlatformRetryOptions(maxRetries,
                new Backoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5)), TimeSpan.FromSeconds(30)))
            .AddHttpMessageHandler(() => new Deciding(decide))
            .AddHttpMessageHandler(sp => new PlatformCallsHandler(sp.GetRequiredService<PlatformCalls>(), _ => "test.method"));
        _services = services.BuildServiceProvider();
        return _services.GetRequiredService<IHttpClientFactory>().CreateClient("test");
    }

    /// <summary>Stands for an adapter's rate-limit handler: decides about each answer through PlatformRequest.</summary>
    private sealed class Deciding(Action<HttpRequestMessage, HttpResponseMessage>? decide) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            decide?.Invoke(request, response);
            return response;
        }
    }

    public void Dispose() => _services?.Dispose();

    [Fact]
    public async Task A5xxIsRetriedAfterTheRetryAfterThePlatformGave()
    {
        var clock = new SimulatedClock(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var platform = new ScriptedPlatform(clock, Status(503, TimeSpan.FromSeconds(7)), Status(200));
        var sending = Client(platform, clock).PostAsync(Secret, null);

        // Simulated time moves in small steps until the second try; it must not come before Retry-After.
        for (var i = 0; i < 200 && platform.Calls < 2; i++)
        {
            await Task.Delay(5);
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }
        using var response = await sending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, platform.Calls);
        Assert.InRange(platform.CalledAt[1] - platform.CalledAt[0], TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7.5));
    }

    [Fact]
    public async Task NoAnswerIsRetriedThenTheNetworkErrorReachesTheCaller()
    {
        var platform = new ScriptedPlatform(TimeProvider.System, NoAnswer());
        await Assert.ThrowsAsync<HttpRequestException>(() => Client(platform, TimeProvider.System, maxRetries: 2).PostAsync(Secret, null));
        Assert.Equal(3, platform.Calls);
    }

    [Fact]
    public async Task AfterTheLastRetryTheLastAnswerIsHandedBack()
    {
        var platform = new ScriptedPlatform(TimeProvider.System, Status(500), Status(502), Status(429));
        using var response = await Client(platform, TimeProvider.System, maxRetries: 2).PostAsync(Secret, null);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(3, platform.Calls);
    }

    [Fact]
    public async Task ARefusalIsNotRetried()
    {
        var platform = new ScriptedPlatform(TimeProvider.System, Status(404), Status(200));
        using var response = await Client(platform, TimeProvider.System).PostAsync(Secret, null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(1, platform.Calls);
    }

    [Fact]
    public async Task AnAnswerAHandlerMarkedFinalIsNotRetried()
    {
        var platform = new ScriptedPlatform(TimeProvider.System, Status(429, TimeSpan.FromHours(1)), Status(200));
        using var response = await Client(platform, TimeProvider.System, decide: (request, _) => PlatformRequest.DoNotRetry(request)).PostAsync(Secret, null);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(1, platform.Calls);
    }

    [Fact]
    public async Task ADelayAHandlerDecidedReplacesRetryAfterAndTheFormula()
    {
        // A rate limiter that already holds the next try says "no extra wait"; the test would time out on the hour.
        var platform = new ScriptedPlatform(TimeProvider.System, Status(429, TimeSpan.FromHours(1)), Status(200));
        using var response = await Client(platform, TimeProvider.System,
                decide: (request, answer) => { if ((int)answer.StatusCode == 429) PlatformRequest.RetryAfter(request, TimeSpan.Zero); })
            .PostAsync(Secret, null).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, platform.Calls);
    }

    [Fact]
    public async Task EveryAttemptIsCountedAndTheLastOneKeptForHealth()
    {
        var platform = new ScriptedPlatform(TimeProvider.System, Status(503), NoAnswer(), Status(200));
        using var response = await Client(platform, TimeProvider.System).PostAsync(Secret, null);
        var calls = _services!.GetRequiredService<PlatformCalls>();
        Assert.Equal(3, platform.Calls);
        Assert.Equal("test.method: HTTP 200", calls.Last?.Detail);
        Assert.True(calls.Last?.Answered);
    }

    [Fact]
    public async Task RetriesAreLoggedWithoutTheRequestUrl()
    {
        var platform = new ScriptedPlatform(TimeProvider.System, NoAnswer(), Status(503), Status(200));
        using var response = await Client(platform, TimeProvider.System).PostAsync(Secret, null);
        Assert.Contains(_logs.Lines, l => l.Contains("HTTP 503", StringComparison.Ordinal));
        Assert.DoesNotContain("secret-capability", _logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain("/actions/", _logs.All, StringComparison.Ordinal);
    }
}
