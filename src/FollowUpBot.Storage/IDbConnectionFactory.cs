using System.Data.Common;

namespace FollowUpBot.Storage;

/// <summary>Opens ready-to-use connections to the bot's database (settings applied, schema not guaranteed).</summary>
public interface IDbConnectionFactory
{
    StorageProvider Provider { get; }

    /// <summary>The resolved connection string (absolute file path), for components that open their own
    /// connections, such as the scheduler's job store.</summary>
    string ConnectionString { get; }

    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);
}
