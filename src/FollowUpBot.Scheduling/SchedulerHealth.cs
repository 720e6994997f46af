using FollowUpBot.Core.Observability;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace FollowUpBot.Scheduling;

/// <summary>
/// The scheduler has started and not shut down, so due nudges fire on this instance; and the trigger writer keeps
/// up: changes queued for longer than <see cref="StuckAfter"/> without the queue ever emptying mean new nudges are
/// not getting their triggers (the database refuses writes, or the writer fell far behind).
/// </summary>
internal sealed class SchedulerHealth(ISchedulerFactory schedulers, NudgeTriggerWriter writer) : IHealthCheck
{
    public const string Name = "scheduler";

    /// <summary>Real time, like the writer's own retries: a simulated clock standing still must not hide a stuck queue.</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private DateTimeOffset? _queuedSince;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        SchedulerStatus status;
        try
        {
            status = (await schedulers.GetScheduler(cancellationToken)).Status;
        }
        catch (SchedulerException e)
        {
            return HealthCheckResult.Unhealthy($"the scheduler failed ({e.GetType().Name}: {e.Message})");
        }
        var backlog = writer.Backlog;
        var queuedFor = QueuedFor(backlog);
        var detail = $"{status.ToString().ToLowerInvariant()}, {backlog} trigger changes queued";
        if (status != SchedulerStatus.Running) return HealthCheckResult.Unhealthy($"{detail}: nudges do not fire on this instance");
        if (queuedFor >= StuckAfter)
            return HealthCheckResult.Unhealthy($"{detail}, the queue has not emptied for {queuedFor.TotalSeconds:0} s");
        return HealthCheckResult.Healthy(detail);
    }

    private TimeSpan QueuedFor(int backlog)
    {
        var now = TimeProvider.System.GetUtcNow();
        lock (_gate)
        {
            if (backlog == 0) _queuedSince = null;
            else _queuedSince ??= now;
            return _queuedSince is { } since ? now - since : TimeSpan.Zero;
        }
    }
}

/// <summary>Points the trigger-writer backlog gauge at this process's writer.</summary>
internal sealed class SchedulingMetrics(BotMetrics metrics, NudgeTriggerWriter writer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.ObserveTriggerBacklog(() => writer.Backlog);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
