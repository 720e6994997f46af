using FollowUpBot.Core;
using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Dashboard;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Observability;
using FollowUpBot.Core.Planning;
using FollowUpBot.Core.Playbooks;
using FollowUpBot.Core.Ports;
using FollowUpBot.Core.Retention;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// The engine, planner and dispatcher. Expects a <see cref="Playbook"/> (the host loads it from
    /// bot-config), the repositories, an INudgeScheduler and an ICohortScheduler from the other layers, and at
    /// least one IChatPlatform.
    /// </summary>
    public static IServiceCollection AddFollowUpBotCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BotOptions>().Bind(configuration.GetSection(BotOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.DefaultTimeZone, out _),
                "Bot:DefaultTimeZone must be an IANA time zone such as Europe/Berlin.")
            .Validate(o => HolidayCalendar.TryFor(o.HolidayCountry, out _),
                $"Bot:HolidayCountry must be empty (no holidays) or a country code the bot knows the holidays of: {string.Join(", ", HolidayCalendar.SupportedCountries)}.")
            .ValidateOnStart();
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();

        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();

        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new NudgePlanner(sp.GetRequiredService<Playbook>()));
        services.TryAddSingleton(sp => new NudgeComposer(sp.GetRequiredService<Playbook>()));
        services.TryAddSingleton<ChatPlatformDirectory>();
        services.TryAddSingleton<NudgeDispatcher>();
        services.TryAddSingleton<BotMetrics>();
        services.TryAddSingleton(sp => new EnginePorts(
            sp.GetRequiredService<IMemberRepository>(), sp.GetRequiredService<IInterviewRepository>(), sp.GetRequiredService<INudgeRepository>(),
            sp.GetRequiredService<IFormDraftRepository>(), sp.GetRequiredService<INudgeScheduler>(), sp.GetRequiredService<NudgePlanner>(),
            sp.GetRequiredService<NudgeComposer>())
        {
            // Compositions without cohort storage still run; the engine answers that cohorts are not set up.
            Cohorts = sp.GetService<ICohortRepository>() is { } cohorts && sp.GetService<ICohortScheduler>() is { } scheduler &&
                      sp.GetService<IMemberDataRepository>() is { } memberData
                ? new CohortPorts(cohorts, scheduler, memberData, sp.GetService<CoachDashboard>())
                : null,
        });
        services.TryAddSingleton<ConversationEngine>();
        services.TryAddSingleton<IConversationEngine>(sp =>
            new MeasuredConversationEngine(sp.GetRequiredService<ConversationEngine>(), sp.GetRequiredService<BotMetrics>()));
        // Cohorts, digests and retention: these need ICohortRepository, IMemberDataRepository and ICohortScheduler.
        services.TryAddSingleton<CohortActivityReader>();
        services.TryAddSingleton<CohortDigestService>();
        // The coaches' web view: needs IDashboardAccessRepository (storage); answers "off" unless Dashboard:PublicUrl is set.
        services.TryAddSingleton<CoachDashboard>();
        services.TryAddSingleton<InterviewRetention>();
        return services;
    }
}
