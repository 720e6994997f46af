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

    // Quartz's marker row in the paused groups table for "every group paused".
    private const string AllGroupsPaused = "_$_ALL_GROUPS_PAUSED_$_";

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

    /// <summary>
    /// Writes triggers for nudges that hold none yet as plain rows, the same rows Quartz writes for them, in one
    /// transaction under Quartz's trigger lock: two INSERTs for the whole batch where the scheduler API spends about six
    /// statements per trigger. Returns the nudges written. The rest are left to the API: a nudge that already holds a
    /// trigger (a re-plan replaces it), and the whole batch while the triggers' or the job's group is paused (Quartz
    /// stores them paused), the job is not yet stored, or Quartz has not yet created its lock row. Nothing wakes the
    /// firing thread for rows written this way: the caller schedules at least its earliest nudge through the API
    /// afterwards, whose signal makes the thread look again.
    /// PostgreSQL only, where each statement is a round trip under the cluster's lock. On SQLite Quartz's statements
    /// are calls in process, and a second write transaction per batch made the slowest of 60 commands over the wire
    /// 24-140 ms where it was 7-35 ms (six alternating runs; the member's writes meet a busy file more often, and
    /// SQLite's busy handler waits in sleeps): there every trigger goes through the API and this writes nothing.
    /// </summary>
    public async Task<IReadOnlySet<long>> InsertNewNudgeTriggersAsync(IReadOnlyCollection<ScheduledNudgeRow> nudges,
        CancellationToken cancellationToken)
    {
        var written = new HashSet<long>();
        if (nudges.Count == 0 || connections.Provider != StorageProvider.Postgres) return written;
        var scheduler = await SchedulerNameAsync(cancellationToken);
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The lock Quartz takes to store a trigger and to acquire triggers to fire: the firing thread never sees half a
        // batch, and no trigger of this batch is stored twice.
        var locked = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT LOCK_NAME FROM QRTZ_LOCKS WHERE SCHED_NAME = @scheduler AND LOCK_NAME = 'TRIGGER_ACCESS' FOR UPDATE",
            new { scheduler }, transaction, cancellationToken: cancellationToken));
        if (locked is null) return written;
        var ready = await connection.ExecuteScalarAsync<int>(new CommandDefinition($"""
            SELECT CASE WHEN EXISTS (SELECT 1 FROM QRTZ_JOB_DETAILS WHERE SCHED_NAME = @scheduler AND JOB_NAME = @job AND JOB_GROUP = @jobGroup)
                AND NOT EXISTS (SELECT 1 FROM QRTZ_PAUSED_TRIGGER_GRPS WHERE SCHED_NAME = @scheduler AND TRIGGER_GROUP IN (@group, '{AllGroupsPaused}'))
                AND NOT EXISTS (SELECT 1 FROM QRTZ_PAUSED_JOB_GRPS WHERE SCHED_NAME = @scheduler AND JOB_GROUP IN (@jobGroup, '{AllGroupsPaused}'))
                THEN 1 ELSE 0 END
            """, new { scheduler, job = NudgeJob.Key.Name, jobGroup = NudgeJob.Key.Group, group = QuartzNudgeScheduler.Group },
            transaction, cancellationToken: cancellationToken));
        if (ready != 1) return written;

        var fresh = nudges.DistinctBy(n => n.Id).ToDictionary(n => QuartzNudgeScheduler.TriggerKeyFor(n.Id).Name);
        foreach (var chunk in fresh.Keys.Chunk(1_000).ToList())
        {
            var existing = await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT TRIGGER_NAME FROM QRTZ_TRIGGERS WHERE SCHED_NAME = @scheduler AND TRIGGER_GROUP = @group AND TRIGGER_NAME = ANY(@names)",
                new { scheduler, group = QuartzNudgeScheduler.Group, names = chunk }, transaction, cancellationToken: cancellationToken));
            foreach (var name in existing) fresh.Remove(name);
        }

        // 200 rows of 2 parameters each per statement pair: far below PostgreSQL's limit of 65,535.
        foreach (var chunk in fresh.Chunk(200))
        {
            var parameters = new DynamicParameters(new
            {
                scheduler, group = QuartzNudgeScheduler.Group, job = NudgeJob.Key.Name, jobGroup = NudgeJob.Key.Group,
                misfire = SimpleTriggerMisfireInstruction.FireNow, priority = TriggerConstants.DefaultPriority, notAuto = false,
            });
            var triggers = new List<string>(chunk.Length);
            var simple = new List<string>(chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                parameters.Add($"n{i}", chunk[i].Key);
                parameters.Add($"t{i}", chunk[i].Value.DueAt.UtcTicks);
                // As Quartz stores a one-shot simple trigger: waiting, first fire at its start, never fired before.
                triggers.Add($"(@scheduler, @n{i}, @group, @job, @jobGroup, @t{i}, @priority, 'WAITING', 'SIMPLE', @t{i}, @misfire, @notAuto, 0)");
                simple.Add($"(@scheduler, @n{i}, @group, 0, 0, 0)");
            }
            await connection.ExecuteAsync(new CommandDefinition($"""
                INSERT INTO QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP, JOB_NAME, JOB_GROUP, NEXT_FIRE_TIME, PRIORITY,
                    TRIGGER_STATE, TRIGGER_TYPE, START_TIME, MISFIRE_INSTR, PREFERRED_NODE_AUTO, RETRY_ATTEMPT)
                VALUES {string.Join(", ", triggers)};
                INSERT INTO QRTZ_SIMPLE_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP, REPEAT_COUNT, REPEAT_INTERVAL, TIMES_TRIGGERED)
                VALUES {string.Join(", ", simple)};
                """, parameters, transaction, cancellationToken: cancellationToken));
            foreach (var (_, nudge) in chunk) written.Add(nudge.Id);
        }
        await transaction.CommitAsync(cancellationToken);
        return written;
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
