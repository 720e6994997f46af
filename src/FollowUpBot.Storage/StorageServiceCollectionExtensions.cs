using FollowUpBot.Core.Ports;
using FollowUpBot.Storage;
using FollowUpBot.Storage.Migrations;
using FollowUpBot.Storage.Repositories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The repositories over one database (section "Storage"), and a hosted service that migrates it at start.
    /// Register this before anything that reads the database at start (the scheduling layer also migrates first).
    /// </summary>
    public static IServiceCollection AddFollowUpBotStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => Enum.IsDefined(o.Provider),
                "Storage:Provider must be Sqlite (the only storage provider so far).")
            .Validate(o => SqliteConnectionFactory.IsValid(o.ConnectionString),
                "Storage:ConnectionString must name a SQLite database file, e.g. \"Data Source=data/followupbot.db\".")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDbConnectionFactory, SqliteConnectionFactory>();
        services.TryAddSingleton<DatabaseMigrator>();
        services.TryAddSingleton<IMemberRepository, SqlMemberRepository>();
        services.TryAddSingleton<IInterviewRepository, SqlInterviewRepository>();
        services.TryAddSingleton<INudgeRepository, SqlNudgeRepository>();
        services.TryAddSingleton<IFormDraftRepository, SqlFormDraftRepository>();
        services.TryAddSingleton<ICohortRepository, SqlCohortRepository>();
        services.TryAddSingleton<IMemberDataRepository, SqlMemberDataRepository>();
        services.AddHostedService<DatabaseMigrationService>();
        return services;
    }
}
