using System.Diagnostics;
using System.Globalization;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Scheduling;
using FollowUpBot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FollowUpBot.Bench;

/// <summary>
/// Issue 6, measurements 1 and 5, on one data set per database: N members with one interview each, planned by the real
/// planner and playbook (about ten nudges each), stored and scheduled the way the engine does it (one transaction per
/// interview, then one Quartz call for its nudges). Reports the rate, the database size and the writing process's
/// peak RSS; then starts the bot on that data in a fresh child process, twice, and reports start-up time (host build
/// to StartAsync returned: migration check and the reconciler's pass over the nudges within the horizon and the triggers) and
/// the child's memory. FOLLOWUPBOT_BENCH_MEMBERS sets N (100,000 by default); FOLLOWUPBOT_BENCH_WRITERS the number of
/// concurrent writers (1 on SQLite, which has one writer anyway; 4 on PostgreSQL, which several instances share).
/// FOLLOWUPBOT_BENCH_PG_COPIES=K multiplies the PostgreSQL data K times in SQL before the starts (see
/// <see cref="PostgresDataCopies"/>), because writing a million triggers through Quartz's clustered store takes an hour here.
/// </summary>
public sealed class ScaleDataBenchmark : IBenchmark
{
    private const long RssTarget = 300L * 1024 * 1024;

    public string Name => "scale-data";

