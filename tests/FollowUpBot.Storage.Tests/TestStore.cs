using FollowUpBot.Core.Domain;
using FollowUpBot.Storage;
using FollowUpBot.Storage.Migrations;
using FollowUpBot.Storage.Repositories;
using FollowUpBot.Testing;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Storage.Tests;

/// <summary>
/// A migrated database with the repositories over it: a SQLite file in a temp folder, or a fresh schema in the test
/// PostgreSQL server (theories run on both through [OnSqlite, OnPostgres] and a <c>provider</c> argument).
/// </summary>
internal sealed class TestStore : IDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 4, 21, 30, 0, TimeSpan.Zero);

    private readonly IDisposable _database;

    private TestStore(StorageProvider provider, string connectionString, IDisposable database)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _database = database;
        var options = Options.Create(new StorageOptions { Provider = provider, ConnectionString = connectionString });
        Connections = provider == StorageProvider.Postgres
            ? new PostgresConnectionFactory(options)
            : new SqliteConnectionFactory(options);
        Migrator = new DatabaseMigrator(Connections, TimeProvider.System, NullLogger<DatabaseMigrator>.Instance);
        Members = new SqlMemberRepository(Connections);
        Interviews = new SqlInterviewRepository(Connections);
        Nudges = new SqlNudgeRepository(Connections);
        Drafts = new SqlFormDraftRepository(Connections);
        Cohorts = new SqlCohortRepository(Connections);
        MemberData = new SqlMemberDataRepository(Connections);
        Dashboard = new SqlDashboardAccessRepository(Connections);
    }

    public StorageProvider Provider { get; }
    public string ConnectionString { get; }
    public IDbConnectionFactory Connections { get; }
    public DatabaseMigrator Migrator { get; }
    public SqlMemberRepository Members { get; }
    public SqlInterviewRepository Interviews { get; }
    public SqlNudgeRepository Nudges { get; }
    public SqlFormDraftRepository Drafts { get; }
    public SqlCohortRepository Cohorts { get; }
    public SqlMemberDataRepository MemberData { get; }
    public SqlDashboardAccessRepository Dashboard { get; }

    /// <param name="provider">"Sqlite" or "Postgres", as the theory data attributes pass it.</param>
    public static async Task<TestStore> CreateAsync(string provider = "Sqlite")
    {
        TestStore store;
        if (Enum.Parse<StorageProvider>(provider) == StorageProvider.Postgres)
        {
            var schema = TempPostgresSchema.Create();
            store = new TestStore(StorageProvider.Postgres, schema.ConnectionString, schema);
        }
        else
        {
            var file = new TempDatabase();
            store = new TestStore(StorageProvider.Sqlite, file.ConnectionString, file);
        }
        await store.Migrator.MigrateAsync(CancellationToken.None);
        return store;
    }

    /// <summary>The same database, as a freshly started process would see it (disposing it leaves the data).</summary>
    public TestStore Reopen() => new(Provider, ConnectionString, NoCleanup.Instance);

    /// <summary>The text of one embedded migration, e.g. ("Sqlite", "0007"), to run a backfill over rows made for it.</summary>
    public static string MigrationScript(string provider, string version)
    {
        var assembly = typeof(StorageOptions).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.Contains($".Migrations.{provider}.{version}_", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        return reader.ReadToEnd();
    }

    public DbConnection OpenRaw()
    {
        DbConnection connection = Provider == StorageProvider.Postgres
            ? new NpgsqlConnection(ConnectionString)
            : new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public Task<Member> AddMemberAsync(string userId = "u1") => Members.SaveAsync(
        new Member(0, new MemberKey("console", "local", userId), "Europe/Berlin", QuietHours.Default, false, T0, T0),
        CancellationToken.None);

    public static Interview NewInterview(long memberId, string company = "Acme") => new(
        0, memberId, 0, company, "Backend Engineer", ["Ana Ruiz", "Ben Ode"], InterviewFormat.Onsite, T0,
        new DateOnly(2026, 12, 8), false, ["Kim Lee"], "Went well", T0);

    public static Nudge NewNudge(NudgeKind kind, DateTimeOffset dueAt, string? interviewer = null) =>
        new(0, 0, 0, kind, dueAt, interviewer, 0, NudgeState.Pending);

    public async Task<(Interview Interview, IReadOnlyList<Nudge> Nudges)> AddInterviewAsync(long memberId, params Nudge[] nudges) =>
        await Interviews.AddAsync(NewInterview(memberId), nudges, CancellationToken.None);

    public void Dispose()
    {
        (Connections as IDisposable)?.Dispose();
        _database.Dispose();
    }

    private sealed class NoCleanup : IDisposable
    {
        public static readonly NoCleanup Instance = new();

        public void Dispose()
        {
        }
    }
}
