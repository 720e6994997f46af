using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Platforms.Discord.Gateway;
using FollowUpBot.Platforms.Discord.Rest;
using FollowUpBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace FollowUpBot.Platforms.Discord.Tests.Fakes;

/// <summary>
/// One bot instance of a sharded cluster, composed as `followupbot run` does for Discord: the real engine, storage on
/// the shared PostgreSQL schema, clustered Quartz with its own instance id, and the Discord adapter holding one shard
/// of the fake Discord, all in real time. Its REST requests carry its name (<see cref="FakeDiscord.InstanceHeader"/>)
/// so the fake can tell the instances apart, and it can be killed as a process would be.
/// </summary>
public sealed class DiscordClusterNode : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly NodeLife _life;

    private DiscordClusterNode(string name, int shard, IHost host, NodeLife life, CapturedLogs logs)
    {
        Name = name;
        Shard = shard;
        _host = host;
        _life = life;
        Logs = logs;
    }

    public string Name { get; }

    public int Shard { get; }

    public CapturedLogs Logs { get; }

    public bool Killed => _life.Dead;

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    public static async Task<DiscordClusterNode> StartAsync(string name, int shard, int shardCount, FakeDiscord discord, TempPostgresSchema schema)
    {
        var settings = discord.Configuration();
        settings["Discord:GatewayUrl"] = discord.Gateway.UrlFor(name);
        settings["Discord:ShardId"] = shard.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Discord:ShardCount"] = shardCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Generous: a loaded 2-core machine must not turn answers into deferrals for no reason.
        settings["Discord:DeferAfter"] = "00:00:02.500";
        foreach (var (key, value) in schema.ClusterInstanceSettings(name)) settings.TryAdd(key, value);
        var logs = new CapturedLogs();
        var life = new NodeLife();
        var host = DiscordBot.BuildHost(settings, TimeProvider.System, AppContext.BaseDirectory, logs, LogLevel.Information,
            services => services.AddHttpClient(DiscordRestClient.HttpClientName).AddHttpMessageHandler(() => new NodeHandler(name, life)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.StartAsync(timeout.Token);
        return new DiscordClusterNode(name, shard, host, life, logs);
    }

    /// <summary>Waits until this instance's shard is identified and READY was read.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Get<DiscordShards>().Gateways.All(g => g.SessionId is null))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Name} (shard {Shard}) never became ready. Its log:\n{string.Join("\n", Logs.Lines)}");
            await Task.Delay(20);
        }
    }

    /// <summary>The members' nudges of the cluster, read through this instance.</summary>
    public async Task<IReadOnlyList<Nudge>> NudgesOfAsync(IEnumerable<MemberKey> members)
    {
        var all = new List<Nudge>();
        foreach (var key in members)
        {
            if (await Get<IMemberRepository>().FindAsync(key, CancellationToken.None) is not { } member) continue;
            foreach (var interview in await Get<IInterviewRepository>().ListAsync(member.Id, openOnly: false, CancellationToken.None))
                all.AddRange(await Get<INudgeRepository>().ListByInterviewAsync(interview.Id, CancellationToken.None));
        }
        return all;
    }

    /// <summary>
    /// As close to kill -9 as one process allows: REST requests not yet sent never leave and answers to those in
    /// flight are never read (what they carried may or may not have reached Discord), the gateway connection drops
    /// without a close frame and is never made again, and the scheduler stops at once without finishing its jobs or
    /// checking in again, so the cluster sees the instance go silent. The host is abandoned, never stopped cleanly.
    /// </summary>
    public async Task KillAsync(FakeDiscord discord)
    {
        _life.Dead = true;
        discord.Gateway.KillClient(Name);
        var scheduler = await Get<ISchedulerFactory>().GetScheduler();
        await scheduler.Shutdown(waitForJobsToComplete: false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_life.Dead) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }
        _host.Dispose();
    }

    private sealed class NodeLife
    {
        public volatile bool Dead;

        public readonly TaskCompletionSource Never = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Names the instance on each request, and stops its traffic dead when the instance is killed.</summary>
    private sealed class NodeHandler(string name, NodeLife life) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (life.Dead) await life.Never.Task;
            request.Headers.TryAddWithoutValidation(FakeDiscord.InstanceHeader, name);
            var response = await base.SendAsync(request, cancellationToken);
            if (life.Dead) await life.Never.Task;
            return response;
        }
    }
}
