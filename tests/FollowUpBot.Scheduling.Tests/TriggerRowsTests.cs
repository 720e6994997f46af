using System.Data.Common;
using Dapper;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Storage;
using FollowUpBot.Testing;
using Npgsql;
using Quartz;

namespace FollowUpBot.Scheduling.Tests;

/// <summary>
/// On PostgreSQL new nudge triggers but a batch's earliest are written as rows in one statement pair (QuartzTables),
/// the rest through Quartz's API: the rows must be exactly Quartz's, fire like Quartz's, and give way wherever Quartz's
/// own rules apply (a trigger already there, a paused group, Quartz's trigger lock held). On SQLite every trigger goes
/// through the API, with the same outcome.
/// </summary>
public sealed class TriggerRowsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A running bot on either database, with a raw connection to its tables.</summary>
    private sealed class Subject : IAsyncDisposable
    {
        private readonly TestBot? _sqlite;
        private readonly TempPostgresSchema? _schema;
        private readonly ClusterNode? _node;

        private Subject(TestBot sqlite) => _sqlite = sqlite;

        private Subject(TempPostgresSchema schema, ClusterNode node) => (_schema, _node) = (schema, node);

        public static async Task<Subject> StartAsync(string provider)
        {
            if (provider == "Sqlite")
            {
                var bot = new TestBot(T0, new Dictionary<string, string?> { ["Scheduling:Horizon"] = "30.00:00:00" });
                await bot.StartAsync();
                return new Subject(bot);
            }
            var schema = TempPostgresSchema.Create(pooling: true);
            var node = await ClusterNode.StartAsync("node-a", schema, new ClusterDeliveryLog());
            return new Subject(schema, node);
        }

        public T Get<T>() where T : notnull => _sqlite is not null ? _sqlite.Get<T>() : _node!.Get<T>();

        public DbConnection OpenRaw()
        {
            if (_sqlite is not null) return _sqlite.OpenRaw();
            var connection = new NpgsqlConnection(_schema!.ConnectionString);
            connection.Open();
            return connection;
        }

        /// <summary>Quartz's two rows of each nudge trigger, every column, keyed by trigger name.</summary>
        public Dictionary<string, (Dictionary<string, object?> Trigger, Dictionary<string, object?> Simple)> NudgeTriggerRows()
        {
            using var connection = OpenRaw();
            var simple = connection.Query("SELECT * FROM QRTZ_SIMPLE_TRIGGERS WHERE TRIGGER_GROUP = 'nudges'")
                .Select(Columns).ToDictionary(r => (string)r["TRIGGER_NAME"]!);
            return connection.Query("SELECT * FROM QRTZ_TRIGGERS WHERE TRIGGER_GROUP = 'nudges'")
                .Select(Columns).ToDictionary(r => (string)r["TRIGGER_NAME"]!, r => (r, simple[(string)r["TRIGGER_NAME"]!]));

            static Dictionary<string, object?> Columns(dynamic row) =>
                ((IDictionary<string, object?>)row).ToDictionary(c => c.Key.ToUpperInvariant(), c => c.Value is DBNull ? null : c.Value);
        }

        public async ValueTask DisposeAsync()
        {
            if (_sqlite is not null) await _sqlite.DisposeAsync();
            if (_node is not null) await _node.DisposeAsync();
            _schema?.Dispose();
        }
    }

    [PostgresFact]
    public async Task TriggersWrittenAsRowsAreTheRowsQuartzWritesForTheSameNudges()
    {
        await using var bot = await Subject.StartAsync("Postgres");
        var scheduler = bot.Get<QuartzNudgeScheduler>();
        var tables = bot.Get<QuartzTables>();
        // One batch of one goes through Quartz's API alone; the next straight into the tables.
        await scheduler.ScheduleAsync([new ScheduledNudgeRow(1, T0.AddHours(2))], None);
        var written = await tables.InsertNewNudgeTriggersAsync(
            [new ScheduledNudgeRow(2, T0.AddHours(3)), new ScheduledNudgeRow(3, T0.AddDays(1).AddTicks(1234567))], None);

        Assert.Equal([2L, 3L], written.Order());
        var rows = bot.NudgeTriggerRows();
        Assert.Equal(["nudge-1", "nudge-2", "nudge-3"], rows.Keys.Order());
        var byQuartz = rows["nudge-1"];
        foreach (var (name, due) in new[] { ("nudge-2", T0.AddHours(3)), ("nudge-3", T0.AddDays(1).AddTicks(1234567)) })
        {
            var (trigger, simple) = rows[name];
            Assert.Equal(due.UtcTicks, Convert.ToInt64(trigger["START_TIME"]));
            Assert.Equal(due.UtcTicks, Convert.ToInt64(trigger["NEXT_FIRE_TIME"]));
            // Every other column, of both tables, holds what Quartz wrote for its own trigger: value and type.
            foreach (var column in byQuartz.Trigger.Keys.Except(["TRIGGER_NAME", "START_TIME", "NEXT_FIRE_TIME"]))
                Assert.True(Equals(byQuartz.Trigger[column], trigger[column]),
                    $"{name}.{column}: Quartz wrote {Show(byQuartz.Trigger[column])}, the rows hold {Show(trigger[column])}");
            foreach (var column in byQuartz.Simple.Keys.Except(["TRIGGER_NAME"]))
                Assert.True(Equals(byQuartz.Simple[column], simple[column]),
                    $"{name} simple.{column}: Quartz wrote {Show(byQuartz.Simple[column])}, the rows hold {Show(simple[column])}");
        }

        // And Quartz reads them back as its own: a one-shot at the due time, for the nudge job, waiting.
        var quartz = await bot.Get<ISchedulerFactory>().GetScheduler();
        var read = Assert.IsAssignableFrom<ISimpleTrigger>(await quartz.GetTrigger(QuartzNudgeScheduler.TriggerKeyFor(3)));
        Assert.Equal((NudgeJob.Key, T0.AddDays(1).AddTicks(1234567), 0, SimpleTriggerMisfireInstruction.FireNow),
            (read.JobKey, read.StartTimeUtc, read.RepeatCount, read.MisfireInstruction));
        Assert.Equal(TriggerState.Normal, await quartz.GetTriggerState(read.Key));

        static string Show(object? value) => value is null ? "NULL" : $"{value} ({value.GetType().Name})";
    }

    [PostgresFact]
    public async Task ANudgeThatAlreadyHoldsATriggerIsLeftToQuartz()
    {
        await using var bot = await Subject.StartAsync("Postgres");
        await bot.Get<QuartzNudgeScheduler>().ScheduleAsync([new ScheduledNudgeRow(7, T0.AddHours(2))], None);

        var written = await bot.Get<QuartzTables>().InsertNewNudgeTriggersAsync(
            [new ScheduledNudgeRow(7, T0.AddHours(9)), new ScheduledNudgeRow(8, T0.AddHours(4))], None);

        Assert.Equal([8L], written);
        var rows = bot.NudgeTriggerRows();
        Assert.Equal(T0.AddHours(2).UtcTicks, Convert.ToInt64(rows["nudge-7"].Trigger["START_TIME"]));
        Assert.Equal(T0.AddHours(4).UtcTicks, Convert.ToInt64(rows["nudge-8"].Trigger["START_TIME"]));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ReplanningThroughTheSchedulerMovesTheOldTriggerAndAddsTheNewOnes(string provider)
    {
        await using var bot = await Subject.StartAsync(provider);
        var scheduler = bot.Get<QuartzNudgeScheduler>();
        await scheduler.ScheduleAsync([new ScheduledNudgeRow(7, T0.AddHours(2))], None);

        // Nudge 7 re-planned (a replacement: through the API), 8 new (rows), 9 new and the earliest (through the API).
        await scheduler.ScheduleAsync([new ScheduledNudgeRow(7, T0.AddHours(5)), new ScheduledNudgeRow(8, T0.AddHours(3)),
            new ScheduledNudgeRow(9, T0.AddHours(1))], None);

        var starts = bot.NudgeTriggerRows().ToDictionary(r => r.Key, r => Convert.ToInt64(r.Value.Trigger["START_TIME"]));
        Assert.Equal(new Dictionary<string, long>
        {
            ["nudge-7"] = T0.AddHours(5).UtcTicks, ["nudge-8"] = T0.AddHours(3).UtcTicks, ["nudge-9"] = T0.AddHours(1).UtcTicks,
        }, starts);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task WhileNudgeTriggersArePausedNoneIsWrittenAsRowsAndQuartzStoresThemPaused(string provider)
    {
        await using var bot = await Subject.StartAsync(provider);
        var quartz = await bot.Get<ISchedulerFactory>().GetScheduler();
        await quartz.PauseTriggerGroups(GroupMatcher<TriggerKey>.GroupEquals(QuartzNudgeScheduler.Group));

        Assert.Empty(await bot.Get<QuartzTables>().InsertNewNudgeTriggersAsync([new ScheduledNudgeRow(1, T0.AddHours(2))], None));
        await bot.Get<QuartzNudgeScheduler>().ScheduleAsync(
            [new ScheduledNudgeRow(1, T0.AddHours(2)), new ScheduledNudgeRow(2, T0.AddHours(3)), new ScheduledNudgeRow(3, T0.AddHours(4))], None);

        var states = bot.NudgeTriggerRows().Values.Select(r => (string)r.Trigger["TRIGGER_STATE"]!).ToList();
        Assert.Equal(["PAUSED", "PAUSED", "PAUSED"], states);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task WhileTheNudgeJobIsPausedNoneIsWrittenAsRowsAndQuartzStoresThemPaused(string provider)
    {
        await using var bot = await Subject.StartAsync(provider);
        var quartz = await bot.Get<ISchedulerFactory>().GetScheduler();
        await quartz.PauseJobGroups(GroupMatcher<JobKey>.GroupEquals(NudgeJob.Key.Group));

        Assert.Empty(await bot.Get<QuartzTables>().InsertNewNudgeTriggersAsync([new ScheduledNudgeRow(1, T0.AddHours(2))], None));
        await bot.Get<QuartzNudgeScheduler>().ScheduleAsync([new ScheduledNudgeRow(1, T0.AddHours(2)), new ScheduledNudgeRow(2, T0.AddHours(3))], None);

        var states = bot.NudgeTriggerRows().Values.Select(r => (string)r.Trigger["TRIGGER_STATE"]!).ToList();
        Assert.Equal(["PAUSED", "PAUSED"], states);
    }

    [PostgresFact]
    public async Task RowsAreWrittenOnlyOnceQuartzsTriggerLockIsFree()
    {
        await using var bot = await Subject.StartAsync("Postgres");
        // Quartz makes its lock row on first use: one trigger through the API.
        await bot.Get<QuartzNudgeScheduler>().ScheduleAsync([new ScheduledNudgeRow(1, T0.AddHours(2))], None);
        await using var holder = (NpgsqlConnection)bot.OpenRaw();
        await using var held = await holder.BeginTransactionAsync();
        await holder.ExecuteAsync("SELECT * FROM QRTZ_LOCKS WHERE LOCK_NAME = 'TRIGGER_ACCESS' FOR UPDATE", transaction: held);

        var writing = bot.Get<QuartzTables>().InsertNewNudgeTriggersAsync([new ScheduledNudgeRow(2, T0.AddHours(3))], None);

        // The server's own word that the writer waits on the lock row, rather than a pause.
        await using var observer = (NpgsqlConnection)bot.OpenRaw();
        await TestBot.EventuallyAsync(() => observer.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()") > 0,
            "the writer waits for Quartz's trigger lock");
        Assert.False(writing.IsCompleted);
        Assert.DoesNotContain("nudge-2", bot.NudgeTriggerRows().Keys);

        await held.CommitAsync();
        Assert.Equal([2L], await writing);
        Assert.Contains("nudge-2", bot.NudgeTriggerRows().Keys);
    }

    [Fact]
    public async Task OnSqliteEveryTriggerGoesThroughQuartzAndNoneAsRows()
    {
        await using var bot = await Subject.StartAsync("Sqlite");

        Assert.Empty(await bot.Get<QuartzTables>().InsertNewNudgeTriggersAsync(
            [new ScheduledNudgeRow(1, T0.AddHours(2)), new ScheduledNudgeRow(2, T0.AddHours(3))], None));
        Assert.Empty(bot.NudgeTriggerRows());
        await bot.Get<QuartzNudgeScheduler>().ScheduleAsync(
            [new ScheduledNudgeRow(1, T0.AddHours(2)), new ScheduledNudgeRow(2, T0.AddHours(3)), new ScheduledNudgeRow(3, T0.AddHours(4))], None);

        Assert.Equal(["nudge-1", "nudge-2", "nudge-3"], bot.NudgeTriggerRows().Keys.Order());
    }

    [PostgresFact]
    public async Task EveryNudgeOfInterviewsScheduledTogetherFiresOnceNotBeforeItsTime()
    {
        using var schema = TempPostgresSchema.Create(pooling: true);
        var log = new ClusterDeliveryLog();
        await using var node = await ClusterNode.StartAsync("node-a", schema, log);
        var now = DateTimeOffset.UtcNow;
        var member = await node.Get<IMemberRepository>().SaveAsync(new Member(0, new MemberKey(TestBot.PlatformName, "w1", "u1"), "UTC",
            new QuietHours(TimeOnly.MinValue, TimeOnly.MinValue), true, now, now), None);
        // The second interview's earliest nudge falls before every trigger already written, its others between them:
        // the firing thread, woken for the earliest, must find the rows written with it.
        var first = await AddInterviewAsync(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6));
        var second = await AddInterviewAsync(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3.5), TimeSpan.FromSeconds(5));

        var all = first.Concat(second).ToList();
        // Recorded, not only sent: a send reaches the platform before its delivery is written.
        await TestBot.EventuallyAsync(() => Recorded(schema) >= all.Count, "every nudge is recorded as delivered", 30);
        var repository = node.Get<INudgeRepository>();
        foreach (var nudge in all)
        {
            var stored = await repository.GetAsync(nudge.Id, None);
            Assert.Equal((NudgeState.Sent, 1), (stored!.State, stored.Deliveries));
            Assert.True(stored.SentAt >= nudge.DueAt, $"nudge {nudge.Id} due at {nudge.DueAt:O} was sent at {stored.SentAt:O}");
        }
        Assert.Equal(all.Select(n => $"n{n.Id}d1").Order(), log.Sends.Select(s => s.DeliveryKey).Order());

        static long Recorded(TempPostgresSchema schema)
        {
            using var connection = new NpgsqlConnection(schema.ConnectionString);
            return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM deliveries");
        }

        async Task<IReadOnlyList<Nudge>> AddInterviewAsync(params TimeSpan[] after)
        {
            var interview = new Interview(0, member.Id, 0, "Acme", null, ["Ana Ruiz"], InterviewFormat.Video, now, null, false, [], null, now);
            var (_, stored) = await node.Get<IInterviewRepository>().AddAsync(interview,
                after.Select(a => new Nudge(0, 0, 0, NudgeKind.Debrief, now + a, null, 0, NudgeState.Pending)).ToList(), None);
            await node.Get<INudgeScheduler>().ScheduleAsync(stored, None);
            await node.Get<NudgeTriggerWriter>().FlushAsync(None);
            return stored;
        }
    }
}
