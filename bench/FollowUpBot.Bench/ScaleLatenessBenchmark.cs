using System.Collections.Concurrent;
using System.Globalization;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Scheduling;
using FollowUpBot.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FollowUpBot.Bench;

/// <summary>
/// Issue 6, measurement 2: firing lateness (the moment the platform receives the DM minus the nudge's due time) on
/// the real host and the real clock. Nudges are stored through the repositories and scheduled with
/// <see cref="INudgeScheduler"/> before they fall due, independent of the engine; a recording platform notes when
/// each DM arrives. Two loads: 1,000 nudges spread evenly over one minute, and 1,000 due at the same instant.
/// FOLLOWUPBOT_BENCH_NUDGES sets the count (1,000 by default). SQLite, and PostgreSQL (clustered Quartz store) when
/// FOLLOWUPBOT_BENCH_POSTGRES is set.
/// </summary>
public sealed class ScaleLatenessBenchmark : IBenchmark
{
    /// <summary>Time to store and schedule the nudges before the first falls due.</summary>
    private static readonly TimeSpan Lead = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Spread = TimeSpan.FromMinutes(1);

    /// <summary>How long after the last due time the run waits for stragglers before it calls them lost.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    public string Name => "scale-lateness";

    /// <summary>FOLLOWUPBOT_BENCH_LATENESS=spread or instant runs that case alone.</summary>
    private static string? Case => Environment.GetEnvironmentVariable("FOLLOWUPBOT_BENCH_LATENESS")?.Trim().ToLowerInvariant() is { Length: > 0 } c ? c : null;

    /// <summary>Scheduling settings to try without a rebuild (FOLLOWUPBOT_BENCH_SCHEDULING="ThreadCount=32;MaxBatchSize=32").</summary>
    private static Dictionary<string, string?>? Settings() =>
        Environment.GetEnvironmentVariable("FOLLOWUPBOT_BENCH_SCHEDULING") is { Length: > 0 } text
            ? text.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
                .ToDictionary(p => $"Scheduling:{p[0].Trim()}", p => (string?)p[1].Trim())
            : null;

