using System.Data.Common;
using FollowUpBot.Core.Startup;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Storage;

/// <summary>
/// Opens a PostgreSQL pool's minimum of connections at start (<see cref="StartStage.Prepare"/>), all at once, so the
/// first burst of deliveries (the overdue nudges reconciled right after, or the first round hour) finds them open
/// instead of opening a dozen at the moment it needs them. A pool that cannot be filled (the server's
/// max_connections reached) is not a reason to stop: the bot works with what it gets and says so.
/// </summary>
public static class PostgresPoolWarmup
{
    public static async Task<int> WarmAsync(string pool, int count, Func<CancellationToken, Task<DbConnection>> open, ILogger logger,
        CancellationToken cancellationToken)
    {
        if (count <= 0) return 0;
        var opening = Enumerable.Range(0, count).Select(async _ =>
        {
            try
            {
                return await open(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DbException or TimeoutException or IOException)
            {
                logger.LogDebug(e, "Opening a {Pool} connection ahead of time failed", pool);
                return null;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return null; // the start was called off: the others are returned below, then the cancellation goes on
            }
        }).ToList();
        // Held until all are open, so the pool cannot hand the same connection out twice; returned to the pool idle.
        var connections = await Task.WhenAll(opening).ConfigureAwait(false);
        var opened = connections.Count(c => c is not null);
        foreach (var connection in connections)
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (opened < count)
            logger.LogWarning("Opened {Opened} of the {Count} {Pool} connections kept ready (Minimum Pool Size); the rest open when needed. " +
                "Check the server's max_connections against the instances' pools.", opened, count, pool);
        else
            logger.LogDebug("{Count} {Pool} connections open and ready", opened, pool);
        return opened;
    }
}

/// <summary>Fills the bot's own pool (<see cref="IDbConnectionFactory"/>) to its minimum at start.</summary>
internal sealed class StoragePoolWarmupStep(IDbConnectionFactory connections, ILogger<StoragePoolWarmupStep> logger) : IStartStep
{
    public StartStage Stage => StartStage.Prepare;

    public Task RunAsync(CancellationToken cancellationToken) =>
        connections is PostgresConnectionFactory postgres
            ? PostgresPoolWarmup.WarmAsync("database", PostgresConnectionFactory.MinimumPoolSizeOf(postgres.ConnectionString),
                postgres.OpenAsync, logger, cancellationToken)
            : Task.CompletedTask;
}
