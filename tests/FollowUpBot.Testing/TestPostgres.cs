using Npgsql;
using Xunit;
using Xunit.Sdk;

namespace FollowUpBot.Testing;

/// <summary>
/// The PostgreSQL server the tests may use: FOLLOWUPBOT_TEST_POSTGRES holds its connection string (.ci/run starts
/// one). Without it the PostgreSQL tests are skipped, unless FOLLOWUPBOT_TEST_POSTGRES_REQUIRED=1 says CI expects
/// them to run: then they fail.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "FOLLOWUPBOT_TEST_POSTGRES";
    public const string RequiredVariable = "FOLLOWUPBOT_TEST_POSTGRES_REQUIRED";

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static bool Required => Environment.GetEnvironmentVariable(RequiredVariable) == "1";

    /// <summary>Why the PostgreSQL tests do not run here, or null when they must run.</summary>
    public static string? SkipReason => ConnectionString is null && !Required
        ? $"No PostgreSQL: set {Variable} to a connection string (bash .ci/run starts a server) to run these."
        : null;

    /// <summary>The configured server's connection string; fails the test when there is none.</summary>
    public static string RequireConnectionString() => ConnectionString
        ?? throw new InvalidOperationException($"{RequiredVariable}=1 but {Variable} is not set: the PostgreSQL tests cannot run.");
}

/// <summary>A fact that needs PostgreSQL: skipped without a server unless CI requires it.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = TestPostgres.SkipReason;
}

/// <summary>Runs a theory on SQLite: its one argument is <c>"Sqlite"</c>.</summary>
public sealed class OnSqliteAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(System.Reflection.MethodInfo testMethod) => [["Sqlite"]];
}

/// <summary>Runs a theory on PostgreSQL (argument <c>"Postgres"</c>); skipped like <see cref="PostgresFactAttribute"/>.</summary>
public sealed class OnPostgresAttribute : DataAttribute
{
    public OnPostgresAttribute() => Skip = TestPostgres.SkipReason;

    public override IEnumerable<object[]> GetData(System.Reflection.MethodInfo testMethod) => [["Postgres"]];
}

/// <summary>
/// A fresh schema in the test server, which the connection string's search path points at: each test gets empty
/// tables of its own (Quartz's included) without the cost of a database, and the schema is dropped on dispose.
/// </summary>
public sealed class TempPostgresSchema : IDisposable
{
    private readonly string _server;

    private TempPostgresSchema(string server, string schema, bool pooling)
    {
        _server = server;
        Schema = schema;
        ConnectionString = new NpgsqlConnectionStringBuilder(server)
        {
            SearchPath = schema,
            // Pooled connections of finished tests would pile up on the server; a cluster test wants a pool.
            Pooling = pooling,
            // Not the bot's default of ten per pool: three instances of a cluster test, two pools each, in test runs
            // that share one server would hold a hundred connections between them.
            MinPoolSize = pooling ? 2 : 0,
            ConnectionIdleLifetime = 2,
            ConnectionPruningInterval = 1,
        }.ConnectionString;
    }

    public string Schema { get; }

    public string ConnectionString { get; }

    /// <summary>Configuration entries for one instance of a test cluster on this schema: its own Quartz instance id and
    /// check-ins short enough that a dead instance's firings are recovered within seconds.</summary>
    public IReadOnlyDictionary<string, string?> ClusterInstanceSettings(string instanceId, int threadCount = 4) =>
        new Dictionary<string, string?>(Settings)
        {
            ["Scheduling:InstanceId"] = instanceId,
            ["Scheduling:ThreadCount"] = threadCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Scheduling:IdleWaitTime"] = "00:00:01",
            ["Scheduling:ClusterCheckinInterval"] = "00:00:01",
            ["Scheduling:ClusterCheckinMisfireThreshold"] = "00:00:02",
        };

    /// <summary>Configuration entries that point the storage layer at this schema.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Storage:Provider", "Postgres"),
        new("Storage:ConnectionString", ConnectionString),
    ];

    public static TempPostgresSchema Create(bool pooling = false)
    {
        var server = TestPostgres.RequireConnectionString();
        var schema = "t_" + Guid.NewGuid().ToString("N")[..20];
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            command.ExecuteNonQuery();
        }
        return new TempPostgresSchema(server, schema, pooling);
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            using var connection = new NpgsqlConnection(_server);
            connection.Open();
            using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE", connection);
            command.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // The server went away first; its temporary data directory goes with it.
        }
    }
}
