using Dapper;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Ports;
using Quartz;

namespace FollowUpBot.Scheduling.Tests;

/// <summary>Many members recording and deleting at once: every nudge within the scheduling horizon still ends with exactly
/// the trigger its row asks for, and none beyond it holds one.</summary>
public sealed class ConcurrentSchedulingTests
{
    private const string Interview =
        "/interview done company:\"{0}\" role:Dev interviewers:\"Ana Ruiz, Ben Ode\" format:onsite decision-date:2026-12-11 " +
        "follow-up-invited:no references:\"Kim Lee\"";

    private static async Task<IReadOnlyList<OutboundAction>> SayAsync(TestBot bot, string line, MemberContext from)
    {
        Assert.True(CommandText.TryParse(line, from, out var command, out var error), error);
        return await bot.Get<IConversationEngine>().HandleAsync(command!, CancellationToken.None);
    }

    [Fact]
    public async Task ConcurrentCommandsAndDeletionsLeaveEveryPendingNudgeInTheWindowWithExactlyOneTrigger()
    {
        await using var bot = new TestBot(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero));
        await bot.StartAsync();
        var members = Enumerable.Range(0, 8)
            .Select(i => new MemberContext(new MemberKey(TestBot.PlatformName, "w1", $"m{i}"), "Europe/Berlin", $"Member {i}"))
            .ToList();

        // Each member records two interviews; half of them then delete all their data while the others are still recording.
        await Task.WhenAll(members.Select((member, i) => Task.Run(async () =>
        {
            await SayAsync(bot, string.Format(Interview, $"Acme {i}"), member);
            await SayAsync(bot, string.Format(Interview, $"Initech {i}"), member);
            if (i % 2 == 0)
            {
                var ask = Assert.IsType<Reply>(Assert.Single(await SayAsync(bot, "/followup delete-my-data", member)));
                await bot.Get<IConversationEngine>().HandleAsync(new ButtonPressed(member, ask.Message.Buttons[0].Id), CancellationToken.None);
            }
        })));
        await bot.SettledAsync();

        var scheduler = await bot.Get<ISchedulerFactory>().GetScheduler();
        var triggers = (await scheduler.GetTriggersOfJob(NudgeJob.Key))
            .Where(t => QuartzNudgeScheduler.NudgeIdOf(t.Key) is not null)
            .ToDictionary(t => QuartzNudgeScheduler.NudgeIdOf(t.Key)!.Value);
        var pending = await bot.Get<INudgeRepository>().ListByStateAsync([NudgeState.Pending, NudgeState.Snoozed], CancellationToken.None);
        Assert.Equal(4 * 2, pending.Select(n => n.InterviewId).Distinct().Count());
        var edge = bot.Clock.GetUtcNow() + new SchedulingOptions().Horizon;
        Assert.Contains(pending, n => n.DueAt > edge);
        pending = pending.Where(n => n.DueAt <= edge).ToList();
        foreach (var nudge in pending)
        {
            Assert.True(triggers.TryGetValue(nudge.Id, out var trigger), $"Nudge {nudge.Id} has no trigger.");
            Assert.Equal(nudge.DueAt, trigger!.StartTimeUtc);
        }
        Assert.Equal(pending.Select(n => n.Id).Order(), triggers.Keys.Order());
        using (var connection = bot.OpenRaw())
            Assert.Equal(4 * 2, connection.ExecuteScalar<int>("SELECT COUNT(*) FROM interviews"));

        // Nothing for the reconciler to repair.
        var report = await bot.Get<NudgeReconciler>().ReconcileAsync(CancellationToken.None);
        Assert.Equal((0, 0), (report.TriggersAdded, report.TriggersRemoved));
    }
}
