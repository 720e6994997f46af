using Dapper;
using FollowUpBot.Core.Ports;

namespace FollowUpBot.Storage;

/// <summary>The database answers a trivial query. The connection string never appears in the answer.</summary>
internal sealed class DatabaseHealth(IDbConnectionFactory connections) : IHealthContributor
{
    public async Task<HealthStatus> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
            return new HealthStatus("database", true, connections.Provider.ToString());
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthStatus("database", false, $"{connections.Provider} unreachable ({e.GetType().Name})");
        }
    }
}
