using System.ComponentModel.DataAnnotations;

namespace FollowUpBot.Storage;

/// <summary>The database engines the bot can store its data in. PostgreSQL follows with clustering.</summary>
public enum StorageProvider { Sqlite }

/// <summary>Where the bot keeps members, interviews, nudges and the schedule (section "Storage").</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>A relative file name is read against the current directory; its folder is created if missing.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/followupbot.db";
}
