using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Messages;
using FollowUpBot.Core.Time;
using FollowUpBot.Platforms.Slack.HttpMode;
using FollowUpBot.Platforms.Slack.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using FollowUpBot.Platforms.Kit;
using FollowUpBot.Testing;

namespace FollowUpBot.Platforms.Slack.Tests;

public sealed class HttpModeTests : IAsyncLifetime
{
    // Slack's documented example (slack.md section 6).
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string ExampleTimestamp = "1531420618";
    private const string ExampleBody =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string ExampleSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    private readonly SimulatedClock _clock = new(DateTimeOffset.FromUnixTimeSeconds(1531420618 + 42));
    private readonly RecordingEngine _engine = new();
    private readonly CapturedLogs _logs = new();
    private FakeSlack _fake = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeSlack.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(_logs);
        var settings = SlackAdapterHarness.TestSettings(_fake);
        settings["Slack:Mode"] = "http";
        settings["Slack:AppToken"] = null;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<IExitCodeSink>(new RecordingExitCode());
        builder.Services.AddSingleton<IConversationEngine>(_engine);
        builder.Services.AddSlackPlatform(builder.Configuration);
        builder.Services.AddSingleton(new TransportClock(_clock));
        _app = builder.Build();
        _app.MapSlackEndpoints();
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public void SlacksDocumentedExampleVectorVerifies()
    {
        var verifier = _app.Services.GetRequiredService<SlackSignatureVerifier>();

        Assert.True(verifier.IsValid(ExampleTimestamp, ExampleSignature, Encoding.UTF8.GetBytes(ExampleBody)));
        Assert.False(verifier.IsValid(ExampleTimestamp, ExampleSignature, Encoding.UTF8.GetBytes(ExampleBody + "x")));
    }

    [Fact]
    public async Task TheExampleRequestIsAcceptedAndAnsweredAtOnce()
    {
        var response = await PostAsync("/slack/commands", ExampleBody, "application/x-www-form-urlencoded", ExampleTimestamp, ExampleSignature);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        // "/webhook-collect" is not one of ours: a polite ephemeral answer, nothing for the engine.
        Assert.Equal("ephemeral", (string?)body["response_type"]);
        Assert.Empty(_engine.Events);
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("stale")]
    [InlineData("future")]
    [InlineData("no-signature")]
    [InlineData("no-timestamp")]
    [InlineData("wrong-version")]
    [InlineData("wrong-secret")]
    public async Task RequestsWithoutAValidFreshSignatureAreRefused(string fault)
    {
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        var body = SlashBody("/interview", "list");
        var (timestamp, signature) = fault switch
        {
            "stale" => (Ts(now - 301), Sign(Secret, Ts(now - 301), body)),
            "future" => (Ts(now + 301), Sign(Secret, Ts(now + 301), body)),
            "no-signature" => (Ts(now), null),
            "no-timestamp" => (null, Sign(Secret, Ts(now), body)),
            "wrong-version" => (Ts(now), Sign(Secret, Ts(now), body).Replace("v0=", "v1=")),
            "wrong-secret" => (Ts(now), Sign("another-secret", Ts(now), body)),
            _ => (Ts(now), Sign(Secret, Ts(now), body)),
        };
        if (fault == "tampered") body = body.Replace("list", "forget");

        var response = await PostAsync("/slack/commands", body, "application/x-www-form-urlencoded", timestamp, signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_engine.Events);
    }

    [Fact]
    public async Task SignedSlashCommandReachesTheEngineAndTheReplyIsTheResponseBody()
    {
        _engine.Answer = _ => [new Reply(new Message("Nothing open."))];

        var response = await SignedAsync("/slack/commands", SlashBody("/interview", "list"), "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Nothing open.", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["text"]);
        Assert.Equal("interview list", Assert.IsType<SlashCommand>(Assert.Single(_engine.Events)).Name);
    }

    [Fact]
    public async Task UrlVerificationIsAnsweredWithTheChallenge()
    {
        var body = """{"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}""";

        var response = await SignedAsync("/slack/events", body, "application/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["challenge"]);
    }

    [Fact]
    public async Task ModalErrorsComeBackAsTheResponseBodyOfTheInteraction()
    {
        var form = new Form("interview-done", "Your interview", [new FormField("company", "Company", FormFieldKind.Text, true)]);
        _engine.Answer = _ => [new ShowForm(form with { Fields = [form.Fields[0] with { Error = "Company is required." }] })];
        var view = Rendering.FormModal.View(form, new Rendering.FormContext("interview-done", "C1", null));
        var payload = _fake.ViewSubmission("U1", new OpenedView("V1", "t", view), new Dictionary<string, string>());

        var response = await SignedAsync("/slack/interactions", "payload=" + Uri.EscapeDataString(payload.ToJsonString()),
            "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("errors", (string?)body["response_action"]);
        Assert.Equal("Company is required.", (string?)body["errors"]?["company"]);
    }

    [Fact]
    public async Task SignedButUnreadableBodyIsABadRequestAndChangesNothing()
    {
        var response = await SignedAsync("/slack/interactions", "payload=%7Bnot-json", "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_engine.Events);
        // Logged under its event id (the Slack adapter's are 4001-4099), naming the kind and the error type only.
        Assert.True(_logs.Entries.Any(e => e.Id.Id == 4061 && e.Line.Contains("Slack sent an unreadable ", StringComparison.Ordinal) && e.Line.EndsWith("Exception)", StringComparison.Ordinal)), string.Join("\n", _logs.Entries.Select(e => $"{e.Id.Id} {e.Line}")));
    }

    private static string SlashBody(string command, string text) =>
        $"token=x&team_id={FakeSlack.TeamId}&team_domain=fake&channel_id=C1&channel_name=jobs&user_id=U1&user_name=u1" +
        $"&command={Uri.EscapeDataString(command)}&text={Uri.EscapeDataString(text)}&trigger_id=1.2.3";

    private static string Ts(long seconds) => seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Sign(string secret, string timestamp, string body) =>
        "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));

    private Task<HttpResponseMessage> SignedAsync(string path, string body, string contentType)
    {
        var timestamp = Ts(_clock.GetUtcNow().ToUnixTimeSeconds());
        return PostAsync(path, body, contentType, timestamp, Sign(Secret, timestamp, body));
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body, string contentType, string? timestamp, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (timestamp is not null) request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        if (signature is not null) request.Headers.Add("X-Slack-Signature", signature);
        return _http.SendAsync(request);
    }
}
