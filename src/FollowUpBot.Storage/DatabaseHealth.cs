using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace FollowUpBot.Storage;

/// <summary>
/// The database serves the bot's own tables: a real table is read on a connection opened for the check alone,
/// outside the pool (a pooled connection to a SQLite file keeps working after the file or its folder is deleted,
/// while every write from then on is lost). For SQLite the file and its folder must also still be there.
/// The connection string never appears in the answer.
/// </summary>
internal sealed class DatabaseHealth(IDbConnectionFactory connections) : IHealthCheck
{
    public const string Name = "database";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var where = DatabaseDescription.Of(connections);
        if (connections.Provider == StorageProvider.Sqlite)
        {
            var file = DatabaseDescription.SqliteFile(connections.ConnectionString);
            var folder = Path.GetDirectoryName(file) ?? ".";
            if (!Directory.Exists(folder)) return HealthCheckResult.Unhealthy($"{where}: its folder {folder} is gone");
            if (!File.Exists(file)) return HealthCheckResult.Unhealthy($"{where}: the file is gone");
        }
        try
        {
            await using var connection = Fresh();
            await connection.OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM schema_version", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy(where);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{where}: {DatabaseDescription.Cause(e)}");
        }
    }

    private DbConnection Fresh() => connections.Provider == StorageProvider.Postgres
        ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connections.ConnectionString) { Pooling = false, Timeout = 5 }.ConnectionString)
        // ReadWrite, not ReadWriteCreate: a check must never create an empty database where the real one was.
        : new SqliteConnection(new SqliteConnectionStringBuilder(connections.ConnectionString)
            { Pooling = false, Mode = SqliteOpenMode.ReadWrite, DefaultTimeout = 5 }.ConnectionString);
}
