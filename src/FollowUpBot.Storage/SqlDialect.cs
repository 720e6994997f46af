using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FollowUpBot.Storage;

/// <summary>
/// The few places where SQLite and PostgreSQL differ for the bot's queries. Everything else is written once, in SQL
/// both accept (RETURNING, ON CONFLICT, IN lists, text timestamps).
/// </summary>
public abstract class SqlDialect
{
    public static readonly SqlDialect Sqlite = new SqliteDialect();
    public static readonly SqlDialect Postgres = new PostgresDialect();

    public static SqlDialect For(StorageProvider provider) => provider switch
    {
        StorageProvider.Sqlite => Sqlite,
        StorageProvider.Postgres => Postgres,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown storage provider."),
    };

    /// <summary>Whether <paramref name="error"/> is a unique or primary key violation on a constraint or column
    /// whose name contains <paramref name="column"/>.</summary>
    public abstract bool IsUniqueViolation(Exception error, string column);

    /// <summary>
    /// Runs before the migrations on the migrating connection: makes concurrent starts of several instances take
    /// turns, and applies per-database settings. Dispose the result once migrated.
    /// </summary>
    public abstract Task<IAsyncDisposable> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    private sealed class SqliteDialect : SqlDialect
    {
        /// <summary>SQLite's primary key and unique constraint failures.</summary>
        private const int ConstraintUnique = 2067, ConstraintPrimaryKey = 1555;

        public override bool IsUniqueViolation(Exception error, string column) =>
            error is SqliteException { SqliteExtendedErrorCode: ConstraintUnique or ConstraintPrimaryKey } e
            && e.Message.Contains(column, StringComparison.Ordinal);

        public override async Task<IAsyncDisposable> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
        {
            // WAL lets readers (and Quartz's acquisition queries) run beside a writer; it sticks to the file. Each
            // migration's write transaction is what keeps two processes apart.
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL;", cancellationToken: cancellationToken));
            return NothingToRelease.Instance;
        }
    }

    private sealed class PostgresDialect : SqlDialect
    {
        /// <summary>An arbitrary constant naming the bot's migration lock among the database's advisory locks.</summary>
        private const long MigrationLock = 0x466F6C6C6F77;

        public override bool IsUniqueViolation(Exception error, string column) =>
            error is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } e
            && (e.ConstraintName ?? "").Contains(column, StringComparison.Ordinal);

        public override async Task<IAsyncDisposable> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
        {
            // Several replicas start at once: the first to get the lock migrates, the others wait and find it done.
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@MigrationLock)", new { MigrationLock },
                cancellationToken: cancellationToken));
            return new AdvisoryLock(connection);
        }

        private sealed class AdvisoryLock(DbConnection connection) : IAsyncDisposable
        {
            public async ValueTask DisposeAsync() =>
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@MigrationLock)", new { MigrationLock });
        }
    }

    private sealed class NothingToRelease : IAsyncDisposable
    {
        public static readonly NothingToRelease Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
