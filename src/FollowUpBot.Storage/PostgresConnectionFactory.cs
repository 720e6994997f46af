using System.Data.Common;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FollowUpBot.Storage;

/// <summary>
/// Connections to one PostgreSQL database, from one pooled data source. Every instance of a scaled-out bot points
/// at the same database; the server, not the process, serializes their writes.
/// </summary>
public sealed class PostgresConnectionFactory : IDbConnectionFactory, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresConnectionFactory(IOptions<StorageOptions> options)
    {
        ConnectionString = Resolve(options.Value.ConnectionString);
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public StorageProvider Provider => StorageProvider.Postgres;

    public string ConnectionString { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>
    /// Checks the string's syntax and that it names a server; the password is never echoed in the message.
    /// Throws <see cref="ArgumentException"/> otherwise.
    /// </summary>
    public static string Resolve(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException("Storage:ConnectionString is not a valid PostgreSQL connection string.", e);
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
            throw new ArgumentException("Storage:ConnectionString must name the PostgreSQL server, e.g. \"Host=db;Database=followupbot;Username=bot;Password=...\".");
        return builder.ConnectionString;
    }

    /// <summary>Whether <paramref name="connectionString"/> would be accepted by <see cref="Resolve"/>.</summary>
    public static bool IsValid(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) return false;
        try
        {
            Resolve(connectionString);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
