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
    /// Idle connections each pool keeps open when the connection string does not say (its "Minimum Pool Size").
    /// Nudges fall due together at round hours, after quiet spells in which Npgsql closes idle connections (after 300 s
    /// by default, down to the minimum); a burst then opened a dozen connections at once, 45-60 ms each on a busy
    /// 2-core machine, and commands answered in the middle of it waited 100-200 ms (bench discord-interaction). A
    /// process has two pools (the bot's and the scheduler's), so it keeps twice this many connections to the server.
    /// </summary>
    public const int DefaultMinimumPoolSize = 10;

    /// <summary>The minimum pool size <paramref name="connectionString"/> (already resolved) keeps: 0 without pooling.</summary>
    public static int MinimumPoolSizeOf(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return builder.Pooling ? builder.MinPoolSize : 0;
    }

    /// <summary>
    /// Checks the string's syntax and that it names a server; the password is never echoed in the message.
    /// Throws <see cref="ArgumentException"/> otherwise. A pooled string that does not give a minimum pool size gets
    /// <see cref="DefaultMinimumPoolSize"/> (at most its maximum).
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
        if (builder.Pooling && !GivesMinimumPoolSize(connectionString))
            builder.MinPoolSize = Math.Min(DefaultMinimumPoolSize, builder.MaxPoolSize);
        if (builder.Pooling && builder.MinPoolSize > builder.MaxPoolSize)
            throw new ArgumentException(
                $"Storage:ConnectionString keeps Minimum Pool Size={builder.MinPoolSize} open but allows only Maximum Pool Size={builder.MaxPoolSize}; " +
                "give a minimum at most the maximum.");
        return builder.ConnectionString;
    }

    // Npgsql's builder answers every keyword it knows as present; the string's own keys say what the operator wrote
    // (under any of the keyword's spellings).
    private static bool GivesMinimumPoolSize(string connectionString) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant())
            .Any(k => k is "minimumpoolsize" or "minpoolsize");

    /// <summary>Whether <paramref name="connectionString"/> would be accepted by <see cref="Resolve"/>.</summary>
    public static bool IsValid(string? connectionString) => Problem(connectionString) is null;

    /// <summary>Why <see cref="Resolve"/> refuses <paramref name="connectionString"/>, in one line for the operator; null
    /// when it is accepted.</summary>
    public static string? Problem(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            return "Storage:ConnectionString must be a PostgreSQL connection string naming the server, e.g. \"Host=db;Database=followupbot;Username=bot;Password=...\".";
        try
        {
            Resolve(connectionString);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}

/// <summary>Storage options on PostgreSQL fail validation with the connection string's own problem, in one line.</summary>
internal sealed class PostgresConnectionStringValidation : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        options.Provider == StorageProvider.Postgres && PostgresConnectionFactory.Problem(options.ConnectionString) is { } problem
            ? ValidateOptionsResult.Fail(problem)
            : ValidateOptionsResult.Success;
}
