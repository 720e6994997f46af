using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Platforms.Kit.Http;
using FollowUpBot.Testing;

namespace FollowUpBot.Platforms.Kit.Tests;

/// <summary>
/// The one error model every adapter's client answers with: how each kind of failure becomes a delivery, how it is
/// worded (refused only when the platform answered, what was tried when nothing did), and that a call through a
/// pipeline never throws for what the platform or the network did.
/// </summary>
public sealed class PlatformCallResultTests
{
    private static readonly Uri Secret = new("https://hooks.example.test/actions/T1/secret-capability");

    private static PlatformCallResult Refused(PlatformErrorKind kind, int status = 400, string? code = "some_error") =>
        PlatformCallResult.Failed(new PlatformRefused("Chat", kind, status, code, "what the platform said"), status);

    [Fact]
    public void ASuccessIsDeliveredAndCarriesTheAnswersBody()
    {
        var result = PlatformCallResult.Success(200, JsonDocument.Parse("""{"id":"42"}""").RootElement);

        Assert.True(result.IsSuccess);
        Assert.Equal("42", result.GetString("id"));
        Assert.Equal("HTTP 200", result.Describe());
        Assert.Equal(DeliveryResult.Delivered, result.ToDeliveryResult());
    }

    [Theory]
    [InlineData(PlatformErrorKind.Retryable, DeliveryStatus.RetryLater)]
    [InlineData(PlatformErrorKind.FatalConfiguration, DeliveryStatus.RetryLater)]
    [InlineData(PlatformErrorKind.MemberUnreachable, DeliveryStatus.Unreachable)]
    [InlineData(PlatformErrorKind.Permanent, DeliveryStatus.PermanentFailure)]
    public void EachKindOfErrorBecomesItsDeliveryStatus(PlatformErrorKind kind, DeliveryStatus expected)
    {
        Assert.Equal(expected, Refused(kind).ToDeliveryResult().Status);
    }

    [Fact]
    public void AnErrorAboutAMemberOnAChannelPostIsAPermanentFailureNotAMemberToMark()
    {
        Assert.Equal(DeliveryStatus.PermanentFailure, Refused(PlatformErrorKind.MemberUnreachable).ToDeliveryResult(toMember: false).Status);
    }

    [Fact]
    public void RetryLaterWaitsWhatThePlatformSaidAndOtherwiseTheAdaptersDefault()
    {
        var told = PlatformCallResult.Failed(new PlatformRateLimited("Chat", 429, null) { RetryAfter = TimeSpan.FromSeconds(7) }, 429);
        var untold = PlatformCallResult.Failed(new PlatformRefused("Chat", PlatformErrorKind.Retryable, 503, null), 503);

        Assert.Equal(TimeSpan.FromSeconds(7), told.ToDeliveryResult(retryAfter: TimeSpan.FromSeconds(30)).RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(30), untold.ToDeliveryResult(retryAfter: TimeSpan.FromSeconds(30)).RetryAfter);
        Assert.Null(untold.ToDeliveryResult().RetryAfter);
    }

    [Fact]
    public void ARefusalIsWordedWithTheStatusAndThePlatformsCodeAndMessage()
    {
        Assert.Equal("HTTP 403, Chat code 50007: what the platform said", Refused(PlatformErrorKind.MemberUnreachable, 403, "50007").Describe());
        Assert.Equal("HTTP 404: what the platform said", Refused(PlatformErrorKind.Permanent, 404, null).Describe());
        Assert.Equal("http_503", new PlatformRefused("Chat", PlatformErrorKind.Retryable, 503, null).Code);
        Assert.Equal("ratelimited", new PlatformRateLimited("Chat", 429, null).Code);
    }

    [Fact]
    public void TheDetailIsTheDescriptionUnlessTheAdapterRecordsItsCodes()
    {
        var refused = Refused(PlatformErrorKind.Permanent, 200, "invalid_blocks");

        Assert.Equal("HTTP 200, Chat code invalid_blocks: what the platform said", refused.ToDeliveryResult().Detail);
        Assert.Equal("invalid_blocks", refused.ToDeliveryResult(detail: e => e.Summary).Detail);
    }

