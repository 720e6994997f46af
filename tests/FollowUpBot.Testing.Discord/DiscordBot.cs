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
public sealed class DiscordBot(FakeDiscord discord, IHost host, SimulatedClock clock, TempDatabase database, CapturedLogs logs)
    : BotUnderTest(host, clock, database, logs)
{
    public FakeDiscord Discord { get; } = discord;

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
        LogLevel level, Action<IServiceCollection>? services = null) =>
        BuildHost(settings, clock, contentRoot, logs, level, new DiscordModule(), services);

    protected override MemberKey KeyOf(string userId) => new("discord", Payloads.GuildId, userId);

    /// <summary>The member the payloads speak for.</summary>
    public Task<Member?> MemberAsync() => MemberAsync(Payloads.MemberId);

    public Task<IReadOnlyList<Interview>> InterviewsAsync() => InterviewsAsync(Payloads.MemberId);

    protected override ValueTask DisposeFakeAsync() => Discord.DisposeAsync();
}
