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
        await bot.StartAsync(); // returns once the scheduler runs
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

        // The folder goes in one step (a rename, as an unmounted volume or an `mv` would), not file by file: the running
        // bot opens the file for every query (pooling off) and Quartz polls, so during a recursive delete an open could
        // create the file afresh between the last unlink and the rmdir, which then failed with "directory not empty".
        var elsewhere = bot.Database.Folder + "-moved";
        Directory.Move(bot.Database.Folder, elsewhere);
        try
        {
            var report = await ReportAsync(bot);
            Assert.Equal(HealthStatus.Unhealthy, report.Entries["database"].Status);
            Assert.Contains(bot.Database.Folder, report.Entries["database"].Description);
            Assert.Contains("gone", report.Entries["database"].Description);
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
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
