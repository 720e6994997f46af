using Dapper;
using FollowUpBot.Core.Startup;
using FollowUpBot.Storage;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Scheduling;

/// <summary>
/// Creates Quartz's tables on PostgreSQL before any scheduler of the cluster starts, from the DDL embedded in the
/// Quartz assembly itself (so it always matches the Quartz version in use). Replicas starting together would race in
/// Quartz's own provisioning; here they take turns under the migration lock and the script is idempotent.
/// SQLite has one process, so Quartz provisions it itself.
/// </summary>
internal sealed class QuartzSchemaService(IDbConnectionFactory connections, ILogger<QuartzSchemaService> logger) : IStartStep
{
    private const string Resource = "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";

    public StartStage Stage => StartStage.Migrate;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (connections.Provider != StorageProvider.Postgres) return;
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using (await SqlDialect.Postgres.BeginMigrationAsync(connection, cancellationToken))
        {
            foreach (var statement in Statements())
                await connection.ExecuteAsync(new CommandDefinition(statement, cancellationToken: cancellationToken));
        }
        logger.LogDebug("Quartz tables present");
    }

    /// <summary>The script's statements: separated by lines reading exactly <c>--;;</c>, with <c>{0}</c> and
    /// <c>{1}</c> standing for the table prefix.</summary>
    internal static IEnumerable<string> Statements()
    {
        using var stream = typeof(Quartz.IScheduler).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"Quartz no longer embeds {Resource}.");
        using var reader = new StreamReader(stream);
        var script = reader.ReadToEnd().Replace("{0}", QuartzTables.Prefix, StringComparison.Ordinal).Replace("{1}", QuartzTables.Prefix, StringComparison.Ordinal);
        var statement = new List<string>();
        foreach (var line in script.Split('\n'))
        {
            if (line.TrimEnd('\r') == "--;;")
            {
                if (Flush() is { } text) yield return text;
                continue;
            }
            statement.Add(line);
        }
        if (Flush() is { } last) yield return last;

        string? Flush()
        {
            var text = string.Join('\n', statement).Trim();
            statement.Clear();
            return text.Split('\n').All(l => l.TrimStart().StartsWith("--", StringComparison.Ordinal) || l.Trim().Length == 0) ? null : text;
        }
    }
}
