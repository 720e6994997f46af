using System.Collections.Concurrent;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Playbooks;
using FollowUpBot.Hosting;
using FollowUpBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace FollowUpBot.Scheduling.Tests;

/// <summary>
/// One bot instance of a cluster: the real composition (Core + Storage + Scheduling) in its own host, with its own
/// Quartz scheduler and instance id, on the shared PostgreSQL schema, in real time (the cluster's check-ins are real).
/// Its platform writes every completed send to a log shared by the whole cluster.
/// </summary>
internal sealed class ClusterNode : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterNode(string name, IHost host, ClusterPlatform platform)
    {
        Name = name;
        _host = host;
        Platform = platform;
    }

    public string Name { get; }

    public ClusterPlatform Platform { get; }

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    public static async Task<ClusterNode> StartAsync(string name, TempPostgresSchema schema, ClusterDeliveryLog log,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(schema.ClusterInstanceSettings(name, threadCount: 8));
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        var platform = new ClusterPlatform(name, log);
        builder.AddFollowUpBot(new BotSetup(TestBot.Playbook) { Services = services => services.AddSingleton<IChatPlatform>(platform) });
        var host = builder.Build();
        // Generous: a start or a stop that waits for in-flight deliveries runs long on a loaded 2-core CI machine.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await host.StartAsync(timeout.Token);
        return new ClusterNode(name, host, platform);
    }

    /// <summary>
    /// As close to kill -9 as one process allows: sends in flight never return (nothing they carried reached anyone),
    /// and the scheduler stops at once without finishing its jobs or checking in again, so the cluster sees the
    /// instance go silent. The host is abandoned, never stopped cleanly.
    /// </summary>
    public async Task KillAsync()
    {
        Platform.Freeze();
        var scheduler = await Get<ISchedulerFactory>().GetScheduler();
        await scheduler.Shutdown(waitForJobsToComplete: false);
    }

    public async Task StopAsync()
    {
        // Generous: a start or a stop that waits for in-flight deliveries runs long on a loaded 2-core CI machine.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await _host.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (Platform.Frozen) return;
        await StopAsync();
        _host.Dispose();
    }
}

/// <summary>Every send that completed on any instance: (nudge delivery key, instance).</summary>
internal sealed class ClusterDeliveryLog
{
    private readonly ConcurrentQueue<(string DeliveryKey, string Node)> _sends = new();

    public void Add(string deliveryKey, string node) => _sends.Enqueue((deliveryKey, node));

    public IReadOnlyList<(string DeliveryKey, string Node)> Sends => _sends.ToList();

    public int Count => _sends.Count;
}

/// <summary>A fake platform that records completed sends in the cluster's log, and can freeze like a dead process.</summary>
internal sealed class ClusterPlatform(string node, ClusterDeliveryLog log) : IChatPlatform
{
    private readonly TaskCompletionSource _never = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => TestBot.PlatformName;

    public bool Frozen { get; private set; }

    public void Freeze() => Frozen = true;

    public async Task<DeliveryResult> SendDirectMessageAsync(DirectMessageRequest request, CancellationToken cancellationToken)
    {
        if (Frozen) await _never.Task;
        log.Add(request.DeliveryKey, node);
        return DeliveryResult.Delivered;
    }

    public Task<DeliveryResult> PostToChannelAsync(ChannelPostRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(DeliveryResult.Delivered);
}
