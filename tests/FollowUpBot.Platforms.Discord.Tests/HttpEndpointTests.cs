using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Messages;
using FollowUpBot.Platforms.Discord.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace FollowUpBot.Platforms.Discord.Tests;

/// <summary>The HTTP interactions endpoint, on a real Kestrel, signed as Discord signs.</summary>
public sealed class HttpEndpointTests : IAsyncLifetime
{
    private static readonly Ed25519PrivateKeyParameters SigningKey = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(), 0);
    private static readonly string PublicKeyHex = Convert.ToHexString(SigningKey.GeneratePublicKey().GetEncoded()).ToLowerInvariant();

    private FakeDiscord _discord = null!;
    private WebApplication _bot = null!;
    private readonly RecordingEngine _engine = new();
    private readonly HttpClient _http = new();
    private readonly FollowUpBot.Testing.TempDatabase _database = new();
    private string _url = "";

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscord.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var settings = _discord.Configuration(gatewayUrl: false);
        settings["Discord:Mode"] = "http";
        settings["Discord:PublicKey"] = PublicKeyHex;
        settings["Discord:DeferAfter"] = "00:00:00.200";
        foreach (var (key, value) in _database.Settings) settings[key] = value;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IConversationEngine>(_engine);
        builder.Services.AddFollowUpBotStorage(builder.Configuration);
        builder.Services.AddDiscordPlatform(builder.Configuration);
        _bot = builder.Build();
        _bot.MapDiscordInteractions();
        await _bot.StartAsync();
        _url = _bot.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/discord/interactions";
    }

    public async Task DisposeAsync()
    {
        await _bot.StopAsync();
        await _bot.DisposeAsync();
        await _discord.DisposeAsync();
        _http.Dispose();
        _database.Dispose();
    }

    private static string Sign(string timestamp, byte[] body)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, SigningKey);
        var message = Encoding.UTF8.GetBytes(timestamp).Concat(body).ToArray();
        signer.BlockUpdate(message, 0, message.Length);
        return Convert.ToHexString(signer.GenerateSignature()).ToLowerInvariant();
    }

    private static string Now(int offsetSeconds = 0) => (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + offsetSeconds).ToString();

    private Task<HttpResponseMessage> PostAsync(string body, string? timestamp, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (timestamp is not null) request.Headers.Add("X-Signature-Timestamp", timestamp);
        if (signature is not null) request.Headers.Add("X-Signature-Ed25519", signature);
        return _http.SendAsync(request);
    }

    private Task<HttpResponseMessage> PostSignedAsync(string body, int clockOffset = 0)
    {
        var timestamp = Now(clockOffset);
        return PostAsync(body, timestamp, Sign(timestamp, Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public async Task AnswersASignedPingWithPong()
    {
        using var response = await PostSignedAsync("""{"id":"1","application_id":"2","type":1,"token":"t","version":1}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]!.GetValue<int>());
    }

    [Fact]
    public async Task RefusesATamperedBody()
    {
        var body = Payloads.Command("interview", "list", new Dictionary<string, JsonNode?>()).ToJsonString();
        var timestamp = Now();
        var signature = Sign(timestamp, Encoding.UTF8.GetBytes(body));

        using var response = await PostAsync(body.Replace("list", "done"), timestamp, signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_engine.Events);
    }

    [Fact]
    public async Task RefusesAStaleTimestampEvenWhenCorrectlySigned()
    {
        using var response = await PostSignedAsync("""{"id":"1","type":1,"token":"t"}""", clockOffset: -3600);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("1700000000", null)]
    [InlineData(null, "00")]
    [InlineData("now", "zz")]
    public async Task RefusesMissingOrMalformedSignatures(string? timestamp, string? signature)
    {
        using var response = await PostAsync("""{"type":1}""", timestamp == "now" ? Now() : timestamp, signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RefusesASignatureMadeWithAnotherKey()
    {
        var body = """{"type":1}""";
        var timestamp = Now();
        var other = new Ed25519Signer();
        other.Init(true, new Ed25519PrivateKeyParameters(new byte[32], 0));
        var message = Encoding.UTF8.GetBytes(timestamp + body);
        other.BlockUpdate(message, 0, message.Length);

        using var response = await PostAsync(body, timestamp, Convert.ToHexString(other.GenerateSignature()));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AnswersACommandInTheHttpResponse()
    {
        _engine.AnswerWith(new Reply(new Message("You have no interviews yet.")));

        using var response = await PostSignedAsync(Payloads.Command("interview", "list", new Dictionary<string, JsonNode?>()).ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(4, answer["type"]!.GetValue<int>());
        Assert.Equal(64, answer["data"]!["flags"]!.GetValue<int>());
        Assert.Equal("interview list", Assert.IsType<SlashCommand>(Assert.Single(_engine.Events)).Name);
        Assert.DoesNotContain(_discord.Requests, r => r.Is("POST", "interactions/"));
    }

    [Fact]
    public async Task DefersInTheHttpResponseWhenTheEngineIsSlowThenEditsThroughTheWebhook()
    {
        var release = new TaskCompletionSource();
        _engine.Answer = async _ =>
        {
            await release.Task;
            return [new Reply(new Message("Done at last."))];
        };
        var command = Payloads.Command("interview", "list", new Dictionary<string, JsonNode?>());

        using var response = await PostSignedAsync(command.ToJsonString());
        release.SetResult();

        Assert.Equal(5, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["type"]!.GetValue<int>());
        var edit = await _discord.WaitForRequestAsync(r => r.Is("PATCH", $"webhooks/{FakeDiscord.ApplicationId}/{command["token"]}/messages/@original"), "the edit");
        Assert.Equal("Done at last.", edit.Json!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task ASignedButMalformedPayloadIsABadRequestAndChangesNothing()
    {
        using var notJson = await PostSignedAsync("{not json");
        using var noToken = await PostSignedAsync("""{"type":2,"id":"5"}""");

        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Empty(_engine.Events);
    }

    [Fact]
    public async Task AReplayedInteractionIsAnsweredWithoutRunningAgain()
    {
        var body = Payloads.Command("interview", "list", new Dictionary<string, JsonNode?>()).ToJsonString();
        var timestamp = Now();
        var signature = Sign(timestamp, Encoding.UTF8.GetBytes(body));

        using var first = await PostAsync(body, timestamp, signature);
        using var second = await PostAsync(body, timestamp, signature);
        using var third = await PostAsync(body, timestamp, signature);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Single(_engine.Events);
        foreach (var replay in new[] { second, third })
        {
            Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
            var answer = JsonNode.Parse(await replay.Content.ReadAsStringAsync())!;
            Assert.Equal("This request was already handled.", answer["data"]!["content"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task AChunkedBodyIsRefusedAfter1MbWithoutBeingReadInFull()
    {
        var sent = new CountingStream(30 * 1024 * 1024);
        var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new StreamContent(sent) };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("X-Signature-Timestamp", Now());
        request.Headers.Add("X-Signature-Ed25519", new string('0', 128));

        HttpStatusCode? status = null;
        try
        {
            using var response = await _http.SendAsync(request);
            status = response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // The server may close the connection while the client is still sending: refused all the same.
        }

        Assert.True(status is null or HttpStatusCode.RequestEntityTooLarge, $"answered {status}");
        Assert.True(sent.BytesSent < 10 * 1024 * 1024, $"{sent.BytesSent / 1024 / 1024} MB were taken in before the refusal");
        Assert.Empty(_engine.Events);
    }

    /// <summary>A body of <c>length</c> bytes produced on demand, counting what the client actually sent.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public long BytesSent { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesSent; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - BytesSent);
            Array.Fill(buffer, (byte)'a', offset, n);
            BytesSent += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
