using FollowUpBot.Core.Ports;

namespace FollowUpBot.Scheduling;

/// <summary>
/// Reads Quartz's tables for <see cref="IScheduledWork"/>: the earliest next fire time of a trigger still to fire,
/// and the triggers due or firing. Trigger changes still queued in the <see cref="NudgeTriggerWriter"/> are written
/// first, so both answers count them. The horizon job's trigger is left out: it only moves the window on.
/// </summary>
internal sealed class QuartzScheduledWork(QuartzTables tables, NudgeTriggerWriter writer) : IScheduledWork
{
    public async Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken)
    {
        await writer.FlushAsync(cancellationToken);
        return await tables.NextFireTimeAsync(cancellationToken);
    }

    public async Task<bool> IsIdleAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await writer.FlushAsync(cancellationToken);
        return await tables.DueOrFiringAsync(now, cancellationToken) == 0;
    }
}
