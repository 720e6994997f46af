using FollowUpBot.Core.Ports;
using Quartz;

namespace FollowUpBot.Scheduling;

/// <summary>The scheduler has started and not shut down, so due nudges will fire on this instance.</summary>
internal sealed class SchedulerHealth(ISchedulerFactory schedulers) : IHealthContributor
{
    public async Task<HealthStatus> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            var scheduler = await schedulers.GetScheduler(cancellationToken);
            var status = scheduler.Status;
            return new HealthStatus("scheduler", status == SchedulerStatus.Running, status.ToString().ToLowerInvariant());
        }
        catch (SchedulerException e)
        {
            return new HealthStatus("scheduler", false, e.GetType().Name);
        }
    }
}
