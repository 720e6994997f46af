using FollowUpBot.Core.Ports;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace FollowUpBot.Scheduling.Tests;

public sealed class HealthTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static async Task<Dictionary<string, bool>> CheckAsync(TestBot bot) =>
        (await Task.WhenAll(bot.Services.GetServices<IHealthContributor>().Select(c => c.CheckHealthAsync(CancellationToken.None))))
        .ToDictionary(s => s.Name, s => s.Healthy);

    [Fact]
    public async Task RunningBotReportsDatabaseAndSchedulerHealthy()
    {
        await using var bot = new TestBot(T0);
        await bot.StartAsync();

        // Quartz starts its scheduler once the host reports started, a moment after StartAsync returns.
        await TestBot.EventuallyAsync(() => CheckAsync(bot).Result.GetValueOrDefault("scheduler"), "the scheduler runs");
        Assert.Equal(new Dictionary<string, bool> { ["database"] = true, ["scheduler"] = true }, await CheckAsync(bot));
    }

    [Fact]
    public async Task SchedulerInStandbyIsReportedUnhealthy()
    {
        await using var bot = new TestBot(T0);
        await bot.StartAsync();
        await TestBot.EventuallyAsync(() => CheckAsync(bot).Result.GetValueOrDefault("scheduler"), "the scheduler runs");

        await (await bot.Get<ISchedulerFactory>().GetScheduler()).Standby();

        Assert.False((await CheckAsync(bot))["scheduler"]);
    }
}
