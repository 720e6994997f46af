using System.Diagnostics;
using FollowUpBot.Core.Domain;
using FollowUpBot.Storage;
using FollowUpBot.Storage.Migrations;
using FollowUpBot.Storage.Repositories;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FollowUpBot.Bench;

/// <summary>
/// Issue 6, measurement 1: plan (the real planner and playbook) and store interviews with their nudges, one
/// transaction per interview as the engine does, on SQLite and on PostgreSQL; interviews per second, nudges stored,
/// database size and the process's peak RSS. FOLLOWUPBOT_BENCH_INTERVIEWS sets the count (100,000 by default);
/// FOLLOWUPBOT_BENCH_POSTGRES a PostgreSQL server (skipped without).
/// </summary>
public sealed class ScaleStoreBenchmark : IBenchmark
{
    public string Name => "scale-store";

    public string Description => "plan and store interviews (about 10 nudges each): rate, size, RSS; SQLite and PostgreSQL";

    public async Task<IReadOnlyList<BenchRow>> RunAsync(CancellationToken cancellationToken)
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("FOLLOWUPBOT_BENCH_INTERVIEWS"), out var n) ? n : 100_000;
        var rows = new List<BenchRow>();
        var folder = Path.Combine(Path.GetTempPath(), "followupbot-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var file = Path.Combine(folder, "bench.db");
            rows.AddRange(await RunOnAsync("SQLite", new StorageOptions { ConnectionString = $"Data Source={file}" }, count,
                () => Task.FromResult(new FileInfo(file).Length + (File.Exists(file + "-wal") ? new FileInfo(file + "-wal").Length : 0)),
                cancellationToken));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        if (Environment.GetEnvironmentVariable("FOLLOWUPBOT_BENCH_POSTGRES") is { Length: > 0 } server)
        {
            var schema = "bench_" + Guid.NewGuid().ToString("N")[..12];
            await using (var c = new NpgsqlConnection(server)) { await c.OpenAsync(cancellationToken); await new NpgsqlCommand($"CREATE SCHEMA {schema}", c).ExecuteNonQueryAsync(cancellationToken); }
            var cs = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
            rows.AddRange(await RunOnAsync("PostgreSQL", new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = cs }, count,
                async () =>
                {
                    await using var c = new NpgsqlConnection(cs);
                    await c.OpenAsync(cancellationToken);
                    return (long)(await new NpgsqlCommand(
                        $"SELECT SUM(pg_total_relation_size(quote_ident(schemaname) || '.' || quote_ident(tablename))) FROM pg_tables WHERE schemaname = '{schema}'", c)
                        .ExecuteScalarAsync(cancellationToken) as decimal? ?? 0m);
                }, cancellationToken));
            await using (var c = new NpgsqlConnection(server)) { await c.OpenAsync(cancellationToken); await new NpgsqlCommand($"DROP SCHEMA {schema} CASCADE", c).ExecuteNonQueryAsync(cancellationToken); }
        }
        else
        {
            rows.Add(new BenchRow("PostgreSQL", "not run: set FOLLOWUPBOT_BENCH_POSTGRES"));
        }
        return rows;
    }

    private static async Task<IEnumerable<BenchRow>> RunOnAsync(string label, StorageOptions options, int count, Func<Task<long>> size,
        CancellationToken cancellationToken)
    {
        IDbConnectionFactory connections = options.Provider == StorageProvider.Postgres
            ? new PostgresConnectionFactory(Options.Create(options))
            : new SqliteConnectionFactory(Options.Create(options));
        await new DatabaseMigrator(connections, TimeProvider.System, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(cancellationToken);
        var data = new BenchInterviews(new SqlMemberRepository(connections), new SqlInterviewRepository(connections));
        var start = new DateTimeOffset(2026, 12, 4, 15, 0, 0, TimeSpan.Zero);

        // One member per ten interviews: 100,000 interviews are 10,000 members' job hunts.
        var memberIds = await data.AddMembersAsync(Math.Max(1, count / 10), QuietHours.Default, start, cancellationToken);

        var nudges = 0L;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
            nudges += (await data.AddPlannedAsync(memberIds[i % memberIds.Count], i, start.AddMinutes(i % 5000), cancellationToken)).Count;
        watch.Stop();
        var bytes = await size();
        (connections as IDisposable)?.Dispose();
        using var process = Process.GetCurrentProcess();
        var rate = count / watch.Elapsed.TotalSeconds;
        return
        [
            new BenchRow($"{label}: interviews planned and stored", $"{count:N0} with {nudges:N0} nudges in {watch.Elapsed.TotalSeconds:F1} s"),
            new BenchRow($"{label}: interviews per second", $"{rate:N0}"),
            new BenchRow($"{label}: database size", $"{bytes / 1024.0 / 1024.0:F1} MB ({(double)bytes / count:F0} B per interview)"),
            new BenchRow($"{label}: peak RSS of the process", $"{process.PeakWorkingSet64 / 1024.0 / 1024.0:F0} MB", "< 300 MB",
                process.PeakWorkingSet64 < 300L * 1024 * 1024),
        ];
    }
}

/// <summary>Where the bot's configuration folder is, whether run from the repository root or the project folder.</summary>
internal static class BenchPaths
{
    public static string BotConfig =>
        new[] { "bot-config", "../../bot-config", Path.Combine(AppContext.BaseDirectory, "bot-config") }.FirstOrDefault(Directory.Exists)
        ?? throw new DirectoryNotFoundException("Run from the repository root: bot-config/ was not found.");
}
