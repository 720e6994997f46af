using System.Runtime.CompilerServices;
using Dapper;
using FollowUpBot.Storage;
using Quartz;

namespace FollowUpBot.Scheduling;

/// <summary>A nudge trigger as Quartz stores it: start and next fire time in UTC ticks.</summary>
internal readonly record struct StoredTrigger(long NudgeId, long StartTicks, long? NextFireTicks)
{
    /// <summary>Whether it will still fire, and for the nudge's current due time.</summary>
    public bool FiresAt(DateTimeOffset dueAt) => StartTicks == dueAt.UtcTicks && NextFireTicks is > 0;
}

/// <summary>
/// Every statement the bot runs against Quartz's own tables (the rest goes through the scheduler API). Reading them
/// directly is what keeps the reconciliation, the horizon and the console's clock cheap with many triggers; the
/// layout is Quartz 4.7's (<c>QRTZ_</c> prefix, times as UTC ticks). Unquoted names match both the SQLite and
/// the PostgreSQL schema. Nudge triggers are named "nudge-{id}" in group "nudges" (see <see cref="QuartzNudgeScheduler"/>).
/// </summary>
public sealed class QuartzTables(IDbConnectionFactory connections, ISchedulerFactory schedulers)
{
    /// <summary>The table prefix, also substituted into Quartz's DDL (<see cref="QuartzSchemaService"/>).</summary>
    public const string Prefix = "qrtz_";

    // WAITING: stored and not yet picked; ACQUIRED: picked by the scheduler thread, about to fire.
    private const string ToFire = "TRIGGER_STATE IN ('WAITING', 'ACQUIRED') AND NEXT_FIRE_TIME IS NOT NULL";

    // The horizon job's own trigger says nothing about when work falls due: it only moves the window on.
    private static readonly string NotHorizon = $"NOT (TRIGGER_NAME = '{HorizonJob.TriggerKey.Name}' AND TRIGGER_GROUP = '{HorizonJob.TriggerKey.Group}')";

    private async Task<string> SchedulerNameAsync(CancellationToken cancellationToken) =>
        (await schedulers.GetScheduler(cancellationToken)).SchedulerName;

    /// <summary>The nudge triggers in nudge id order, streamed.</summary>
    internal async IAsyncEnumerable<StoredTrigger> NudgeTriggersInIdOrderAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var scheduler = await SchedulerNameAsync(cancellationToken);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = connection.QueryUnbufferedAsync<(string Name, long Start, long? Next)>($"""
            SELECT TRIGGER_NAME, START_TIME, NEXT_FIRE_TIME FROM QRTZ_TRIGGERS
            WHERE SCHED_NAME = @scheduler AND TRIGGER_GROUP = @group AND TRIGGER_NAME LIKE '{QuartzNudgeScheduler.Prefix}%'
            ORDER BY CAST(SUBSTR(TRIGGER_NAME, {QuartzNudgeScheduler.Prefix.Length + 1}) AS BIGINT)
            """, new { scheduler, group = QuartzNudgeScheduler.Group });
        await foreach (var (name, start, next) in rows.WithCancellation(cancellationToken))
            if (QuartzNudgeScheduler.NudgeIdOf(new TriggerKey(name, QuartzNudgeScheduler.Group)) is { } nudgeId)
                yield return new StoredTrigger(nudgeId, start, next);
    }

    /// <summary>The triggers these nudges hold now, by nudge id: one indexed read, no lock, no write.</summary>
    internal async Task<IReadOnlyDictionary<long, StoredTrigger>> TriggersOfAsync(IReadOnlyCollection<long> nudgeIds,
        CancellationToken cancellationToken)
    {
        var found = new Dictionary<long, StoredTrigger>();
        if (nudgeIds.Count == 0) return found;
        var scheduler = await SchedulerNameAsync(cancellationToken);
        await using var connection = await connections.OpenAsync(cancellationToken);
        // Bounded IN lists: SQLite allows at most 32,766 parameters per statement.
        // Npgsql takes the list as one array parameter; Dapper spells it out as a list for SQLite.
        var inNames = connections.Provider == StorageProvider.Postgres ? "= ANY(@names)" : "IN @names";
        foreach (var chunk in nudgeIds.Chunk(1_000))
        {
            var rows = await connection.QueryAsync<(string Name, long Start, long? Next)>(new CommandDefinition(
                $"SELECT TRIGGER_NAME, START_TIME, NEXT_FIRE_TIME FROM QRTZ_TRIGGERS WHERE SCHED_NAME = @scheduler AND TRIGGER_GROUP = @group AND TRIGGER_NAME {inNames}",
                new { scheduler, group = QuartzNudgeScheduler.Group, names = chunk.Select(id => QuartzNudgeScheduler.TriggerKeyFor(id).Name).ToArray() },
                cancellationToken: cancellationToken));
            foreach (var (name, start, next) in rows)
                if (QuartzNudgeScheduler.NudgeIdOf(new TriggerKey(name, QuartzNudgeScheduler.Group)) is { } nudgeId)
                    found[nudgeId] = new StoredTrigger(nudgeId, start, next);
        }
        return found;
    }

    /// <summary>How many nudges hold a trigger (those within the horizon, and overdue ones not yet fired).</summary>
    public async Task<long> NudgeTriggerCountAsync(CancellationToken cancellationToken)
    {
        var scheduler = await SchedulerNameAsync(cancellationToken);
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE SCHED_NAME = @scheduler AND TRIGGER_GROUP = @group",
            new { scheduler, group = QuartzNudgeScheduler.Group }, cancellationToken: cancellationToken));
    }

    /// <summary>The earliest next fire time of any trigger still to fire, but the horizon job's.</summary>
    public async Task<DateTimeOffset?> NextFireTimeAsync(CancellationToken cancellationToken)
    {
        var scheduler = await SchedulerNameAsync(cancellationToken);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var ticks = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"SELECT MIN(NEXT_FIRE_TIME) FROM QRTZ_TRIGGERS WHERE SCHED_NAME = @scheduler AND {ToFire} AND {NotHorizon}",
            new { scheduler }, cancellationToken: cancellationToken));
        return ticks is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null;
    }

    /// <summary>Triggers (but the horizon job's) due by <paramref name="now"/> and not yet fired, plus firings under way.</summary>
    public async Task<long> DueOrFiringAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var scheduler = await SchedulerNameAsync(cancellationToken);
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition($"""
            SELECT (SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE SCHED_NAME = @scheduler AND {ToFire} AND {NotHorizon} AND NEXT_FIRE_TIME <= @now)
                 + (SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS WHERE SCHED_NAME = @scheduler AND {NotHorizon})
            """, new { scheduler, now = now.UtcTicks }, cancellationToken: cancellationToken));
    }
}
