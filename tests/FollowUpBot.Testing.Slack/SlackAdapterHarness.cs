using FollowUpBot.Platforms.Slack;
using FollowUpBot.Testing;
using FollowUpBot.Core.Conversations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using FollowUpBot.Platforms.Kit;

namespace FollowUpBot.Testing.Slack;

/// <summary>
/// The Slack adapter in a generic host, pointed at a <see cref="FakeSlack"/> only through Slack:ApiBaseUrl,
/// with short intervals so the tests do not wait, and a <see cref="RecordingEngine"/> unless told otherwise.
/// </summary>
public sealed class SlackAdapterHarness : IAsyncDisposable
{
    private SlackAdapterHarness(FakeSlack fake, IHost host, RecordingEngine engine, CapturedLogs logs, RecordingExitCode exitCode)
    {
        Fake = fake;
        Host = host;
        Engine = engine;
        Logs = logs;
        ExitCode = exitCode;
    }

    public FakeSlack Fake { get; }
    public IHost Host { get; }
    public RecordingEngine Engine { get; }
    public CapturedLogs Logs { get; }
    public RecordingExitCode ExitCode { get; }

    public T Get<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    public static Dictionary<string, string?> TestSettings(FakeSlack fake) => new()
    {
        ["Slack:BotToken"] = FakeSlack.BotToken,
        ["Slack:AppToken"] = FakeSlack.AppToken,
        ["Slack:SigningSecret"] = "8f742231b10e8888abcd99yyyzzz85a5",
        ["Slack:Mode"] = "socket",
        ["Slack:ApiBaseUrl"] = fake.ApiBaseUrl.ToString(),
        ["Slack:SocketConnections"] = "2",
        ["Slack:ConnectionStagger"] = "00:00:00",
        ["Slack:ReconnectDelay"] = "00:00:00.05",
        ["Slack:MaxReconnectDelay"] = "00:00:00.5",
        ["Slack:HelloTimeout"] = "00:00:03",
        ["Slack:RetryDelay"] = "00:00:00.02",
        ["Slack:RetryJitter"] = "00:00:00.05",
        ["Slack:ChannelMessageInterval"] = "00:00:00.01",
        ["Slack:DrainTimeout"] = "00:00:05",
    };

    public static async Task<SlackAdapterHarness> StartAsync(
        Action<Dictionary<string, string?>>? settings = null,
        Action<IServiceCollection>? services = null,
        bool start = true,
        FakeSlack? fake = null)
    {
        fake ??= await FakeSlack.StartAsync();
        var values = TestSettings(fake);
        settings?.Invoke(values);

        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(values);
        var logs = new CapturedLogs();
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        var engine = new RecordingEngine();
        var exitCode = new RecordingExitCode();
        builder.Services.AddSingleton<IExitCodeSink>(exitCode);
        builder.Services.AddSingleton<IConversationEngine>(engine);
        builder.Services.AddSlackPlatform(builder.Configuration);
        builder.Services.AddSingleton<SlackChatPlatformAccessor>();
        services?.Invoke(builder.Services);
        var host = builder.Build();
        if (start) await host.StartAsync();
        return new SlackAdapterHarness(fake, host, engine, logs, exitCode);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Host.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }
        Host.Dispose();
        await Fake.DisposeAsync();
    }
}
