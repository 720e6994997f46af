using Dapper;
using FollowUpBot.Core.Ports;
using FollowUpBot.Storage;
using Quartz;

namespace FollowUpBot.Scheduling;

/// <summary>
/// Reads Quartz's tables for <see cref="IScheduledWork"/>: the earliest next fire time of a trigger still to fire,
/// and the triggers due or firing. Unquoted names match both the SQLite and the PostgreSQL schema; times are ticks.
/// Trigger changes still queued in the <see cref="NudgeTriggerWriter"/> are written first, so both answers count them.
/// </summary>
internal sealed class QuartzScheduledWork(IDbConnectionFactory connections, ISchedulerFactory schedulers, NudgeTriggerWriter writer)
    : IScheduledWork
{
    // WAITING: stored and not yet picked; ACQUIRED: picked by the scheduler thread, about to fire.
    private const string ToFire = "TRIGGER_STATE IN ('WAITING', 'ACQUIRED') AND NEXT_FIRE_TIME IS NOT NULL";

    public async Task<DateTimeOffset?> NextDueAtAsync(CancellationToken cancellationToken)
    {
        await writer.FlushAsync(cancellationToken);
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var ticks = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"SELECT MIN(NEXT_FIRE_TIME) FROM QRTZ_TRIGGERS WHERE SCHED_NAME = @scheduler AND {ToFire}",
            new { scheduler = scheduler.SchedulerName }, cancellationToken: cancellationToken));
        return ticks is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null;
    }

    public async Task<bool> IsIdleAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await writer.FlushAsync(cancellationToken);
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var busy = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"""
            SELECT (SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE SCHED_NAME = @scheduler AND {ToFire} AND NEXT_FIRE_TIME <= @now)
                 + (SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS WHERE SCHED_NAME = @scheduler)
            """, new { scheduler = scheduler.SchedulerName, now = now.UtcTicks }, cancellationToken: cancellationToken));
        return busy == 0;
    }
}
