using FollowUpBot.Core.Delivery;
using Microsoft.Extensions.Logging;
using Quartz;

namespace FollowUpBot.Scheduling;

/// <summary>
/// Fired by a nudge's trigger: hands the nudge to the dispatcher. Harmless when fired twice or replayed after
/// a crash, because the dispatcher claims the nudge first. The type name is stored in the job table, so keep it.
/// </summary>
public sealed class NudgeJob(NudgeDispatcher dispatcher, ILogger<NudgeJob> logger) : IJob
{
    public static readonly JobKey Key = new("nudge", QuartzNudgeScheduler.Group);

    /// <summary>The job data key under which earlier versions stored the nudge id (triggers are now read by name).</summary>
    public const string NudgeIdKey = "nudgeId";

    /// <summary>The one durable job every nudge trigger fires.</summary>
    public static readonly IJobDetail Definition =
        JobBuilder.Create<NudgeJob>().WithIdentity(Key).StoreDurably().RequestRecovery().Build();

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (NudgeIdOf(context) is not { } nudgeId)
        {
            logger.LogWarning("Nudge trigger {Trigger} carries no nudge id; ignored", context.Trigger.Key);
            return;
        }
        try
        {
            // A recovered firing means the instance that ran it died (Quartz's cluster says so): the claims it made
            // (this nudge and the others due with it) will never be completed, so those sends are resumed as possible
            // repeats.
            var outcome = context.Recovering
                ? await dispatcher.ResumeFiringAsync(nudgeId, cancellationToken)
                : await dispatcher.DispatchAsync(nudgeId, cancellationToken);
            logger.LogDebug("Nudge {NudgeId}: {Outcome}", nudgeId, outcome);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Nothing to retry here: a claimed nudge is resumed at the next start, an unclaimed one gets its
            // trigger back from the reconciler.
            logger.LogError(e, "Dispatching nudge {NudgeId} failed", nudgeId);
        }
    }

    /// <summary>The nudge a firing is for (the bench's delivery trace asks the same question).</summary>
    public static long? NudgeIdOf(IJobExecutionContext context)
    {
        if (QuartzNudgeScheduler.NudgeIdOf(context.Trigger.Key) is { } named) return named;
        // Triggers stored by earlier versions carry the id as job data too; a recovered firing keeps that data.
        if (context.MergedJobDataMap.TryGetValue(NudgeIdKey, out var value) && value is not null
            && long.TryParse(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), out var id))
            return id;
        // A recovered firing runs under a recovery trigger; the original trigger's name still says which nudge.
        return context.RecoveringTriggerKey is { } original ? QuartzNudgeScheduler.NudgeIdOf(original) : null;
    }
}
