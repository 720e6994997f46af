using System.ComponentModel.DataAnnotations;

namespace FollowUpBot.Storage;

/// <summary>The database engines the bot can store its data in: one SQLite file for a single instance, PostgreSQL
/// for several instances sharing one schedule (Quartz clusters only on a server database).</summary>
public enum StorageProvider { Sqlite, Postgres }

/// <summary>When SQLite makes a commit durable (its <c>synchronous</c> setting, on the bot's connections).</summary>
public enum SqliteSynchronous
{
    /// <summary>In WAL mode, commits reach the write-ahead log without waiting for the disk; the log is synced at each
    /// checkpoint. The database is never corrupted, but the last commits before a power cut or an OS crash (not a
    /// process crash) can be lost: a nudge recorded as sent could come back as pending and go out a second time.</summary>
    Normal,

    /// <summary>Every commit waits for the disk: nothing committed is lost even to a power cut, at one fsync per
    /// commit (several per delivered nudge).</summary>
    Full,
}

/// <summary>Where the bot keeps members, interviews, nudges and the schedule (section "Storage").</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>SQLite: a relative file name is read against the current directory; its folder is created if
    /// missing. PostgreSQL: an Npgsql connection string (Host=...;Database=...;Username=...;Password=...).</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/followupbot.db";

    /// <summary>SQLite only: <see cref="SqliteSynchronous.Normal"/> (the default) or <see cref="SqliteSynchronous.Full"/>.</summary>
    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Normal;
}
