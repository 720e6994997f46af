using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FollowUpBot.Bench;

/// <summary>
/// A throwaway database for one measurement: a SQLite file in a temporary folder, or a schema of its own on the
/// PostgreSQL server named by FOLLOWUPBOT_BENCH_POSTGRES (pooled, as the bot runs). Removed on dispose.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "FOLLOWUPBOT_BENCH_POSTGRES";

    public const string OnlyVariable = "FOLLOWUPBOT_BENCH_ONLY";

    private readonly string? _server;

    private BenchDatabase(string label, string provider, string connectionString, string folder, string? server, string? schema)
    {
        Label = label;
        Provider = provider;
        ConnectionString = connectionString;
        Folder = folder;
        _server = server;
        Schema = schema;
    }

    /// <summary>"SQLite" or "PostgreSQL", for the tables.</summary>
    public string Label { get; }

    /// <summary>The value of Storage:Provider.</summary>
    public string Provider { get; }

    public string ConnectionString { get; }

    /// <summary>A temporary folder (the SQLite file lives here; the host's content root either way).</summary>
    public string Folder { get; }

    public string? Schema { get; }

    public bool IsPostgres => Provider == "Postgres";

    /// <summary>SQLite; PostgreSQL too when FOLLOWUPBOT_BENCH_POSTGRES names a server. FOLLOWUPBOT_BENCH_ONLY=sqlite or
    /// postgres runs just that one (a long scenario re-measured on one database).</summary>
    private static IEnumerable<Func<Task<BenchDatabase>>> Each()
    {
        var only = Environment.GetEnvironmentVariable(OnlyVariable)?.Trim().ToLowerInvariant();
        if (only is not "postgres") yield return () => Task.FromResult(Sqlite());
        if (only is not "sqlite" && Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } server)
            yield return () => PostgresAsync(server);
    }

    /// <summary>Runs <paramref name="measure"/> on a fresh database of each kind, and says so when PostgreSQL was left out.</summary>
    public static async Task<IReadOnlyList<BenchRow>> OnEachAsync(Func<BenchDatabase, Task<IEnumerable<BenchRow>>> measure)
    {
        var rows = new List<BenchRow>();
        foreach (var open in Each())
        {
            await using var database = await open();
            rows.AddRange(await measure(database));
        }
        if (Environment.GetEnvironmentVariable(PostgresVariable) is not { Length: > 0 }
            && Environment.GetEnvironmentVariable(OnlyVariable)?.Trim().ToLowerInvariant() is not "sqlite")
            rows.Add(new BenchRow("PostgreSQL", $"not run: set {PostgresVariable}"));
        return rows;
    }

    public static BenchDatabase Sqlite()
    {
        var folder = NewFolder();
        return new BenchDatabase("SQLite", "Sqlite", $"Data Source={Path.Combine(folder, "bench.db")}", folder, null, null);
    }

    public static async Task<BenchDatabase> PostgresAsync(string server)
    {
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand($"CREATE SCHEMA {schema}", connection).ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema, MaxPoolSize = 50 }.ConnectionString;
        return new BenchDatabase("PostgreSQL", "Postgres", connectionString, NewFolder(), server, schema);
    }

    /// <summary>A database another process made and will remove (the start-up child's view of it).</summary>
    public static BenchDatabase Existing(string provider, string connectionString, string folder) =>
        new(provider == "Postgres" ? "PostgreSQL" : "SQLite", provider, connectionString, folder, null, null);

    /// <summary>Points a test harness's settings at this database instead of its own unpooled SQLite file.</summary>
    public void ApplyTo(Dictionary<string, string?> settings)
    {
        settings["Storage:Provider"] = Provider;
        settings["Storage:ConnectionString"] = ConnectionString;
    }

    /// <summary>Runs <paramref name="measure"/> on each database and prefixes every metric with the database's name.</summary>
    public static Task<IReadOnlyList<BenchRow>> OnEachLabelledAsync(Func<BenchDatabase, Task<IReadOnlyList<BenchRow>>> measure) =>
        OnEachAsync(async database => (await measure(database)).Select(r => r with { Metric = $"{database.Label}: {r.Metric}" }));

    public DbConnection OpenRaw()
    {
        DbConnection connection = IsPostgres
            ? new NpgsqlConnection(ConnectionString)
            : new SqliteConnection(ConnectionString + ";Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>Bytes on disk: the SQLite file and its write-ahead log, or the schema's tables with their indexes.</summary>
    public async Task<long> SizeAsync(CancellationToken cancellationToken)
    {
        if (!IsPostgres)
        {
            var file = Path.Combine(Folder, "bench.db");
            return new FileInfo(file).Length + (File.Exists(file + "-wal") ? new FileInfo(file + "-wal").Length : 0);
        }
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var size = await new NpgsqlCommand(
            $"SELECT SUM(pg_total_relation_size(quote_ident(schemaname) || '.' || quote_ident(tablename))) FROM pg_tables WHERE schemaname = '{Schema}'",
            connection).ExecuteScalarAsync(cancellationToken);
        return (long)(size as decimal? ?? 0m);
    }

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        if (_server is not null)
        {
            await using var connection = new NpgsqlConnection(_server);
            await connection.OpenAsync();
            await new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE", connection).ExecuteNonQueryAsync();
        }
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    private static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "followupbot-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}
