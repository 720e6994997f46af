using FollowUpBot.Core.Domain;
using FollowUpBot.Storage;
using FollowUpBot.Storage.Migrations;
using FollowUpBot.Storage.Repositories;
using FollowUpBot.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Storage.Tests;

/// <summary>A migrated database in a temp folder with the repositories over it.</summary>
internal sealed class TestStore : IDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 4, 21, 30, 0, TimeSpan.Zero);

    private TestStore(TempDatabase database)
    {
        Database = database;
        Connections = new SqliteConnectionFactory(Options.Create(new StorageOptions { ConnectionString = database.ConnectionString }));
        Migrator = new DatabaseMigrator(Connections, TimeProvider.System, NullLogger<DatabaseMigrator>.Instance);
        Members = new SqlMemberRepository(Connections);
        Interviews = new SqlInterviewRepository(Connections);
        Nudges = new SqlNudgeRepository(Connections);
        Drafts = new SqlFormDraftRepository(Connections);
        Cohorts = new SqlCohortRepository(Connections);
        MemberData = new SqlMemberDataRepository(Connections);
    }

    public TempDatabase Database { get; }
    public SqliteConnectionFactory Connections { get; }
    public DatabaseMigrator Migrator { get; }
    public SqlMemberRepository Members { get; }
    public SqlInterviewRepository Interviews { get; }
    public SqlNudgeRepository Nudges { get; }
    public SqlFormDraftRepository Drafts { get; }
    public SqlCohortRepository Cohorts { get; }
    public SqlMemberDataRepository MemberData { get; }

    public static async Task<TestStore> CreateAsync()
    {
        var store = new TestStore(new TempDatabase());
        await store.Migrator.MigrateAsync(CancellationToken.None);
        return store;
    }

    /// <summary>The same file, as a freshly started process would see it.</summary>
    public TestStore Reopen() => new(Database);

    public SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(Database.ConnectionString);
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

    public void Dispose() => Database.Dispose();
}
