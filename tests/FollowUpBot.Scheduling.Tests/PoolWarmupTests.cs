using Dapper;
using FollowUpBot.Testing;
using Npgsql;

namespace FollowUpBot.Scheduling.Tests;

/// <summary>
/// On PostgreSQL an instance opens its pools' minimum of connections while it starts, before the reconciler hands it
/// the overdue nudges: the first burst finds them ready.
/// </summary>
public sealed class PoolWarmupTests
{
    [PostgresFact]
    public async Task StartOpensTheMinimumOfTheBotsAndTheSchedulersPoolsBeforeAnythingIsDelivered()
    {
        using var schema = TempPostgresSchema.Create(pooling: true);
        var application = "warm-" + Guid.NewGuid().ToString("N")[..8];
        const int minimum = 7;
        var connectionString = new NpgsqlConnectionStringBuilder(schema.ConnectionString)
        {
            ApplicationName = application,
            MinPoolSize = minimum,
            // Idle connections above the minimum would be closed within seconds; the minimum stays.
            ConnectionIdleLifetime = 1,
            ConnectionPruningInterval = 1,
        }.ConnectionString;

        await using var node = await ClusterNode.StartAsync("node-a", schema, new ClusterDeliveryLog(),
            new Dictionary<string, string?> { ["Storage:ConnectionString"] = connectionString });

        // Two pools (the bot's data source and Quartz's job store), each filled to its minimum; idle work alone
        // (a check-in, an acquisition) uses one or two.
        await using var observer = new NpgsqlConnection(TestPostgres.RequireConnectionString());
        await observer.OpenAsync();
        var open = await observer.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = @application", new { application });
        Assert.True(open >= 2 * minimum, $"{open} connections open after start, expected at least {2 * minimum}");
    }
}
