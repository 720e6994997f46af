using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Storage;

/// <summary>
/// Connections to one SQLite file. Foreign keys are switched on and a busy timeout set on every connection,
/// because both are per-connection settings in SQLite, and so is <c>synchronous</c> (<see cref="StorageOptions.SqliteSynchronous"/>);
/// WAL is a property of the file and is set by the migrator.
/// </summary>
public sealed class SqliteConnectionFactory : IDbConnectionFactory
{
    /// <summary>How long a writer waits for another writer (Quartz shares the file) before giving up.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private readonly string _directory;
    private readonly string _connectionSetup;
    private int _directoryReady;

    public SqliteConnectionFactory(IOptions<StorageOptions> options)
    {
        ConnectionString = Resolve(options.Value.ConnectionString);
        _directory = Path.GetDirectoryName(new SqliteConnectionStringBuilder(ConnectionString).DataSource) ?? ".";
        _connectionSetup = $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; " +
                           $"PRAGMA synchronous = {(options.Value.SqliteSynchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL")};";
    }

    public StorageProvider Provider => StorageProvider.Sqlite;

    public string ConnectionString { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _directoryReady, 1) == 0) Directory.CreateDirectory(_directory);
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = _connectionSetup;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Makes the file name absolute (against the current directory) and switches foreign keys on, so the
    /// bot and the scheduler agree on one file whatever directory they later run in.
    /// Throws <see cref="ArgumentException"/> for a string that names no file.
    /// </summary>
    public static string Resolve(string connectionString)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException($"Storage:ConnectionString is not a valid SQLite connection string ({e.Message}).", e);
        }
        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
            throw new ArgumentException("Storage:ConnectionString must name a database file, e.g. \"Data Source=data/followupbot.db\".");
        builder.DataSource = Path.GetFullPath(builder.DataSource);
        builder.ForeignKeys = true;
        builder.DefaultTimeout = (int)BusyTimeout.TotalSeconds;
        return builder.ToString();
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
}
