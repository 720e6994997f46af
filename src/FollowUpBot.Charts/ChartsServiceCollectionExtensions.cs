using FollowUpBot.Charts;
using FollowUpBot.Core.Cohorts;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class ChartsServiceCollectionExtensions
{
    /// <summary>Draws the coaches' chart (digests, web view) with ScottPlot.</summary>
    public static IServiceCollection AddFollowUpBotCharts(this IServiceCollection services)
    {
        services.TryAddSingleton<ICohortChartRenderer, ScottPlotChartRenderer>();
        return services;
    }
}
