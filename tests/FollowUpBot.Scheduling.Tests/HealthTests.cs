using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace FollowUpBot.Scheduling.Tests;

public sealed class HealthTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static async Task<HealthReport> ReportAsync(TestBot bot) =>
        await bot.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    private static async Task<Dictionary<string, bool>> CheckAsync(TestBot bot) =>
        (await ReportAsync(bot)).Entries.ToDictionary(e => e.Key, e => e.Value.Status == HealthStatus.Healthy);

    private static async Task<TestBot> RunningAsync()
    {
        var bot = new TestBot(T0);
        await bot.StartAsync();
        // Quartz starts its scheduler once the host reports started, a moment after StartAsync returns.
        await TestBot.EventuallyAsync(() => CheckAsync(bot).Result.GetValueOrDefault("scheduler"), "the scheduler runs");
        return bot;
    }

    [Fact]
    public async Task RunningBotReportsDatabaseAndSchedulerHealthy()
    {
        await using var bot = await RunningAsync();

        Assert.Equal(new Dictionary<string, bool> { ["database"] = true, ["scheduler"] = true }, await CheckAsync(bot));
        Assert.Contains("0 trigger changes queued", (await ReportAsync(bot)).Entries["scheduler"].Description);
    }

    [Fact]
    public async Task SchedulerInStandbyIsReportedUnhealthy()
    {
        await using var bot = await RunningAsync();

        await (await bot.Get<ISchedulerFactory>().GetScheduler()).Standby();

        Assert.False((await CheckAsync(bot))["scheduler"]);
    }

    [Fact]
    public async Task DeletedDatabaseFolderIsReportedUnhealthyAndNamed()
    {
        await using var bot = await RunningAsync();

        Directory.Delete(bot.Database.Folder, recursive: true);

        var report = await ReportAsync(bot);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["database"].Status);
        Assert.Contains(bot.Database.Folder, report.Entries["database"].Description);
        Assert.Contains("gone", report.Entries["database"].Description);
    }

    [Fact]
    public async Task ADatabaseFileReplacedByAnEmptyOneIsReportedUnhealthy()
    {
        await using var bot = await RunningAsync();

        // The bot's tables are gone (restored from the wrong backup, truncated): a "SELECT 1" would still pass.
        File.Delete(bot.Database.FilePath);
        File.WriteAllBytes(bot.Database.FilePath, []);

        var report = await ReportAsync(bot);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["database"].Status);
        Assert.Contains(bot.Database.FilePath, report.Entries["database"].Description);
    }
}
