using System.Text.Json.Nodes;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Playbooks;
using FollowUpBot.Core.Ports;
using FollowUpBot.Core.Time;
using FollowUpBot.Hosting;
using FollowUpBot.Platforms.Discord;
using FollowUpBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Testing.Discord;

/// <summary>
/// The whole bot as `followupbot run` composes it for Discord: the real engine, SQLite in a temp folder, Quartz on a
/// simulated clock, and the Discord adapter pointed at a fake Discord.
/// </summary>
public sealed class DiscordBot : IAsyncDisposable
{
    public static readonly Playbook Playbook = ShippedPlaybook.Instance;

    private DiscordBot(FakeDiscord discord, IHost host, SimulatedClock clock, TempDatabase database, CapturedLogs logs)
    {
        Discord = discord;
        Host = host;
        Clock = clock;
        Database = database;
        Logs = logs;
    }

    public FakeDiscord Discord { get; }

    public IHost Host { get; }

    public SimulatedClock Clock { get; }

    public TempDatabase Database { get; }

    public CapturedLogs Logs { get; }

    public T Get<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    /// <summary>
    /// Sends an interaction over the gateway and returns the answer the member sees: the callback, or, when the
    /// adapter deferred (a slow machine), the edit that followed, shaped as the callback it stands for.
    /// </summary>
    public async Task<JsonNode> AnswerAsync(JsonObject interaction)
    {
        await Discord.Gateway.InteractionAsync(interaction);
        var callback = (await Discord.CallbackAsync(interaction["id"]!.GetValue<string>())).Json!;
        var type = callback["type"]!.GetValue<int>();
        if (type is not (5 or 6)) return callback;
        var edit = await Discord.WaitForRequestAsync(r => r.Is("PATCH", $"webhooks/{FakeDiscord.ApplicationId}/{interaction["token"]}/messages/@original"), "the deferred answer");
        var data = edit.Json!.AsObject();
        if (type == 5) data["flags"] = callback["data"]?["flags"]?.DeepClone();
        return new JsonObject { ["type"] = type == 5 ? 4 : 7, ["data"] = data };
    }

    public static async Task<DiscordBot> StartAsync(DateTimeOffset now, Action<Dictionary<string, string?>>? configure = null)
    {
        var discord = await FakeDiscord.StartAsync();
        var database = new TempDatabase();
        var clock = new SimulatedClock(now);
        var settings = discord.Configuration();
        foreach (var (key, value) in database.Settings) settings[key] = value;
        configure?.Invoke(settings);
        var logs = new CapturedLogs();
        var host = BuildHost(settings, clock, database.Folder, logs, LogLevel.Debug);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StartAsync(timeout.Token);
        await discord.Gateway.WaitForSessionAsync();
        return new DiscordBot(discord, host, clock, database, logs);
    }

    /// <summary>The bot as `followupbot run` composes it with Discord, configured only by <paramref name="settings"/>;
    /// <paramref name="services"/> adds test-only pieces (a node's HTTP handler, say).</summary>
    public static IHost BuildHost(Dictionary<string, string?> settings, TimeProvider clock, string contentRoot, CapturedLogs logs,
        LogLevel level, Action<IServiceCollection>? services = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = contentRoot,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(level);
        builder.AddFollowUpBot(new BotSetup(Playbook) { Clock = clock, Platforms = [new DiscordModule()], Services = services });
        return builder.Build();
    }

    public async Task<Member?> MemberAsync(string userId = Payloads.MemberId) =>
        await Get<IMemberRepository>().FindAsync(new MemberKey("discord", Payloads.GuildId, userId), CancellationToken.None);

    public async Task<IReadOnlyList<Interview>> InterviewsAsync(string userId = Payloads.MemberId) =>
        await MemberAsync(userId) is { } member
            ? await Get<IInterviewRepository>().ListAsync(member.Id, openOnly: false, CancellationToken.None)
            : [];

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await Host.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }
        Host.Dispose();
        await Discord.DisposeAsync();
        Database.Dispose();
    }
}
