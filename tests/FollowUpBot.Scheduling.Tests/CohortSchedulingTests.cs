using Dapper;
using FollowUpBot.Core.Cohorts;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Ports;
using Quartz;

namespace FollowUpBot.Scheduling.Tests;

/// <summary>Digest triggers, member data deletion and retention over the real host, Quartz store and SQLite file.</summary>
public sealed class CohortSchedulingTests
{
    private static readonly MemberContext Coach = new(new MemberKey(TestBot.PlatformName, "w1", "coach"), "Europe/Berlin", "Cleo", IsCoach: true);
    private static readonly MemberContext Ana = new(new MemberKey(TestBot.PlatformName, "w1", "ana"), "Europe/Berlin", "Ana");
    private static readonly MemberContext Bob = new(new MemberKey(TestBot.PlatformName, "w1", "bob"), "Europe/Berlin", "Bob");

    private const string Interview =
        "/interview done company:Acme role:Dev interviewers:\"Ana Ruiz\" format:video decision-date:\"not said\" follow-up-invited:no references:none";

    private static async Task<IReadOnlyList<OutboundAction>> SayAsync(TestBot bot, string line, MemberContext from)
    {
        Assert.True(CommandText.TryParse(line, from, out var command, out var error), error);
        return await bot.Get<IConversationEngine>().HandleAsync(command!, CancellationToken.None);
    }

    private static Task<IReadOnlyList<OutboundAction>> PressAsync(TestBot bot, string id, MemberContext from) =>
        bot.Get<IConversationEngine>().HandleAsync(new ButtonPressed(from, id), CancellationToken.None);

    private static async Task<Cohort> CreateCohortAsync(TestBot bot, MemberContext coach, string name = "Fall 2026")
    {
        await SayAsync(bot, $"/cohort create name:\"{name}\" channel:#career-room time-zone:Europe/Berlin", coach);
        return (await bot.Get<ICohortRepository>().ListAllAsync(CancellationToken.None)).Single(c => c.Name == name);
    }

    private static IReadOnlyList<string> DigestTriggers(TestBot bot)
    {
        using var connection = bot.OpenRaw();
        return connection.Query<string>("SELECT TRIGGER_NAME FROM QRTZ_TRIGGERS WHERE TRIGGER_GROUP = 'digests' ORDER BY TRIGGER_NAME").ToList();
    }

    [Fact]
    public async Task DigestIsPostedToTheCoachChannelOnMondayAtNineLocalAcrossTheSpringDstChange()
    {
        // Saturday 27 March 2027; Berlin moves to summer time on Sunday the 28th, so Monday 09:00 is 07:00 UTC.
        // The horizon job runs daily here: the walk below stops at each run, and this test is about digests.
        await using var bot = new TestBot(new DateTimeOffset(2027, 3, 27, 12, 0, 0, TimeSpan.Zero),
            new Dictionary<string, string?> { ["Scheduling:Horizon"] = "3.00:00:00", ["Scheduling:HorizonInterval"] = "1.00:00:00" });
        await bot.StartAsync();
        var cohort = await CreateCohortAsync(bot, Coach);
        await SayAsync(bot, $"/cohort join code:{cohort.JoinCode}", Ana);
        await PressAsync(bot, $"cohort:join:{cohort.JoinCode}:full", Ana);
        Assert.Equal([$"digest-{cohort.Id}"], DigestTriggers(bot));

        // Everything due by a second before has run: a digest trigger wrongly due by then (at 08:00 local on the winter
        // offset, or earlier) would have posted.
        await bot.WalkToAsync(new DateTimeOffset(2027, 3, 29, 6, 59, 59, TimeSpan.Zero));
        Assert.Empty(bot.Platform.ChannelPosts);

        bot.Clock.SetUtcNow(new DateTimeOffset(2027, 3, 29, 7, 0, 0, TimeSpan.Zero));
        await TestBot.EventuallyAsync(() => bot.Platform.ChannelPosts.Count > 0, "the digest is posted");

        var post = Assert.Single(bot.Platform.ChannelPosts);
        Assert.Equal(("w1", "career-room"), (post.Workspace, post.ChannelId));
        Assert.Equal("Fall 2026: digest, Mon 29 Mar 2027", post.Message.Title);
        Assert.Equal("Ana", post.Message.Sections[0].Table!.Rows[0][0]);

        // A second fire of the same scheduled time (a replay after a crash) posts nothing more.
        var again = await bot.Get<CohortDigestService>().RunAsync(cohort.Id, new DateTimeOffset(2027, 3, 29, 7, 0, 0, TimeSpan.Zero), CancellationToken.None);
        Assert.Equal(DigestOutcome.AlreadyRan, again);
        Assert.Single(bot.Platform.ChannelPosts);
        // The run is recorded after its post, in the background: the post alone does not say the record is there yet.
        var repository = bot.Get<ICohortRepository>();
        await TestBot.EventuallyAsync(() => repository.GetAsync(cohort.Id, CancellationToken.None).GetAwaiter().GetResult()!.LastDigestAt is not null,
            "the posted run is the cohort's last digest");
    }

