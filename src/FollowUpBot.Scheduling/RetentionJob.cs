using FollowUpBot.Core.Retention;
using Microsoft.Extensions.Logging;
using Quartz;

namespace FollowUpBot.Scheduling;

/// <summary>The nightly removal of interviews closed longer than Retention:Days. The type name is stored; keep it.</summary>
public sealed class RetentionJob(InterviewRetention retention, ILogger<RetentionJob> logger) : IJob
{
    public static readonly JobKey Key = new("retention", "maintenance");
    public static readonly TriggerKey TriggerKey = new("retention-nightly", "maintenance");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await retention.RunAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The next night tries again; nothing was removed half-way (one transaction).
            logger.LogError(e, "The retention job failed");
        }
    }
}
