using Microsoft.Extensions.DependencyInjection;
using Dapper;
using FollowUpBot.Testing;

namespace FollowUpBot.Storage.Tests;

public sealed class MigrationTests
{
    /// <summary>The numbers of the migrations this build embeds: each applied exactly once.</summary>
    private static IReadOnlyList<long> EmbeddedVersions { get; } = typeof(StorageOptions).Assembly.GetManifestResourceNames()
        .Select(n => n.Split(".Migrations.Sqlite.")).Where(p => p.Length == 2)
        .Select(p => long.Parse(p[1][..4], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();

    // 0004 added the process columns: a row written before it reads as a first round, a process of its own.
    [Theory, OnSqlite, OnPostgres]
    public async Task AnInterviewStoredBeforeProcessesReadsAsAProcessOfItsOwn(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();
        using (var connection = store.OpenRaw())
            connection.Execute("""
                INSERT INTO interviews (member_id, number, company, interviewers, format, ended_at, reference_names, created_at, outcome)
                VALUES (@id, 1, 'Acme', '["Ana"]', 'video', '2026-12-04T21:30:00.0000000Z', '[]', '2026-12-04T21:30:00.0000000Z', 'offer')
                """, new { id = member.Id });

        var legacy = Assert.Single(await store.Interviews.ListAsync(member.Id, openOnly: false, CancellationToken.None));

        Assert.Equal((legacy.Id, 1), (legacy.ProcessId, legacy.Round));
        Assert.Equal((null, null), (legacy.NextRoundAt, legacy.OfferDeadline));
        Assert.Empty(legacy.OpenQuestions);
        Assert.Equal(Core.Domain.ProcessStage.Offer, legacy.Stage);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task MigratingTwiceOnSecondStartChangesNothing(string provider)
    {
        using var store = await TestStore.CreateAsync(provider);
        var member = await store.AddMemberAsync();

        var restarted = store.Reopen();
        await restarted.Migrator.MigrateAsync(CancellationToken.None);
        await restarted.Migrator.MigrateAsync(CancellationToken.None);

        using var connection = store.OpenRaw();
        Assert.Equal(EmbeddedVersions, connection.Query<long>("SELECT version FROM schema_version ORDER BY version"));
        Assert.Equal(member, await restarted.Members.GetAsync(member.Id, CancellationToken.None));
    }

    [PostgresFact]
    public async Task ReplicasStartingTogetherMigrateOnce()
    {
        using var schema = TempPostgresSchema.Create();
        var replicas = Enumerable.Range(0, 4).Select(_ => new PostgresConnectionFactory(Microsoft.Extensions.Options.Options.Create(
            new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = schema.ConnectionString }))).ToList();

        await Task.WhenAll(replicas.Select(c => Task.Run(() => new Migrations.DatabaseMigrator(c, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Migrations.DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None))));

        await using var connection = await replicas[0].OpenAsync(CancellationToken.None);
        Assert.Equal(EmbeddedVersions, await connection.QueryAsync<long>("SELECT version FROM schema_version ORDER BY version"));
        foreach (var replica in replicas) await replica.DisposeAsync();
    }

    [Fact]
    public void EveryMigrationExistsForBothDatabases()
    {
        static IEnumerable<string> Names(string provider) => typeof(StorageOptions).Assembly.GetManifestResourceNames()
            .Where(n => n.Contains($".Migrations.{provider}.", StringComparison.Ordinal))
            .Select(n => n[(n.IndexOf($".{provider}.", StringComparison.Ordinal) + provider.Length + 2)..])
            .Order();

        Assert.NotEmpty(Names("Sqlite"));
        Assert.Equal(Names("Sqlite"), Names("Postgres"));
    }

    [Fact]
    public async Task DatabaseRunsInWalModeWithForeignKeys()
    {
        using var store = await TestStore.CreateAsync();
        await using var connection = await store.Connections.OpenAsync(CancellationToken.None);
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        Assert.True(await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout") >= 1000);
    }

    [Fact]
    public async Task MissingDataFolderIsCreated()
    {
        using var temp = new FollowUpBot.Testing.TempDatabase();
        var nested = Path.Combine(temp.Folder, "data", "deeper", "bot.db");
        var connections = new SqliteConnectionFactory(Microsoft.Extensions.Options.Options.Create(
            new StorageOptions { ConnectionString = $"Data Source={nested};Pooling=False" }));
        var migrator = new Migrations.DatabaseMigrator(connections, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Migrations.DatabaseMigrator>.Instance);

        await migrator.MigrateAsync(CancellationToken.None);

        Assert.True(File.Exists(nested));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Data Source=:memory:")]
    [InlineData("Nonsense Keyword=1")]
    public void ConnectionStringWithoutAFileIsRejected(string connectionString) =>
        Assert.False(SqliteConnectionFactory.IsValid(connectionString));

    [Fact]
    public void RelativeFileIsReadAgainstTheCurrentDirectory()
    {
        var resolved = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(
            SqliteConnectionFactory.Resolve("Data Source=data/followupbot.db"));
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "data", "followupbot.db"), resolved.DataSource);
    }
}

public sealed class StorageOptionsTests
{
    [Theory]
    [InlineData("Storage:ConnectionString", "Data Source=:memory:", "Storage:ConnectionString")]
    [InlineData("Storage:Provider", "Oracle", "Storage:Provider")]
    [InlineData("Storage:Provider", "Postgres", "Storage:ConnectionString")]
    public async Task BadStorageSettingsStopTheHostAtStartNamingTheSetting(string key, string value, string named)
    {
        using var temp = new FollowUpBot.Testing.TempDatabase();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(
            new Microsoft.Extensions.Hosting.HostApplicationBuilderSettings { Args = [], ContentRootPath = temp.Folder });
        Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(builder.Configuration,
            new Dictionary<string, string?> { [key] = value });
        builder.Services.AddFollowUpBotStorage(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains(named, error.Message);
    }
}