    [Fact]
    public void ASummaryIsThePlatformsCodeWhenItAnsweredAndWhatWasTriedWhenNothingDid()
    {
        var noAnswer = new PlatformNoAnswer("Chat", "chat.post", "no answer in time at https://chat.example.test");

        Assert.Equal("invalid_blocks", new PlatformRefused("Chat", PlatformErrorKind.Permanent, 200, "invalid_blocks").Summary);
        Assert.Equal("no response from Chat (no answer in time at https://chat.example.test)", noAnswer.Summary);
        Assert.Equal(noAnswer.Summary, PlatformCallResult.Failed(noAnswer).ToDeliveryResult(detail: e => e.Summary).Detail);
    }

    [Fact]
    public async Task NothingAnsweringIsRetryableNamesTheServerTriedAndIsNeverCalledRefused()
    {
        var logs = new CapturedLogs();
        using var http = new HttpClient(new Answering(_ => throw new HttpRequestException("Connection refused",
            new SocketException((int)SocketError.ConnectionRefused))));
        using var request = new HttpRequestMessage(HttpMethod.Post, Secret);

        var result = await PlatformCallResult.SendAsync(http, request, "Chat", "chat.post", Unexpected, logs.CreateLogger("test"), CancellationToken.None);

        var error = Assert.IsType<PlatformNoAnswer>(result.Error);
        Assert.Equal(0, result.Status);
        Assert.Equal(PlatformErrorKind.Retryable, error.Kind);
        Assert.Equal("network_error", error.Code);
        Assert.Equal("chat.post", error.Tried);
        Assert.Equal("no response from Chat (connection refused at https://hooks.example.test)", error.Describe());
        Assert.DoesNotContain("HTTP", error.Describe());
        Assert.Equal(DeliveryStatus.RetryLater, result.ToDeliveryResult().Status);
        Assert.Contains(logs.Lines, l => l.Contains("Chat chat.post: no response (connection refused at https://hooks.example.test)"));
        Assert.DoesNotContain("secret-capability", logs.All);
    }

    [Fact]
    public async Task ARequestTheAdapterHeldBackIsNotSentAndSaysWhenToComeBack()
    {
        using var http = new HttpClient(new Answering(_ => throw new PlatformHeldBackException("held back: too many rejected requests", TimeSpan.FromSeconds(20))));
        using var request = new HttpRequestMessage(HttpMethod.Post, Secret);

        var result = await PlatformCallResult.SendAsync(http, request, "Chat", "chat.post", Unexpected, new CapturedLogs().CreateLogger("test"), CancellationToken.None);

        var error = Assert.IsType<PlatformNotSent>(result.Error);
        Assert.Equal("not sent to Chat: held back: too many rejected requests", error.Describe());
        Assert.Equal(new DeliveryResult(DeliveryStatus.RetryLater, error.Describe(), TimeSpan.FromSeconds(20)), result.ToDeliveryResult());
    }

    [Fact]
    public async Task AnAnswerGoesToTheAdaptersClassifier()
    {
        using var http = new HttpClient(new Answering(_ => new HttpResponseMessage(HttpStatusCode.Forbidden)));
        using var request = new HttpRequestMessage(HttpMethod.Post, Secret);

        var result = await PlatformCallResult.SendAsync(http, request, "Chat", "chat.post",
            (response, _) => Task.FromResult(Refused(PlatformErrorKind.Permanent, (int)response.StatusCode, "forbidden")),
            new CapturedLogs().CreateLogger("test"), CancellationToken.None);

        Assert.Equal("HTTP 403, Chat code forbidden: what the platform said", result.Describe());
    }

    [Fact]
    public async Task TheCallerCancellingStillThrows()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        using var http = new HttpClient(new Answering(_ => new HttpResponseMessage(HttpStatusCode.OK)));
        using var request = new HttpRequestMessage(HttpMethod.Post, Secret);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            PlatformCallResult.SendAsync(http, request, "Chat", "chat.post", Unexpected, new CapturedLogs().CreateLogger("test"), cancelled.Token));
    }

    private static Task<PlatformCallResult> Unexpected(HttpResponseMessage response, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("no answer was expected");

    private sealed class Answering(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(answer(request));
        }
    }
}
