using System.Diagnostics;
using System.Globalization;
using Dapper;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Playbooks;
using FollowUpBot.Core.Time;
using FollowUpBot.Scheduling;
using FollowUpBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Bench;

/// <summary>
/// Issue 6: slash-command handling time, event in to actions out, for <c>/interview done</c> with every option
/// through the real engine on the bot's composition (Core + storage + Quartz persistent store in a generic host,
/// pooled connections as shipped), on SQLite and, when FOLLOWUPBOT_BENCH_POSTGRES is set, PostgreSQL. The answer does
/// not wait for the Quartz triggers (the <see cref="NudgeTriggerWriter"/> writes them just after), so the time until
/// they are written is reported beside it. Afterwards it checks that every pending nudge got exactly one trigger.
/// FOLLOWUPBOT_BENCH_COMMANDS sets the count (200 by default).
/// </summary>
public sealed class CommandLatencyBenchmark : IBenchmark
{
    private const int Warmup = 10;

    public string Name => "command-latency";

    public string Description => "/interview done with all options through engine + store + Quartz, SQLite and PostgreSQL: median, p99 (event in, actions out), and until its triggers are written";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(CancellationToken cancellationToken)
    {
        var count = BenchSizes.Commands(200);
        return await BenchDatabase.OnEachAsync(database => RunOnAsync(database, count, cancellationToken));
    }

    private static async Task<IEnumerable<BenchRow>> RunOnAsync(BenchDatabase database, int count, CancellationToken cancellationToken)
    {
        var samples = new List<double>();
        var triggerLag = new List<double>();
        // Friday afternoon: the debrief is due at once and fires during the run, as it would in production.
        var clock = new SimulatedClock(new DateTimeOffset(2026, 12, 4, 14, 0, 0, TimeSpan.Zero));
        using (var host = await BenchHost.StartAsync(database, clock, new RecordingChatPlatform("bench"), cancellationToken))
        {
            var engine = host.Services.GetRequiredService<IConversationEngine>();
            var triggerWriter = host.Services.GetRequiredService<NudgeTriggerWriter>();
            var watch = new Stopwatch();
            for (var i = 0; i < Warmup + count; i++)
            {
                var from = new MemberContext(new MemberKey("bench", "w1", $"U{i % 20}"), "Europe/Berlin", $"Member {i % 20}");
                var line = $"/interview done company:\"Acme {i}\" role:Engineer interviewers:\"Ana Ruiz, Ben Ode\" format:onsite " +
                           "decision-date:2026-12-11 follow-up-invited:no references:\"Kim Lee\"";
                watch.Restart();
                if (!CommandText.TryParse(line, from, out var command, out var error)) throw new InvalidOperationException(error);
                var actions = await engine.HandleAsync(command!, cancellationToken);
                watch.Stop();
                var answeredAt = Stopwatch.GetTimestamp();
                if (actions.Count == 0) throw new InvalidOperationException("The command produced no answer.");
                await triggerWriter.FlushAsync(cancellationToken);
                if (i >= Warmup)
                {
                    samples.Add(watch.Elapsed.TotalMilliseconds);
                    triggerLag.Add(Stopwatch.GetElapsedTime(answeredAt).TotalMilliseconds + watch.Elapsed.TotalMilliseconds);
                }
            }
            // Whatever the scheduler defers must land before the check; a clean stop waits for it.
            await host.StopAsync(cancellationToken);
        }
        samples.Sort();
        triggerLag.Sort();
        var (withoutTrigger, doubled, triggers) = CheckTriggers(database);
        var p99 = Percentiles.Of(samples, 99);
        var label = database.Label;
        return
        [
            new BenchRow($"{label}: commands", count.ToString(CultureInfo.InvariantCulture)),
            new BenchRow($"{label}: /interview done, median (ms)", Percentiles.Of(samples, 50).ToString("F1", CultureInfo.InvariantCulture)),
            new BenchRow($"{label}: /interview done, p90 (ms)", Percentiles.Of(samples, 90).ToString("F1", CultureInfo.InvariantCulture)),
            new BenchRow($"{label}: /interview done, p99 (ms)", p99.ToString("F1", CultureInfo.InvariantCulture), "< 50", p99 < 50),
            new BenchRow($"{label}: /interview done, max (ms)", samples[^1].ToString("F1", CultureInfo.InvariantCulture)),
            new BenchRow($"{label}: command in -> its triggers written, median / p99 (ms)",
                $"{Percentiles.Of(triggerLag, 50).ToString("F1", CultureInfo.InvariantCulture)} / {Percentiles.Of(triggerLag, 99).ToString("F1", CultureInfo.InvariantCulture)}"),
            new BenchRow($"{label}: nudge triggers left (one per pending nudge)", triggers.ToString(CultureInfo.InvariantCulture)),
            new BenchRow($"{label}: pending nudges without a trigger", withoutTrigger.ToString(CultureInfo.InvariantCulture), "0", withoutTrigger == 0),
            new BenchRow($"{label}: triggers without a pending nudge", doubled.ToString(CultureInfo.InvariantCulture), "0", doubled == 0),
        ];
    }

    /// <summary>Pending nudges with no trigger, and nudge triggers whose nudge is not pending (the table's key forbids two per nudge).</summary>
    private static (int WithoutTrigger, int Stray, int Triggers) CheckTriggers(BenchDatabase database)
    {
        using var connection = database.OpenRaw();
        var withoutTrigger = connection.ExecuteScalar<int>(
            "SELECT COUNT(*) FROM nudges n WHERE n.state IN ('pending', 'snoozed') AND NOT EXISTS " +
            "(SELECT 1 FROM QRTZ_TRIGGERS t WHERE t.TRIGGER_GROUP = 'nudges' AND t.TRIGGER_NAME = 'nudge-' || n.id)");
        var stray = connection.ExecuteScalar<int>(
            "SELECT COUNT(*) FROM QRTZ_TRIGGERS t WHERE t.TRIGGER_GROUP = 'nudges' AND NOT EXISTS " +
            "(SELECT 1 FROM nudges n WHERE n.state IN ('pending', 'snoozed') AND t.TRIGGER_NAME = 'nudge-' || n.id)");
        var triggers = connection.ExecuteScalar<int>("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_GROUP = 'nudges'");
        return (withoutTrigger, stray, triggers);
    }
}
