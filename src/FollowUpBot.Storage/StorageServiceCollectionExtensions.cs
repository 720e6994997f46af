using FollowUpBot.Core.Ports;
using FollowUpBot.Core.Startup;
using FollowUpBot.Storage;
using FollowUpBot.Storage.Migrations;
using FollowUpBot.Storage.Repositories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The repositories over one database (section "Storage"), and the start-up step that migrates it (the first
    /// stage of <see cref="FollowUpBot.Core.Startup.StartSequence"/>, before anything reads the database).
    /// </summary>
    public static IServiceCollection AddFollowUpBotStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => Enum.IsDefined(o.Provider),
                "Storage:Provider must be Sqlite (one instance, the default) or Postgres (several instances).")
            .Validate(o => o.Provider != StorageProvider.Sqlite || SqliteConnectionFactory.IsValid(o.ConnectionString),
                "Storage:ConnectionString must name a SQLite database file, e.g. \"Data Source=data/followupbot.db\".")
            .ValidateOnStart();
        // The PostgreSQL string's own problem (its syntax, no server, a minimum pool above the maximum), in its words.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, PostgresConnectionStringValidation>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDbConnectionFactory>(sp =>
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value.Provider == StorageProvider.Postgres
                ? ActivatorUtilities.CreateInstance<PostgresConnectionFactory>(sp)
                : ActivatorUtilities.CreateInstance<SqliteConnectionFactory>(sp));
        services.TryAddSingleton<DatabaseMigrator>();
        services.TryAddSingleton<IMemberRepository, SqlMemberRepository>();
        services.TryAddSingleton<IInterviewRepository, SqlInterviewRepository>();
        services.TryAddSingleton<INudgeRepository, SqlNudgeRepository>();
        services.TryAddSingleton<IFormDraftRepository, SqlFormDraftRepository>();
        services.TryAddSingleton<ICohortRepository, SqlCohortRepository>();
        services.TryAddSingleton<IMemberDataRepository, SqlMemberDataRepository>();
        services.TryAddSingleton<IHandledInteractions, SqlHandledInteractions>();
        services.TryAddSingleton<ILeaseStore, SqlLeaseStore>();
        services.TryAddSingleton<IDashboardAccessRepository, SqlDashboardAccessRepository>();
        services.TryAddSingleton<ScheduledNudgeRows>();
        if (!services.Any(d => d.ServiceType == typeof(DatabaseHealth)))
        {
            services.AddSingleton<DatabaseHealth>();
            services.AddHealthChecks().AddCheck<DatabaseHealth>(DatabaseHealth.Name);
        }
        services.AddStartStep<DatabaseMigrationService>();
        services.AddStartStep<StoragePoolWarmupStep>();
        return services;
    }
}
