using System.Collections.Concurrent;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Core.Startup;
using FollowUpBot.Core.Time;
using FollowUpBot.Hosting;
using FollowUpBot.Scheduling;
using FollowUpBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace FollowUpBot.Host.Tests;

/// <summary>The composition starts a bot in the order StartSequence states, whatever order services were registered in.</summary>
public sealed class StartOrderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 16, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task TheBotMigratesThenReconcilesBeforeTheSchedulerOrAnyServiceStarts()
    {
        using var database = new TempDatabase();
        // A nudge stored without its trigger, as a crash between the row and the trigger leaves it.
        long nudgeId;
        using (var first = Build(database, new ConcurrentQueue<string>()))
        {
            await first.StartAsync();
            var services = first.Services;
            var member = await services.GetRequiredService<IMemberRepository>().SaveAsync(
                new Member(0, new MemberKey("test", "w1", "u1"), "UTC", QuietHours.Default, true, T0, T0), CancellationToken.None);
            var (_, nudges) = await services.GetRequiredService<IInterviewRepository>().AddAsync(
                new Interview(0, member.Id, 0, "Acme", "Backend Engineer", ["Ana Ruiz"], InterviewFormat.Video, T0, null, false, [], null, T0),
                [new Nudge(0, 0, 0, NudgeKind.ThankYou, T0.AddDays(1), "Ana Ruiz", 0, NudgeState.Pending)], CancellationToken.None);
            nudgeId = nudges[0].Id;
            await first.StopAsync();
        }

        var seen = new ConcurrentQueue<string>();
        using var host = Build(database, seen);
        await host.StartAsync();
        // Quartz's hosted service starts the scheduler once the host has started, on its own task.
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (scheduler.Status != SchedulerStatus.Running && DateTime.UtcNow < deadline) await Task.Delay(20);
        var statusAfterwards = scheduler.Status;
        await host.StopAsync();

        Assert.Equal(
        [
            "migrate: tables there",
            "prepare",
            $"reconcile: triggers for {nudgeId}, scheduler Created",
            $"first registered service: triggers for {nudgeId}, scheduler Created",
        ], seen);
        Assert.Equal(SchedulerStatus.Running, statusAfterwards);
    }

    /// <summary>
    /// The bot through the shared composition, with a hosted service registered before it (so registration order alone
    /// would start it first) and a probe step at the end of each stage, each writing what it finds to <paramref name="seen"/>.
    /// </summary>
    private static IHost Build(TempDatabase database, ConcurrentQueue<string> seen)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = database.Folder,
        });
        builder.Configuration.AddInMemoryCollection(database.Settings);
        builder.Services.AddHostedService(sp => new Probe("first registered service", sp, seen));
        builder.AddFollowUpBot(new BotSetup(ShippedPlaybook.Instance)
        {
            Clock = new SimulatedClock(T0),
            Services = services => services
                .AddSingleton<IChatPlatform>(new RecordingChatPlatform())
                .AddSingleton<IStartStep>(sp => new ProbeStep(StartStage.Reconcile, new Probe("reconcile", sp, seen)))
                .AddSingleton<IStartStep>(sp => new ProbeStep(StartStage.Prepare, new Probe("prepare", sp, seen, lookAround: false)))
                .AddSingleton<IStartStep>(sp => new ProbeStep(StartStage.Migrate, new Probe("migrate", sp, seen, tablesOnly: true))),
        });
        return builder.Build();
    }

    /// <summary>Notes, when run, whether the bot's tables exist, which nudges have triggers and whether Quartz runs.</summary>
    private sealed class Probe(string name, IServiceProvider services, ConcurrentQueue<string> seen, bool lookAround = true, bool tablesOnly = false)
        : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (!lookAround)
            {
                seen.Enqueue(name);
                return;
            }
            var pending = await services.GetRequiredService<INudgeRepository>().ListByStateAsync([NudgeState.Pending], cancellationToken);
            if (tablesOnly)
            {
                seen.Enqueue($"{name}: tables there");
                return;
            }
            var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler(cancellationToken);
            var triggers = (await scheduler.GetTriggersOfJob(NudgeJob.Key, cancellationToken)).Select(t => QuartzNudgeScheduler.NudgeIdOf(t.Key)).ToHashSet();
            var scheduled = pending.Where(n => triggers.Contains(n.Id)).Select(n => n.Id);
            seen.Enqueue($"{name}: triggers for {string.Join(",", scheduled)}, scheduler {scheduler.Status}");
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class ProbeStep(StartStage stage, Probe probe) : IStartStep
    {
        public StartStage Stage => stage;

        public Task RunAsync(CancellationToken cancellationToken) => probe.StartAsync(cancellationToken);
    }
}