    [Fact]
    public async Task DigestTriggerKeepsLocalTimeThroughBothDstChanges()
    {
        await using var bot = new TestBot(new DateTimeOffset(2027, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await bot.StartAsync();
        var cohort = await CreateCohortAsync(bot, Coach);
        var scheduler = await bot.Get<ISchedulerFactory>().GetScheduler();
        var trigger = Assert.IsAssignableFrom<ICronTrigger>(await scheduler.GetTrigger(QuartzCohortScheduler.TriggerKeyFor(cohort.Id)));
        Assert.Equal("Europe/Berlin", trigger.TimeZone.Id);

        static IEnumerable<DateTimeOffset> FiresAfter(ITrigger t, DateTimeOffset from, int count)
        {
            for (var i = 0; i < count && t.GetFireTimeAfter(from) is { } next; i++) yield return from = next;
        }

        Assert.Equal(
            [new DateTimeOffset(2027, 3, 22, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 3, 29, 7, 0, 0, TimeSpan.Zero)],
            FiresAfter(trigger, new DateTimeOffset(2027, 3, 20, 0, 0, 0, TimeSpan.Zero), 2));
        Assert.Equal(
            [new DateTimeOffset(2027, 10, 25, 7, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 11, 1, 8, 0, 0, TimeSpan.Zero)],
            FiresAfter(trigger, new DateTimeOffset(2027, 10, 23, 0, 0, 0, TimeSpan.Zero), 2));

        // A schedule change replaces the one trigger.
        await SayAsync(bot, "/cohort digest schedule:\"weekdays 17:30\" time-zone:America/New_York", Coach);
        trigger = Assert.IsAssignableFrom<ICronTrigger>(await scheduler.GetTrigger(QuartzCohortScheduler.TriggerKeyFor(cohort.Id)));
        Assert.Equal(("0 30 17 ? * MON,TUE,WED,THU,FRI", "America/New_York"), (trigger.CronExpressionString, trigger.TimeZone.Id));
        Assert.Equal([$"digest-{cohort.Id}"], DigestTriggers(bot));
    }

    [Fact]
    public async Task ReconcilerKeepsExactlyOneDigestTriggerPerCohort()
    {
        await using var bot = new TestBot(new DateTimeOffset(2027, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await bot.StartAsync();
        var cohort = await CreateCohortAsync(bot, Coach);
        var cohortScheduler = bot.Get<ICohortScheduler>();
        await cohortScheduler.UnscheduleDigestsAsync([cohort.Id], CancellationToken.None);
        await cohortScheduler.ScheduleDigestAsync(cohort with { Id = 999 }, CancellationToken.None);
        Assert.Equal(["digest-999"], DigestTriggers(bot));

        var reconciler = bot.Get<DigestReconciler>();
        Assert.Equal((1, 1), await reconciler.ReconcileAsync(CancellationToken.None));
        Assert.Equal([$"digest-{cohort.Id}"], DigestTriggers(bot));
        Assert.Equal((0, 0), await reconciler.ReconcileAsync(CancellationToken.None));

        // A restart finds it in place and adds nothing.
        await bot.RestartAsync(new DateTimeOffset(2027, 3, 1, 13, 0, 0, TimeSpan.Zero));
        Assert.Equal([$"digest-{cohort.Id}"], DigestTriggers(bot));
    }

    [Fact]
    public async Task DeleteMyDataRemovesEveryRowAndTriggerOfTheMemberAndNothingOfOthers()
    {
        await using var bot = new TestBot(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero));
        await bot.StartAsync();
        var anaAsCoach = Ana with { IsCoach = true };
        var anasCohort = await CreateCohortAsync(bot, anaAsCoach, "Ana's mentees");
        var other = await CreateCohortAsync(bot, Coach);
        foreach (var who in new[] { Ana, Bob })
        {
            await SayAsync(bot, Interview, who);
            await SayAsync(bot, $"/cohort join code:{other.JoinCode}", who);
            await PressAsync(bot, $"cohort:join:{other.JoinCode}:status", who);
        }
        var members = bot.Get<IMemberRepository>();
        var ana = (await members.FindAsync(Ana.Key, CancellationToken.None))!;
        var bob = (await members.FindAsync(Bob.Key, CancellationToken.None))!;
        int Count(string sql, long memberId)
        {
            using var c = bot.OpenRaw();
            return c.ExecuteScalar<int>(sql, new { memberId });
        }
        List<string> TriggersOf(long memberId)
        {
            using var c = bot.OpenRaw();
            return c.Query<string>("SELECT 'nudge-' || id FROM nudges WHERE member_id = @memberId", new { memberId })
                .Intersect(bot.NudgeTriggers()).Order().ToList();
        }
        // The debriefs are due at once and fire in the background; what is compared below is the schedule after them.
        await bot.SettledAsync();
        var bobTriggers = TriggersOf(bob.Id);
        Assert.NotEmpty(TriggersOf(ana.Id));
        Assert.NotEmpty(bobTriggers);
        Assert.Equal(2, DigestTriggers(bot).Count);

        var ask = Assert.IsType<Reply>(Assert.Single(await SayAsync(bot, "/followup delete-my-data", Ana)));
        var done = Assert.IsType<UpdateMessage>(Assert.Single(await PressAsync(bot, ask.Message.Buttons[0].Id, Ana)));
        Assert.StartsWith("Deleted your settings, 1 interview", done.Message.Text);
        await bot.FlushTriggersAsync(); // the rows go before the answer; their triggers just after

        Assert.Equal(0, Count("SELECT COUNT(*) FROM members WHERE id = @memberId", ana.Id));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM interviews WHERE member_id = @memberId", ana.Id));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM nudges WHERE member_id = @memberId", ana.Id));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM cohort_memberships WHERE member_id = @memberId", ana.Id));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM cohorts WHERE coach_member_id = @memberId", ana.Id));
        Assert.Equal(bobTriggers, bot.NudgeTriggers().Order().ToList());
        Assert.Equal([$"digest-{other.Id}"], DigestTriggers(bot));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM interviews WHERE member_id = @memberId", bob.Id));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM cohort_memberships WHERE member_id = @memberId", bob.Id));

        // Nothing comes back at the next start: the reconcilers find no row wanting a trigger.
        await bot.RestartAsync(new DateTimeOffset(2026, 12, 4, 10, 5, 0, TimeSpan.Zero));
        Assert.Equal(bobTriggers, bot.NudgeTriggers().Order().ToList());
        Assert.Equal([$"digest-{other.Id}"], DigestTriggers(bot));
        Assert.NotEqual(anasCohort.Id, other.Id);
    }

    [Fact]
    public async Task NightlyRetentionJobRemovesInterviewsClosedLongerThanTheLimit()
    {
        var start = new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
        await using var bot = new TestBot(start, new Dictionary<string, string?> { ["Retention:Days"] = "30", ["Retention:RunAt"] = "03:30" });
        await bot.StartAsync();
        await SayAsync(bot, Interview, Ana);
        await SayAsync(bot, Interview.Replace("Acme", "Initech"), Ana);
        await SayAsync(bot, "/interview outcome id:1 result:rejected", Ana);
        bot.Clock.SetUtcNow(start.AddDays(20));
        await SayAsync(bot, "/interview outcome id:2 result:offer", Ana);
        int Interviews()
        {
            using var c = bot.OpenRaw();
            return c.ExecuteScalar<int>("SELECT COUNT(*) FROM interviews");
        }
        Assert.Equal(2, Interviews());

        // 03:30 UTC on 5 January 2027: #1 closed 32 days ago, #2 only 12. A month's leap: the nightly trigger has
        // misfired and fires from the misfire scan once time runs on.
        bot.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 5, 3, 30, 0, TimeSpan.Zero));
        await bot.RunOnUntilAsync(() => Interviews() == 1, "the retention job ran");
        using var connection = bot.OpenRaw();
        Assert.Equal("Initech", connection.ExecuteScalar<string>("SELECT company FROM interviews"));
    }
}