    public string Description => "N members x 1 interview (~10 nudges): plan+store+schedule rate, size, RSS; then start-up time and RSS on that data";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(CancellationToken cancellationToken)
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("FOLLOWUPBOT_BENCH_MEMBERS"), out var n) ? n : 100_000;
        return await BenchDatabase.OnEachAsync(database => RunOnAsync(database, count, cancellationToken));
    }

    private static async Task<IEnumerable<BenchRow>> RunOnAsync(BenchDatabase database, int count, CancellationToken cancellationToken)
    {
        var label = database.Label;
        var writers = int.TryParse(Environment.GetEnvironmentVariable("FOLLOWUPBOT_BENCH_WRITERS"), out var w) && w > 0 ? w : database.IsPostgres ? 4 : 1;
        var rows = new List<BenchRow>();
        var nudges = 0L;
        TimeSpan membersTime, interviewsTime;
        string split;
        long inHorizon;
        using (var host = await BenchHost.StartAsync(database, TimeProvider.System, new RecordingChatPlatform("bench"), cancellationToken))
        {
            var data = new BenchInterviews(host.Services.GetRequiredService<IMemberRepository>(),
                host.Services.GetRequiredService<IInterviewRepository>());
            var scheduler = host.Services.GetRequiredService<INudgeScheduler>();
            // Interviews end tomorrow, so nothing falls due while the data is written or the bot starts.
            var ended = TimeProvider.System.GetUtcNow().AddDays(1);
            var watch = Stopwatch.StartNew();
            var memberIds = await data.AddMembersAsync(count, QuietHours.Default, ended, cancellationToken);
            membersTime = watch.Elapsed;

            watch.Restart();
            var next = -1;
            long storing = 0, scheduling = 0;
            await Task.WhenAll(Enumerable.Range(0, writers).Select(async _ =>
            {
                for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
                {
                    var began = Stopwatch.GetTimestamp();
                    var stored = await data.AddPlannedAsync(memberIds[i], i, ended.AddMinutes(i % 5000), cancellationToken);
                    var storedAt = Stopwatch.GetTimestamp();
                    await scheduler.ScheduleAsync(stored, cancellationToken);
                    Interlocked.Add(ref storing, storedAt - began);
                    Interlocked.Add(ref scheduling, Stopwatch.GetTimestamp() - storedAt);
                    Interlocked.Add(ref nudges, stored.Count);
                    if ((i + 1) % 10_000 == 0)
                        await Console.Error.WriteLineAsync($"scale-data ({label}): {i + 1:N0} interviews in {watch.Elapsed.TotalSeconds:F0} s");
                }
            }));
            // The engine's scheduling only queues the triggers; the time counted includes writing the last of them.
            var queuedBy = watch.Elapsed;
            await host.Services.GetRequiredService<NudgeTriggerWriter>().FlushAsync(cancellationToken);
            interviewsTime = watch.Elapsed;
            split = $"per interview: {storing * 1000.0 / Stopwatch.Frequency / count:F1} ms storing, " +
                    $"{scheduling * 1000.0 / Stopwatch.Frequency / count:F2} ms queueing its triggers (summed over writers); " +
                    $"the trigger writer finished {(interviewsTime - queuedBy).TotalSeconds:F1} s after the last interview was stored";
            inHorizon = await host.Services.GetRequiredService<QuartzTables>().NudgeTriggerCountAsync(cancellationToken);
            await host.StopAsync(cancellationToken);
        }
        var bytes = await database.SizeAsync(cancellationToken);
        using (var process = Process.GetCurrentProcess())
        {
            rows.Add(new BenchRow($"{label}: members stored", $"{count:N0} in {membersTime.TotalSeconds:F1} s"));
            rows.Add(new BenchRow($"{label}: interviews planned, stored and scheduled ({writers} writer{(writers == 1 ? "" : "s")})",
                $"{count:N0} with {nudges:N0} nudges in {interviewsTime.TotalSeconds:F1} s; {inHorizon:N0} of them within the horizon hold a Quartz trigger"));
            rows.Add(new BenchRow($"{label}: interviews per second", (count / interviewsTime.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture)));
            rows.Add(new BenchRow($"{label}: where the time went", split));
            rows.Add(new BenchRow($"{label}: database size (bot tables and Quartz's)", $"{bytes / 1024.0 / 1024.0:F0} MB ({(double)bytes / count:F0} B per member)"));
            rows.Add(new BenchRow($"{label}: peak RSS of the writing process", $"{process.PeakWorkingSet64 / 1024.0 / 1024.0:F0} MB", "< 300 MB",
                process.PeakWorkingSet64 < RssTarget));
        }

        var present = count;
        if (database.IsPostgres && int.TryParse(Environment.GetEnvironmentVariable("FOLLOWUPBOT_BENCH_PG_COPIES"), out var copies) && copies > 1)
        {
            var copying = Stopwatch.StartNew();
            var (members, pending, triggers) = await PostgresDataCopies.MultiplyAsync(database.ConnectionString, copies, cancellationToken);
            present = (int)members;
            rows.Add(new BenchRow($"{label}: data multiplied in SQL for the starts (x{copies})",
                $"{members:N0} members, {pending:N0} pending nudges, {triggers:N0} nudge triggers ({copying.Elapsed.TotalSeconds:F0} s; " +
                $"{await database.SizeAsync(cancellationToken) / 1024.0 / 1024.0:F0} MB)"));
        }

        for (var start = 1; start <= 2; start++)
        {
            var measured = await StartInChildAsync(database, cancellationToken);
            rows.Add(new BenchRow($"{label}: start {start} with {present:N0} members' data: start-up", $"{measured.Seconds:F2} s"));
            rows.Add(new BenchRow($"{label}: start {start}: RSS after start / peak (managed heap)",
                $"{measured.Rss / 1024.0 / 1024.0:F0} / {measured.PeakRss / 1024.0 / 1024.0:F0} MB ({measured.Heap / 1024.0 / 1024.0:F0} MB)",
                "< 300 MB", measured.PeakRss < RssTarget));
        }
        return rows;
    }

    private sealed record StartMeasurement(double Seconds, long Rss, long PeakRss, long Heap);

    /// <summary>Runs <see cref="StartOnceAsync"/> in a new process, so its memory is the bot's alone.</summary>
    private static async Task<StartMeasurement> StartInChildAsync(BenchDatabase database, CancellationToken cancellationToken)
    {
        var executable = Environment.ProcessPath ?? throw new InvalidOperationException("No process path to start the child from.");
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, WorkingDirectory = Environment.CurrentDirectory };
        if (Path.GetFileNameWithoutExtension(executable) == "dotnet") start.ArgumentList.Add(typeof(ScaleDataBenchmark).Assembly.Location);
        foreach (var argument in new[] { StartOnceArgument, database.Provider, database.ConnectionString, database.Folder })
            start.ArgumentList.Add(argument);
        using var child = Process.Start(start) ?? throw new InvalidOperationException("The child process did not start.");
        var output = await child.StandardOutput.ReadToEndAsync(cancellationToken);
        await child.WaitForExitAsync(cancellationToken);
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("start-once ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The child process (exit {child.ExitCode}) printed no measurement:\n{output}");
        var f = line.Split(' ');
        return new StartMeasurement(double.Parse(f[1], CultureInfo.InvariantCulture), long.Parse(f[2], CultureInfo.InvariantCulture),
            long.Parse(f[3], CultureInfo.InvariantCulture), long.Parse(f[4], CultureInfo.InvariantCulture));
    }

    /// <summary>The command-line switch that makes this program a start-up child instead of the harness.</summary>
    public const string StartOnceArgument = "--start-once";

    /// <summary>In the child: start the bot on an existing database, measure, stop, and print one line.</summary>
    public static async Task<int> StartOnceAsync(string provider, string connectionString, string folder)
    {
        var database = BenchDatabase.Existing(provider, connectionString, folder);
        var watch = Stopwatch.StartNew();
        using var host = BenchHost.Build(database, TimeProvider.System, new RecordingChatPlatform("bench"));
        await host.StartAsync();
        watch.Stop();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        var measured = string.Join(' ', watch.Elapsed.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture),
            process.WorkingSet64, process.PeakWorkingSet64, GC.GetTotalMemory(forceFullCollection: false));
        await host.StopAsync();
        Console.WriteLine($"start-once {measured}");
        return 0;
    }
}
