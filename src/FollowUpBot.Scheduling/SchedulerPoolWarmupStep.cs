using FollowUpBot.Core.Startup;
using FollowUpBot.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FollowUpBot.Scheduling;

/// <summary>
/// Fills the pool Quartz's job store draws from (its own: Quartz opens connections by connection string, not through
/// the bot's data source) to its minimum at start, as the storage layer does for the bot's (<see cref="PostgresPoolWarmup"/>): every
/// firing in a burst takes one of these for its job-store transactions.
/// </summary>
internal sealed class SchedulerPoolWarmupStep(IOptions<StorageOptions> storage, ILogger<SchedulerPoolWarmupStep> logger) : IStartStep
{
    public StartStage Stage => StartStage.Prepare;

    public Task RunAsync(CancellationToken cancellationToken)
    {
        if (storage.Value.Provider != StorageProvider.Postgres) return Task.CompletedTask;
        var connectionString = SchedulingServiceCollectionExtensions.SchedulerConnectionString(storage.Value);
        return PostgresPoolWarmup.WarmAsync("scheduler", PostgresConnectionFactory.MinimumPoolSizeOf(connectionString), async token =>
        {
            var connection = new NpgsqlConnection(connectionString);
            try
            {
                await connection.OpenAsync(token);
                return connection;
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }, logger, cancellationToken);
    }
}
