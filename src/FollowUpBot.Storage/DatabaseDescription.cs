using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FollowUpBot.Storage;

/// <summary>
/// Names the database for an operator (the SQLite file, or the PostgreSQL server and database, never a password)
/// and says in words why it failed, from the exceptions the two drivers throw.
/// </summary>
public static class DatabaseDescription
{
    public static string Of(IDbConnectionFactory connections) => connections.Provider == StorageProvider.Postgres
        ? Postgres(connections.ConnectionString)
        : $"SQLite database {SqliteFile(connections.ConnectionString)}";

    public static string SqliteFile(string connectionString) =>
        Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource);

    private static string Postgres(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL database '{builder.Database}' at {builder.Host}:{builder.Port}";
    }

    /// <summary>The cause in a few words, without a stack trace.</summary>
    public static string Cause(Exception e) => e switch
    {
        SqliteException { SqliteErrorCode: 11 or 26 } => "the file is corrupt or not a SQLite database",
        SqliteException { SqliteErrorCode: 8 } => "the file or its folder is read-only",
        SqliteException { SqliteErrorCode: 5 or 6 } => "the database is locked by another process (is another bot running on this file?)",
        SqliteException { SqliteErrorCode: 13 } => "the disk is full",
        SqliteException { SqliteErrorCode: 14 } => "the file cannot be opened (missing folder or no permission)",
        SqliteException sqlite => $"SQLite error {sqlite.SqliteErrorCode}: {OneLine(sqlite.Message)}",
        PostgresException pg => $"the server refused: {pg.SqlState} {OneLine(pg.MessageText)}",
        NpgsqlException { InnerException: SocketException socket } => $"no connection ({Socket(socket)})",
        NpgsqlException { InnerException: TimeoutException } => "no answer within the connection timeout",
        NpgsqlException npgsql => OneLine(npgsql.InnerException?.Message ?? npgsql.Message),
        TimeoutException => "no answer within the connection timeout",
        _ => $"{e.GetType().Name}: {OneLine(e.Message)}",
    };

    private static string Socket(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused: nothing listens there",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "the host name does not resolve",
        SocketError.TimedOut => "the connection timed out",
        _ => OneLine(socket.Message),
    };

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>The database could not be opened or migrated at start: the message names it and the cause.</summary>
public sealed class DatabaseUnavailableException(string message, Exception inner) : Exception(message, inner);
