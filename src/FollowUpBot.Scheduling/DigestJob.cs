using FollowUpBot.Core.Cohorts;
using Microsoft.Extensions.Logging;
using Quartz;

namespace FollowUpBot.Scheduling;

/// <summary>
/// Fired by a cohort's digest trigger: runs that scheduled digest. Harmless when fired twice, because the run is
/// claimed per cohort and scheduled time. The type name is stored in the job table, so keep it.
/// </summary>
public sealed class DigestJob(CohortDigestService digests, ILogger<DigestJob> logger) : IJob
{
    public static readonly JobKey Key = new("digest", QuartzCohortScheduler.Group);

    public const string CohortIdKey = "cohortId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var cohortId = context.MergedJobDataMap.TryGetValue(CohortIdKey, out var value) && value is not null
                       && long.TryParse(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), out var id)
            ? id
            : QuartzCohortScheduler.CohortIdOf(context.RecoveringTriggerKey ?? context.Trigger.Key);
        if (cohortId is null)
        {
            logger.LogWarning("Digest trigger {Trigger} carries no cohort id; ignored", context.Trigger.Key);
            return;
        }
        try
        {
            var outcome = await digests.RunAsync(cohortId.Value, context.ScheduledFireTimeUtc ?? context.FireTimeUtc, cancellationToken);
            logger.LogInformation("Digest of cohort {CohortId}: {Outcome}", cohortId, outcome);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "Digest of cohort {CohortId} failed", cohortId);
        }
    }
}