    public string Description => "firing lateness (DM received minus due), 1,000 nudges spread over a minute and 1,000 at one instant: median, p99, max";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(CancellationToken cancellationToken)
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("FOLLOWUPBOT_BENCH_NUDGES"), out var n) ? n : 1_000;
        return await BenchDatabase.OnEachAsync(database => RunOnAsync(database, count, cancellationToken));
    }

    private static async Task<IEnumerable<BenchRow>> RunOnAsync(BenchDatabase database, int count, CancellationToken cancellationToken)
    {
        var received = new ConcurrentDictionary<string, DateTimeOffset>();
        var duplicates = 0;
        var platform = new RecordingChatPlatform("bench")
        {
            Respond = request =>
            {
                if (!received.TryAdd(request.DeliveryKey, TimeProvider.System.GetUtcNow())) Interlocked.Increment(ref duplicates);
                return DeliveryResult.Delivered;
            },
        };
        var rows = new List<BenchRow>();
        var trace = DeliveryTrace.On ? new DeliveryTrace() : null;
        using (var host = await BenchHost.StartAsync(database, TimeProvider.System, platform, cancellationToken, Settings(),
                   services: trace is null ? null : trace.Register))
        {
            if (trace is not null) await trace.AttachAsync(host.Services, cancellationToken);
            var data = new BenchInterviews(host.Services.GetRequiredService<IMemberRepository>(),
                host.Services.GetRequiredService<IInterviewRepository>());
            // The bot's scheduler, used here to know when the triggers it queued are written.
            var scheduler = host.Services.GetRequiredService<NudgeTriggerWriter>();
            // No quiet hours (start = end), so no nudge is deferred to the morning whatever the hour of the run.
            var memberIds = await data.AddMembersAsync(100, new QuietHours(TimeOnly.MinValue, TimeOnly.MinValue),
                TimeProvider.System.GetUtcNow(), cancellationToken);

            if (Case is null or "spread")
                rows.AddRange(await MeasureAsync($"{database.Label}, spread over 1 min", count, i => Spread * i / count, data, scheduler, memberIds,
                    received, trace, cancellationToken));
            if (Case is null or "instant")
                rows.AddRange(await MeasureAsync($"{database.Label}, same instant", count, _ => TimeSpan.Zero, data, scheduler, memberIds,
                    received, trace, cancellationToken));
            await host.StopAsync(cancellationToken);
        }
        rows.Add(new BenchRow($"{database.Label}: DMs received twice", duplicates.ToString(CultureInfo.InvariantCulture), "0", duplicates == 0));
        return rows;
    }

    private static async Task<IEnumerable<BenchRow>> MeasureAsync(string label, int count, Func<int, TimeSpan> offset, BenchInterviews data,
        NudgeTriggerWriter scheduler, IReadOnlyList<long> memberIds, ConcurrentDictionary<string, DateTimeOffset> received,
        DeliveryTrace? trace, CancellationToken cancellationToken)
    {
        var firstDue = TimeProvider.System.GetUtcNow() + Lead;
        var due = new Dictionary<string, DateTimeOffset>(count);
        var nudges = new List<Nudge>(count);
        // One interview per nudge: the debrief has no quiet hours and a generous maximum lateness.
        for (var i = 0; i < count; i++)
        {
            var stored = await data.AddWithNudgesAsync(memberIds[i % memberIds.Count], i, firstDue.AddHours(-1),
                [(NudgeKind.Debrief, firstDue + offset(i))], cancellationToken);
            nudges.AddRange(stored);
        }
        await scheduler.ScheduleAsync(nudges, cancellationToken);
        await scheduler.FlushAsync(cancellationToken);
        var scheduledAhead = firstDue - TimeProvider.System.GetUtcNow();
        foreach (var nudge in nudges) due[nudge.DeliveryKey] = nudge.DueAt;
        trace?.Reset();

        var lastDue = nudges.Max(x => x.DueAt);
        while (due.Keys.Any(k => !received.ContainsKey(k)) && TimeProvider.System.GetUtcNow() < lastDue + Patience)
            await Task.Delay(100, cancellationToken);

        trace?.Print(label, nudges.Where(x => received.ContainsKey(x.DeliveryKey))
            .ToDictionary(x => x.Id, x => (x.DueAt, received[x.DeliveryKey])));
        var lateness = due.Where(d => received.ContainsKey(d.Key)).Select(d => (received[d.Key] - d.Value).TotalMilliseconds).Order().ToList();
        var missing = count - lateness.Count;
        var p99 = Percentiles.Of(lateness, 99);
        // Issue 13's targets: spread over a minute p99 <= 100 ms; all at one instant p99 <= 1 s.
        var target = label.Contains("spread", StringComparison.Ordinal) ? 100 : 1000;
        return
        [
            new BenchRow($"{label}: nudges delivered", $"{lateness.Count:N0} of {count:N0} (stored and scheduled {scheduledAhead.TotalSeconds:F1} s before the first fell due)",
                count.ToString("N0", CultureInfo.InvariantCulture), missing == 0),
            new BenchRow($"{label}: lateness median (ms)", Percentiles.Of(lateness, 50).ToString("F0", CultureInfo.InvariantCulture)),
            new BenchRow($"{label}: lateness p99 (ms)", p99.ToString("F0", CultureInfo.InvariantCulture),
                $"<= {target}", p99 <= target),
            new BenchRow($"{label}: lateness max (ms)", lateness.Count == 0 ? "-" : lateness[^1].ToString("F0", CultureInfo.InvariantCulture)),
            new BenchRow($"{label}: min (ms; negative = early)", lateness.Count == 0 ? "-" : lateness[0].ToString("F0", CultureInfo.InvariantCulture)),
        ];
    }
}
