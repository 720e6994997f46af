using Microsoft.Extensions.Hosting;

namespace FollowUpBot.Storage.Migrations;

/// <summary>Migrates the database when the host starts, before any later hosted service reads it.</summary>
internal sealed class DatabaseMigrationService(DatabaseMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
