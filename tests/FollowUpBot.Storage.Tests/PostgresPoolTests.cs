using System.Data.Common;
using FollowUpBot.Testing;
using Microsoft.Data.Sqlite;
using FollowUpBot.Storage.Migrations;
using Npgsql;

namespace FollowUpBot.Storage.Tests;

/// <summary>
/// A PostgreSQL pool keeps some connections open through quiet spells, so a burst of nudges at a round hour does not
/// open a dozen at once; the operator's own "Minimum Pool Size" always wins.
/// </summary>
public sealed class PostgresPoolTests
{
    private const string Server = "Host=db;Database=followupbot;Username=bot;Password=secret";

    [Fact]
    public void APooledStringThatDoesNotSayKeepsTenConnectionsOpen()
    {
        var resolved = new NpgsqlConnectionStringBuilder(PostgresConnectionFactory.Resolve(Server));

        Assert.Equal(PostgresConnectionFactory.DefaultMinimumPoolSize, resolved.MinPoolSize);
        Assert.Equal(10, PostgresConnectionFactory.MinimumPoolSizeOf(resolved.ConnectionString));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(40)]
    public void TheMinimumTheOperatorGaveIsKept(int minimum)
    {
        var resolved = PostgresConnectionFactory.Resolve($"{Server};Minimum Pool Size={minimum}");

        Assert.Equal(minimum, new NpgsqlConnectionStringBuilder(resolved).MinPoolSize);
    }

    [Fact]
    public void TheDefaultMinimumNeverExceedsTheMaximumTheOperatorGave()
    {
        var resolved = new NpgsqlConnectionStringBuilder(PostgresConnectionFactory.Resolve($"{Server};Maximum Pool Size=4"));

        Assert.Equal(4, resolved.MinPoolSize);
        Assert.Equal(4, resolved.MaxPoolSize);
    }

    [Fact]
    public void AMinimumAboveTheMaximumIsRefusedNamingBoth()
    {
        var problem = PostgresConnectionFactory.Problem($"{Server};Minimum Pool Size=20;Maximum Pool Size=5");

        Assert.NotNull(problem);
        Assert.Contains("Minimum Pool Size=20", problem);
        Assert.Contains("Maximum Pool Size=5", problem);
        Assert.DoesNotContain("secret", problem);
        Assert.Throws<ArgumentException>(() => PostgresConnectionFactory.Resolve($"{Server};Minimum Pool Size=20;Maximum Pool Size=5"));
    }

    [Fact]
    public void AStringWithoutAServerIsRefusedSayingSo()
    {
        Assert.Contains("must name the PostgreSQL server", PostgresConnectionFactory.Problem("Database=followupbot;Username=bot"));
        Assert.Null(PostgresConnectionFactory.Problem(Server));
    }

    [Fact]
    public async Task AWarmUpCalledOffReturnsWhatItOpenedAndStops()
    {
        using var cancel = new CancellationTokenSource();
        var handedOut = new List<DbConnection>();
        var calls = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PostgresPoolWarmup.WarmAsync("database", 4, token =>
        {
            if (Interlocked.Increment(ref calls) == 3)
            {
                cancel.Cancel();
                token.ThrowIfCancellationRequested();
            }
            var connection = new SqliteConnection("Data Source=:memory:");
            connection.Open();
            lock (handedOut) handedOut.Add(connection);
            return Task.FromResult<DbConnection>(connection);
        }, new CapturedLogs().CreateLogger("warmup"), cancel.Token));

        Assert.Equal(3, handedOut.Count);
        Assert.All(handedOut, c => Assert.Equal(System.Data.ConnectionState.Closed, c.State));
    }

    [Fact]
    public void WithoutPoolingNothingIsKeptOpen()
    {
        var resolved = PostgresConnectionFactory.Resolve($"{Server};Pooling=false");

        Assert.Equal(0, new NpgsqlConnectionStringBuilder(resolved).MinPoolSize);
        Assert.Equal(0, PostgresConnectionFactory.MinimumPoolSizeOf(resolved));
    }

    [Fact]
    public async Task AWarmUpTheServerPartlyRefusesGoesOnAndSaysHowManyItOpened()
    {
        var logs = new CapturedLogs();
        var calls = 0;
        var handedOut = new List<DbConnection>();
        var opened = await PostgresPoolWarmup.WarmAsync("database", 5, _ =>
        {
            // The server's max_connections reached after three.
            if (Interlocked.Increment(ref calls) > 3) throw new RefusedException("sorry, too many clients already");
            var connection = new SqliteConnection("Data Source=:memory:");
            connection.Open();
            lock (handedOut) handedOut.Add(connection);
            return Task.FromResult<DbConnection>(connection);
        }, logs.CreateLogger("warmup"), CancellationToken.None);

        Assert.Equal(3, opened);
        Assert.Equal(5, calls);
        // Back to the pool (closed, for this stand-in), not held by the warm-up.
        Assert.All(handedOut, c => Assert.Equal(System.Data.ConnectionState.Closed, c.State));
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Opened 3 of the 5 database connections"));
    }

    [Fact]
    public async Task AWarmUpOfNoConnectionsOpensNothing()
    {
        var calls = 0;
        var opened = await PostgresPoolWarmup.WarmAsync("database", 0, _ =>
        {
            calls++;
            throw new InvalidOperationException("not expected");
        }, new CapturedLogs().CreateLogger("warmup"), CancellationToken.None);

        Assert.Equal(0, opened);
        Assert.Equal(0, calls);
    }

    [PostgresFact]
    public async Task TheHealthCheckStillOpensItsOwnUnpooledConnectionWhenThePoolKeepsAMinimum()
    {
        // The check opens a fresh connection from the bot's string with pooling off; that string now carries the
        // default minimum, which must not stop the check from reaching the server.
        using var schema = TempPostgresSchema.Create();
        var builder = new NpgsqlConnectionStringBuilder(schema.ConnectionString) { Pooling = true };
        builder.Remove("Minimum Pool Size");
        var pooled = builder.ConnectionString;
        var options = Microsoft.Extensions.Options.Options.Create(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = pooled });
        await using var connections = new PostgresConnectionFactory(options);
        await new DatabaseMigrator(connections, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<DatabaseMigrator>.Instance)
            .MigrateAsync(CancellationToken.None);
        Assert.Equal(PostgresConnectionFactory.DefaultMinimumPoolSize, PostgresConnectionFactory.MinimumPoolSizeOf(connections.ConnectionString));

        var result = await new DatabaseHealth(connections).CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext(), CancellationToken.None);

        Assert.True(result.Status == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, result.Description);
    }

    private sealed class RefusedException(string message) : DbException(message);
}
