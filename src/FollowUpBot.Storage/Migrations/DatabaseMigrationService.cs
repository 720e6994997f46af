using System.Data.Common;
using Microsoft.Extensions.Hosting;

namespace FollowUpBot.Storage.Migrations;

/// <summary>
/// Migrates the database when the host starts, before any later hosted service reads it. A database that cannot
/// be opened or written is reported as <see cref="DatabaseUnavailableException"/>, naming it and the cause.
/// </summary>
internal sealed class DatabaseMigrationService(DatabaseMigrator migrator, IDbConnectionFactory connections) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
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

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
