using FollowUpBot.Core;
using FollowUpBot.Core.Ports;
using FollowUpBot.Core.Retention;
using FollowUpBot.Core.Startup;
using FollowUpBot.Scheduling;
using FollowUpBot.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;
using SchedulingOptions = FollowUpBot.Scheduling.SchedulingOptions;

namespace Microsoft.Extensions.DependencyInjection;

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Quartz with its persistent job store in the bot's own database (section "Storage"), driven by the
    /// TimeProvider registered in the container; the nudge scheduler; and the reconciler, which runs at start
    /// (<see cref="StartStage.Reconcile"/>) before Quartz does. Call after AddFollowUpBotStorage.
    /// </summary>
    public static IServiceCollection AddFollowUpBotScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchedulingOptions>().Bind(configuration.GetSection(SchedulingOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();

        // Where the job store lives is decided now (it picks the store's implementation); every tunable value is
        // taken from the bound SchedulingOptions below, once they have been validated at start.
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var connectionString = SchedulerConnectionString(storage);

        services.AddQuartz(q =>
        {
            // One name for the whole cluster (Quartz's rows are keyed by it); one id per instance (below).
            q.ConfigureScheduler(o => o.InstanceName = "followupbot");
            q.UsePersistentStore(store =>
            {
                if (storage.Provider == StorageProvider.Postgres)
                {
                    // Several instances share the schedule: each trigger fires on one of them, and the work of one
                    // that stops checking in is recovered by the others. Tables come from QuartzSchemaService.
                    store.UsePostgres(connectionString);
                    store.UseClustering();
                }
                else
                {
                    // SQLite cannot cluster: one instance per file.
                    store.UseSqlite(connectionString);
                    store.ProvisionSchema();
                }
            });
            // The one durable job every nudge trigger fires, stored at startup (a job first created inside
            // someone else's SQLite transaction would wait on it).
            q.AddJob<NudgeJob>(j => j.WithIdentity(NudgeJob.Key).StoreDurably().RequestRecovery());
            q.AddJob<DigestJob>(j => j.WithIdentity(DigestJob.Key).StoreDurably().RequestRecovery());
            q.AddJob<RetentionJob>(j => j.WithIdentity(RetentionJob.Key).StoreDurably());
            // Its repeating trigger is put in place at start, from the bound HorizonInterval (NudgeHorizon).
            q.AddJob<HorizonJob>(j => j.WithIdentity(HorizonJob.Key).StoreDurably());
            var (retentionCron, retentionZone) = RetentionSchedule(configuration);
            q.AddTrigger(t => t.WithIdentity(RetentionJob.TriggerKey).ForJob(RetentionJob.Key)
                .WithCronSchedule(retentionCron, c => c.InTimeZone(retentionZone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
        });

        // Quartz's typed options, from the bound and validated SchedulingOptions (read when the scheduler is built).
        services.AddOptions<QuartzSchedulerOptions>().Configure<IOptions<SchedulingOptions>>((quartz, scheduling) =>
        {
            var s = scheduling.Value;
            if (!string.Equals(s.InstanceId, "AUTO", StringComparison.OrdinalIgnoreCase)) quartz.InstanceId = s.InstanceId;
            else if (storage.Provider == StorageProvider.Postgres) quartz.GenerateInstanceId = true;
            quartz.IdleWaitTime = s.IdleWaitTime;
            quartz.MaxBatchSize = s.MaxBatchSize;
            quartz.BatchTriggerAcquisitionFireAheadTimeWindow = s.FireAheadWindow;
        });
        services.AddOptions<ThreadPoolOptions>().Configure<IOptions<SchedulingOptions>>((pool, scheduling) =>
            pool.MaxConcurrency = scheduling.Value.ThreadCount);
        services.AddOptions<AdoJobStoreOptions>().Configure<IOptions<SchedulingOptions>>((store, scheduling) =>
        {
            store.MisfireThreshold = scheduling.Value.MisfireThreshold;
            // Unset, the handler would look only once per threshold (in real time): a trigger that fell a
            // minute behind while the process was stalled could then wait another minute.
            store.MisfireHandlerFrequency = scheduling.Value.MisfireScanInterval;
        });
        services.AddOptions<ClusteringOptions>().Configure<IOptions<SchedulingOptions>>((cluster, scheduling) =>
        {
            cluster.CheckinInterval = scheduling.Value.ClusterCheckinInterval;
            cluster.CheckinMisfireThreshold = scheduling.Value.ClusterCheckinMisfireThreshold;
        });

        services.AddStartStep<QuartzSchemaService>();
        services.AddStartStep<SchedulerPoolWarmupStep>();
        if (!services.Any(d => d.ServiceType == typeof(SchedulerHealth)))
        {
            services.AddSingleton<SchedulerHealth>();
            services.AddHealthChecks().AddCheck<SchedulerHealth>(SchedulerHealth.Name);
            services.AddHostedService<SchedulingMetrics>();
        }
        services.TryAddSingleton<QuartzTables>();
        services.TryAddSingleton<QuartzNudgeScheduler>();
        services.TryAddSingleton<NudgeHorizon>();
        services.TryAddSingleton<ISchedulingWindow>(sp => sp.GetRequiredService<NudgeHorizon>());
        services.TryAddSingleton<INudgeTriggerStore>(sp => sp.GetRequiredService<QuartzNudgeScheduler>());
        services.TryAddSingleton<NudgeTriggerWriter>();
        services.TryAddSingleton<INudgeScheduler>(sp => sp.GetRequiredService<NudgeTriggerWriter>());
        services.TryAddSingleton<IScheduledWork, QuartzScheduledWork>();
        services.TryAddSingleton<ICohortScheduler, QuartzCohortScheduler>();
        services.TryAddSingleton<NudgeReconciler>();
        services.TryAddSingleton<DigestReconciler>();
        // A start-up step: it has handled overdue and interrupted nudges before any hosted service starts, so
        // before Quartz's starts firing (StartSequence). The periodic runs follow in the hosted service.
        services.AddStartStep<StartupReconciliation>();
        services.AddHostedService<NudgeReconcilerService>();
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        // After Quartz's hosted service, so stopped before it: the last queued trigger changes are written while
        // the scheduler still runs.
        services.AddHostedService(sp => sp.GetRequiredService<NudgeTriggerWriter>());
        return services;
    }

    /// <summary>
    /// The string Quartz's job store opens its connections with: resolved as the bot's own (a relative SQLite file
    /// against the current directory; a PostgreSQL pool with the same minimum of idle connections). An invalid one is
    /// passed on as given, for the storage options' validation to report.
    /// </summary>
    internal static string SchedulerConnectionString(StorageOptions storage) => storage.Provider switch
    {
        StorageProvider.Sqlite when SqliteConnectionFactory.IsValid(storage.ConnectionString) => SqliteConnectionFactory.Resolve(storage.ConnectionString),
        StorageProvider.Postgres when PostgresConnectionFactory.IsValid(storage.ConnectionString) => PostgresConnectionFactory.Resolve(storage.ConnectionString),
        _ => storage.ConnectionString,
    };

    /// <summary>
    /// The nightly retention run: Retention:RunAt local time in Bot:DefaultTimeZone. Bad values are reported by
    /// option validation at start; here they fall back to the defaults so that building the scheduler never throws.
    /// </summary>
    private static (string Cron, TimeZoneInfo Zone) RetentionSchedule(IConfiguration configuration)
    {
        var runAt = configuration[$"{RetentionOptions.Section}:{nameof(RetentionOptions.RunAt)}"] ?? new RetentionOptions().RunAt;
        if (!TimeOnly.TryParseExact(runAt, "HH:mm", out var at)) at = new TimeOnly(3, 30);
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(configuration[$"{BotOptions.Section}:{nameof(BotOptions.DefaultTimeZone)}"] ?? "UTC", out var zone))
            zone = TimeZoneInfo.Utc;
        return ($"0 {at.Minute} {at.Hour} * * ?", zone);
    }
}
