using System.Diagnostics;
using System.Globalization;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FollowUpBot.Bench;

/// <summary>
/// Issue 6, measurement 5: start-up time (host build to StartAsync returned, which includes migration and the
/// reconciler's pass over every pending nudge) and memory with N members' data present, one interview each with
/// its planned nudges. Three starts on one SQLite file: empty; first start with the data (the reconciler creates
/// every trigger); and a restart (triggers already there: the everyday case). FOLLOWUPBOT_BENCH_MEMBERS sets N
/// (100,000 by default). Memory is this process's working set after the start, after a full GC; the seeding ran in
/// the same process, so the figures are upper bounds for a bot that only started.
/// </summary>
public sealed class ScaleStartupBenchmark : IBenchmark
{
    public string Name => "scale-startup";

    public string Description => "start-up time (build to StartAsync, incl. migration and reconcile) and RSS with N members' data (SQLite)";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(CancellationToken cancellationToken)
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("FOLLOWUPBOT_BENCH_MEMBERS"), out var n) ? n : 100_000;
        var folder = Path.Combine(Path.GetTempPath(), "followupbot-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "bench.db");
        var connectionString = $"Data Source={file}";
        var platform = new RecordingChatPlatform("bench");
        try
        {
            var rows = new List<BenchRow>();
            var (empty, host) = await TimedStartAsync(folder, connectionString, platform, cancellationToken);
            rows.Add(Row("empty database", empty, 0));

            var data = new BenchInterviews(host.Services.GetRequiredService<IMemberRepository>(),
                host.Services.GetRequiredService<IInterviewRepository>());
            // Interviews end tomorrow, so no nudge falls due during the starts: the reconciler only checks triggers.
            var ended = TimeProvider.System.GetUtcNow().AddDays(1);
            var seeding = Stopwatch.StartNew();
            var memberIds = await data.AddMembersAsync(count, QuietHours.Default, ended, cancellationToken);
            var nudges = 0L;
            for (var i = 0; i < memberIds.Count; i++)
                nudges += (await data.AddPlannedAsync(memberIds[i], i, ended.AddMinutes(i % 5000), cancellationToken)).Count;
            seeding.Stop();
            await host.StopAsync(cancellationToken);
            host.Dispose();
            rows.Add(new BenchRow("data present", $"{count:N0} members, {count:N0} interviews, {nudges:N0} pending nudges " +
                $"({new FileInfo(file).Length / 1024.0 / 1024.0:F0} MB; written in {seeding.Elapsed.TotalSeconds:F0} s)"));

            var (first, firstHost) = await TimedStartAsync(folder, connectionString, platform, cancellationToken);
            rows.Add(Row("first start with the data (reconciler creates every trigger)", first, count));
            await firstHost.StopAsync(cancellationToken);
            firstHost.Dispose();

            var (again, againHost) = await TimedStartAsync(folder, connectionString, platform, cancellationToken);
            rows.Add(Row("restart with the data (triggers already present)", again, count));
            await againHost.StopAsync(cancellationToken);
            againHost.Dispose();

            using var process = Process.GetCurrentProcess();
            rows.Add(new BenchRow("peak RSS of the process (includes seeding)", $"{process.PeakWorkingSet64 / 1024.0 / 1024.0:F0} MB"));
            return rows;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<((TimeSpan Elapsed, long Rss, long Heap) Measured, IHost Host)> TimedStartAsync(string folder,
        string connectionString, RecordingChatPlatform platform, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var host = BenchHost.Build(folder, connectionString, TimeProvider.System, platform);
        await host.StartAsync(cancellationToken);
        watch.Stop();
        // Progress on stderr: a start with many triggers can take minutes, and the table only prints at the end.
        await Console.Error.WriteLineAsync($"scale-startup: a start took {watch.Elapsed.TotalSeconds:F1} s");
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return ((watch.Elapsed, process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false)), host);
    }

    private static BenchRow Row(string label, (TimeSpan Elapsed, long Rss, long Heap) measured, int members) =>
        new($"{label}: start-up; RSS after start (managed heap)",
            $"{measured.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)} s; {measured.Rss / 1024.0 / 1024.0:F0} MB ({measured.Heap / 1024.0 / 1024.0:F0} MB)",
            members == 0 ? null : "RSS < 300 MB", members == 0 ? null : measured.Rss < 300L * 1024 * 1024);
}
