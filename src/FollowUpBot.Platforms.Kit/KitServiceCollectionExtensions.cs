using FollowUpBot.Platforms.Kit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class KitServiceCollectionExtensions
{
    /// <summary>What every adapter shares: the real-time <see cref="TransportClock"/> (tests register theirs first),
    /// the one <see cref="FatalStop"/> and where its exit code goes.</summary>
    public static IServiceCollection AddPlatformKit(this IServiceCollection services)
    {
        services.TryAddSingleton(TransportClock.Real);
        services.TryAddSingleton<IExitCodeSink, EnvironmentExitCodeSink>();
        services.TryAddSingleton<FatalStop>();
        return services;
    }
}
