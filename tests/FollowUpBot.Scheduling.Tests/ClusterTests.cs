using Dapper;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Testing;
using Npgsql;

namespace FollowUpBot.Scheduling.Tests;

/// <summary>
/// Three instances sharing one PostgreSQL database and one clustered Quartz schedule, in real time: 1,000 nudges
/// falling due within half a minute are each delivered exactly once, whatever happens to the instances meanwhile.
/// </summary>
public sealed class ClusterTests
{
    private const int Nudges = 1_000;
    private static readonly CancellationToken None = CancellationToken.None;

    [PostgresFact]
    public async Task EveryNudgeIsDeliveredOnceWhenAnInstanceDiesMidRun()
    {
        using var schema = TempPostgresSchema.Create(pooling: true);
        var log = new ClusterDeliveryLog();
        var nodes = new List<ClusterNode>();
        try
        {
            foreach (var name in new[] { "node-a", "node-b", "node-c" }) nodes.Add(await ClusterNode.StartAsync(name, schema, log));
            var ids = await AddNudgesAsync(nodes, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));

            await EventuallyAsync(() => log.Count >= Nudges / 3, "a third of the nudges went out");
            await nodes[1].KillAsync();

            await EventuallyAsync(() => DeliveredCount(schema) == Nudges, "every nudge is recorded as delivered", 50);
            AssertEachDeliveredOnce(schema, log, ids);
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task EveryNudgeIsDeliveredOnceWhenTheWholeClusterRestartsMidRun()
    {
        using var schema = TempPostgresSchema.Create(pooling: true);
        var log = new ClusterDeliveryLog();
        var nodes = new List<ClusterNode>();
        try
        {
            foreach (var name in new[] { "node-a", "node-b", "node-c" }) nodes.Add(await ClusterNode.StartAsync(name, schema, log));
            var ids = await AddNudgesAsync(nodes, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));

            await EventuallyAsync(() => log.Count >= Nudges / 3, "a third of the nudges went out");
            foreach (var node in nodes) await node.DisposeAsync();
            nodes.Clear();
            Assert.True(DeliveredCount(schema) < Nudges, "the cluster went down before the run was over");
            foreach (var name in new[] { "node-d", "node-e", "node-f" }) nodes.Add(await ClusterNode.StartAsync(name, schema, log));

            await EventuallyAsync(() => DeliveredCount(schema) == Nudges, "every nudge is recorded as delivered", 50);
            AssertEachDeliveredOnce(schema, log, ids);
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task FarNudgesEnterTheWindowAndAreDeliveredOnceWhenAnInstanceDies()
    {
        using var schema = TempPostgresSchema.Create(pooling: true);
        var log = new ClusterDeliveryLog();
        var nodes = new List<ClusterNode>();
        // A one-minute horizon moved every 5 s: nudges due 80-95 s out start as rows only.
        var window = new Dictionary<string, string?> { ["Scheduling:Horizon"] = "00:01:00", ["Scheduling:HorizonInterval"] = "00:00:05" };
        const int count = 300;
        try
        {
            foreach (var name in new[] { "node-a", "node-b", "node-c" }) nodes.Add(await ClusterNode.StartAsync(name, schema, log, window));
            var adding = System.Diagnostics.Stopwatch.StartNew();
            var ids = await AddNudgesAsync(nodes, TimeSpan.FromSeconds(80), TimeSpan.FromSeconds(95), count);
            // Unless storing them took long enough for the window to reach them (a loaded machine), none has a trigger yet.
            if (adding.Elapsed < TimeSpan.FromSeconds(15)) Assert.Equal(0, TriggerCount(schema));

            // Whichever instance would run the horizon job next dies; the survivors move the window on.
            await Task.Delay(TimeSpan.FromSeconds(3));
            await nodes[0].KillAsync();
            await EventuallyAsync(() => TriggerCount(schema) + DeliveredCount(schema) >= count, "every nudge entered the window", 60);

            await EventuallyAsync(() => DeliveredCount(schema) == count, "every nudge is recorded as delivered", 90);
            AssertEachDeliveredOnce(schema, log, ids);
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    /// <summary>
    /// 1,000 debrief nudges (no quiet hours) for ten members, due evenly between <paramref name="from"/> and
    /// <paramref name="to"/> from now, stored and then scheduled through the running instances as the engine would
    /// (a third each, at once: on a cluster every trigger written takes the shared trigger lock).
    /// </summary>
    private static async Task<IReadOnlyList<long>> AddNudgesAsync(IReadOnlyList<ClusterNode> nodes, TimeSpan from, TimeSpan to,
        int count = Nudges)
    {
        var node = nodes[0];
        var now = DateTimeOffset.UtcNow;
        var members = node.Get<IMemberRepository>();
        var interviews = node.Get<IInterviewRepository>();
        var all = new List<Nudge>(count);
        const int perInterview = 10;
        for (var i = 0; i < count / perInterview; i++)
        {
            var member = await members.SaveAsync(new Member(0, new MemberKey(TestBot.PlatformName, "w1", $"u{i % 10}"), "UTC",
                new QuietHours(TimeOnly.MinValue, TimeOnly.MinValue), true, now, now), None);
            var interview = new Interview(0, member.Id, 0, "Acme", null, ["Ana Ruiz"], InterviewFormat.Video, now, null, false, [], null, now);
            var nudges = Enumerable.Range(0, perInterview).Select(j =>
            {
                var n = i * perInterview + j;
                return new Nudge(0, 0, 0, NudgeKind.Debrief, now + from + (to - from) * n / count, null, 0, NudgeState.Pending);
            }).ToList();
            var (_, stored) = await interviews.AddAsync(interview, nudges, None);
            all.AddRange(stored);
        }
        await Task.WhenAll(nodes.Select((n, i) => Task.Run(async () =>
        {
            await n.Get<INudgeScheduler>().ScheduleAsync(all.Where((_, j) => j % nodes.Count == i).ToList(), None);
            // The engine does not wait for the trigger writes; a test that kills an instance does, so as to kill it
            // with a known schedule.
            await n.Get<NudgeTriggerWriter>().FlushAsync(None);
        })));
        return all.Select(n => n.Id).ToList();
    }

    private static void AssertEachDeliveredOnce(TempPostgresSchema schema, ClusterDeliveryLog log, IReadOnlyList<long> ids)
    {
        using var connection = new NpgsqlConnection(schema.ConnectionString);
        var recorded = connection.Query<long>("SELECT nudge_id FROM deliveries ORDER BY nudge_id").ToList();
        Assert.Equal(ids.Order(), recorded);
        Assert.Equal(ids.Count, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM nudges WHERE state = 'sent' AND deliveries = 1"));

        // The members received each nudge once: one completed send per nudge, across all instances.
        var sent = log.Sends.Select(s => s.DeliveryKey).ToList();
        Assert.Equal(ids.Select(id => $"n{id}d1").Order(), sent.Order());
    }

    private static long TriggerCount(TempPostgresSchema schema)
    {
        using var connection = new NpgsqlConnection(schema.ConnectionString);
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM qrtz_triggers WHERE trigger_group = 'nudges'");
    }

    private static long DeliveredCount(TempPostgresSchema schema)
    {
        using var connection = new NpgsqlConnection(schema.ConnectionString);
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM deliveries");
    }

    private static Task EventuallyAsync(Func<bool> condition, string what, int timeoutSeconds = 30) =>
        TestBot.EventuallyAsync(condition, what, timeoutSeconds);
}
