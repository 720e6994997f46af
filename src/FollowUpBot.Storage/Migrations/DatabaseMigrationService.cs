using System.Data.Common;
using FollowUpBot.Core.Startup;

namespace FollowUpBot.Storage.Migrations;

/// <summary>
/// Migrates the database at start (<see cref="StartStage.Migrate"/>, before anything reads it). A database that cannot
/// be opened or written is reported as <see cref="DatabaseUnavailableException"/>, naming it and the cause.
/// </summary>
internal sealed class DatabaseMigrationService(DatabaseMigrator migrator, IDbConnectionFactory connections) : IStartStep
{
    public StartStage Stage => StartStage.Migrate;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await migrator.MigrateAsync(cancellationToken);
        }
        catch (Exception e) when (e is DbException or TimeoutException or IOException or UnauthorizedAccessException)
        {
            throw new DatabaseUnavailableException(
                $"Storage: cannot open the {DatabaseDescription.Of(connections)}: {DatabaseDescription.Cause(e)}.", e);
        }
    }
}
