using FollowUpBot.Core.Conversations;
using FollowUpBot.Platforms.Discord;
using FollowUpBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using FollowUpBot.Platforms.Kit;

namespace FollowUpBot.Testing.Discord;

/// <summary>The adapter in a generic host, configured only through configuration keys to talk to a fake Discord.</summary>
public sealed class AdapterHost : IAsyncDisposable
{
    private AdapterHost(IHost host, RecordingEngine engine, CapturedLogs logs, RecordingExitCode exitCode)
    {
        Host = host;
        Engine = engine;
        Logs = logs;
        ExitCode = exitCode;
    }

    public IHost Host { get; }

    public RecordingEngine Engine { get; }

    public CapturedLogs Logs { get; }

    /// <summary>The exit code a fatal stop asked for, if any.</summary>
    public RecordingExitCode ExitCode { get; }

    public T Get<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    public static async Task<AdapterHost> StartAsync(FakeDiscord discord, Action<Dictionary<string, string?>>? configure = null,
        Action<IServiceCollection>? services = null, bool waitForSession = true)
    {
        var settings = discord.Configuration();
        configure?.Invoke(settings);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        var logs = new CapturedLogs();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        var engine = new RecordingEngine();
        builder.Services.AddSingleton<IConversationEngine>(engine);
        var exitCode = new RecordingExitCode();
        builder.Services.AddSingleton<IExitCodeSink>(exitCode);
        builder.Services.AddDiscordPlatform(builder.Configuration);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        var adapter = new AdapterHost(host, engine, logs, exitCode);
        if (waitForSession)
        {
            try
            {
                await discord.Gateway.WaitForSessionAsync();
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException(e.Message + "\nAdapter log:\n" + string.Join("\n", logs.Lines), e);
            }
        }
        return adapter;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await Host.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }
        Host.Dispose();
    }
}
