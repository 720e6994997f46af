using System.Data.Common;
using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Storage.Migrations;

/// <summary>
/// Brings the database to the newest schema: the numbered scripts in Migrations/&lt;Provider&gt;/ (embedded),
/// each applied once in its own transaction and recorded in schema_version. Safe to call again and from
/// several processes at once; within a process only the first call does any work.
/// </summary>
public sealed class DatabaseMigrator(IDbConnectionFactory connections, TimeProvider time, ILogger<DatabaseMigrator> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _migrated;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_migrated) return;
            await using var connection = await connections.OpenAsync(cancellationToken);
            await using (await SqlDialect.For(connections.Provider).BeginMigrationAsync(connection, cancellationToken))
            {
                await CreateVersionTableAsync(connection, cancellationToken);
                foreach (var migration in Migration.For(connections.Provider))
                    await ApplyAsync(connection, migration, cancellationToken);
            }
            _migrated = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task CreateVersionTableAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("""
            CREATE TABLE IF NOT EXISTS schema_version (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL
            );
            """, cancellationToken: cancellationToken));
    }

    private async Task ApplyAsync(DbConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Checked inside the (write) transaction, so two processes starting together apply it once.
        var applied = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM schema_version WHERE version = @Version", new { migration.Version }, transaction,
            cancellationToken: cancellationToken));
        if (applied > 0) return;

        await connection.ExecuteAsync(new CommandDefinition(migration.Script, transaction: transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)",
            new { migration.Version, migration.Name, AppliedAt = StoredValues.Time(time.GetUtcNow()) }, transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Applied database migration {Version} ({Name})", migration.Version, migration.Name);
    }

    private sealed record Migration(int Version, string Name, string Script)
    {
        public static IReadOnlyList<Migration> For(StorageProvider provider)
        {
            var assembly = typeof(DatabaseMigrator).Assembly;
            var prefix = $"{typeof(DatabaseMigrator).Namespace}.{provider}.";
            var migrations = assembly.GetManifestResourceNames()
                .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
                .Select(n => Load(assembly, n, n[prefix.Length..^".sql".Length]))
                .OrderBy(m => m.Version)
                .ToList();
            if (migrations.Count == 0)
                throw new InvalidOperationException($"No database migrations are embedded for {provider}.");
            return migrations;
        }

        private static Migration Load(Assembly assembly, string resource, string name)
        {
            var digits = name.Split('_', 2)[0];
            if (!int.TryParse(digits, out var version))
                throw new InvalidOperationException($"Migration '{name}' must start with its number, e.g. 0002_add_x.sql.");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            return new Migration(version, name, reader.ReadToEnd());
        }
    }
}
