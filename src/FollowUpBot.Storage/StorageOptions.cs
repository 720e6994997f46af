using System.ComponentModel.DataAnnotations;

namespace FollowUpBot.Storage;

/// <summary>The database engines the bot can store its data in: one SQLite file for a single instance, PostgreSQL
/// for several instances sharing one schedule (Quartz clusters only on a server database).</summary>
public enum StorageProvider { Sqlite, Postgres }

/// <summary>Where the bot keeps members, interviews, nudges and the schedule (section "Storage").</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>SQLite: a relative file name is read against the current directory; its folder is created if
    /// missing. PostgreSQL: an Npgsql connection string (Host=...;Database=...;Username=...;Password=...).</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/followupbot.db";
}
