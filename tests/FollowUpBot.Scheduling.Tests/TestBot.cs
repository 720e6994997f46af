using Dapper;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Playbooks;
using FollowUpBot.Core.Ports;
using FollowUpBot.Core.Time;
using FollowUpBot.Hosting;
using FollowUpBot.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace FollowUpBot.Scheduling.Tests;

/// <summary>
/// The bot's real composition (Core + Storage + Scheduling in a generic host) over one database file, with a
/// simulated clock and a recording platform. A "restart" disposes the host and builds another over the same file.
/// </summary>
internal sealed class TestBot : IAsyncDisposable
{
    public const string PlatformName = "test";

    public static readonly Playbook Playbook = ShippedPlaybook.Instance;

    private readonly Dictionary<string, string?> _settings;
    private IHost? _host;

    public TestBot(DateTimeOffset start, IDictionary<string, string?>? settings = null)
    {
        Clock = new SimulatedClock(start);
        _settings = new Dictionary<string, string?>(Database.Settings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;
    }

    public TempDatabase Database { get; } = new();

    public SimulatedClock Clock { get; private set; }

    public RecordingChatPlatform Platform { get; private set; } = new(PlatformName);

    public IHost Host => _host ?? throw new InvalidOperationException("The bot is not running.");

    public IServiceProvider Services => Host.Services;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Builds and starts a host (migration and the start-up reconciliation run inside StartAsync).</summary>
    public async Task StartAsync()
    {
        if (_host is not null) throw new InvalidOperationException("Already running.");
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = Database.Folder,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(_settings);
        builder.Logging.ClearProviders();
        var platform = Platform;
        builder.AddFollowUpBot(new BotSetup(Playbook) { Clock = Clock, Services = services => services.AddSingleton<IChatPlatform>(platform) });
        _host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StartAsync(timeout.Token);
        await SchedulerRunningAsync(timeout.Token);
    }

    /// <summary>
    /// Quartz's hosted service may start the scheduler a moment after the host's StartAsync returns; a test begins
    /// once it runs, known from Quartz's own SchedulerStarted notice (or its status, when it came before the listener).
    /// </summary>
    private async Task SchedulerRunningAsync(CancellationToken cancellationToken)
    {
        var scheduler = await Get<ISchedulerFactory>().GetScheduler(cancellationToken);
        var started = new StartedListener();
        scheduler.ListenerManager.AddSchedulerListener(started);
        try
        {
            if (scheduler.Status != SchedulerStatus.Running) await started.Started.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            scheduler.ListenerManager.RemoveSchedulerListener(started.Name);
        }
    }

    private sealed class StartedListener : ISchedulerListener
    {
        public string Name => "test-bot-started";

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask SchedulerStarted(IScheduler scheduler, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A clean shutdown; the next <see cref="StartAsync"/> is a new process as far as the bot can tell.</summary>
    public async Task StopAsync()
    {
        if (_host is null) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(timeout.Token);
        _host.Dispose();
        _host = null;
    }

    /// <summary>Restarts at <paramref name="now"/> with a fresh clock and platform, as a new process would.</summary>
    public async Task RestartAsync(DateTimeOffset now)
    {
        await StopAsync();
        Clock = new SimulatedClock(now);
        Platform = new RecordingChatPlatform(PlatformName);
        await StartAsync();
    }

    public async Task<Member> AddMemberAsync(string timeZone = "UTC", QuietHours? quietHours = null) =>
        await Get<IMemberRepository>().SaveAsync(new Member(0, new MemberKey(PlatformName, "w1", "u1"), timeZone,
            quietHours ?? QuietHours.Default, true, Clock.GetUtcNow(), Clock.GetUtcNow()), CancellationToken.None);

    /// <summary>Stores an interview with these nudges and schedules them, as the engine does.</summary>
    public async Task<IReadOnlyList<Nudge>> AddNudgesAsync(Member member, params (NudgeKind Kind, DateTimeOffset DueAt)[] nudges)
    {
        var now = Clock.GetUtcNow();
        var interview = new Interview(0, member.Id, 0, "Acme", "Backend Engineer", ["Ana Ruiz"], InterviewFormat.Video,
            now, null, false, [], null, now);
        var (_, stored) = await Get<IInterviewRepository>().AddAsync(interview,
            nudges.Select(n => new Nudge(0, 0, 0, n.Kind, n.DueAt, n.Kind == NudgeKind.ThankYou ? "Ana Ruiz" : null, 0, NudgeState.Pending)).ToList(),
            CancellationToken.None);
        await Get<INudgeScheduler>().ScheduleAsync(stored, CancellationToken.None);
        await FlushTriggersAsync();
        return stored;
    }

    /// <summary>Waits until the trigger changes queued so far are in the job store (the engine does not wait for them).</summary>
    public Task FlushTriggersAsync() => Get<NudgeTriggerWriter>().FlushAsync(CancellationToken.None);

    public Task<Nudge?> NudgeAsync(long id) => Get<INudgeRepository>().GetAsync(id, CancellationToken.None);

    /// <summary>Reads the file directly, as an operator would; works whether or not the bot runs.</summary>
    public SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(Database.ConnectionString);
        connection.Open();
        return connection;
    }

    public IReadOnlyList<string> NudgeTriggers()
    {
        using var connection = OpenRaw();
        return connection.Query<string>(
            "SELECT TRIGGER_NAME FROM QRTZ_TRIGGERS WHERE TRIGGER_GROUP = 'nudges' ORDER BY TRIGGER_NAME").ToList();
    }

    public NudgeState StateOf(long nudgeId)
    {
        using var connection = OpenRaw();
        return NudgeStates.Parse(connection.ExecuteScalar<string>("SELECT state FROM nudges WHERE id = @nudgeId", new { nudgeId })!);
    }

    /// <summary>
    /// Moves the simulated clock to <paramref name="until"/> one horizon-job run at a time, letting each run finish, as
    /// time would pass in a running process.
    /// </summary>
    public async Task WalkHorizonToAsync(DateTimeOffset until)
    {
        var scheduler = await Get<ISchedulerFactory>().GetScheduler();
        while ((await scheduler.GetTrigger(HorizonJob.TriggerKey))?.NextFireTimeUtc is { } next && next <= until)
        {
            Clock.SetUtcNow(next);
            await EventuallyAsync(() => scheduler.GetTrigger(HorizonJob.TriggerKey).GetAwaiter().GetResult()?.NextFireTimeUtc > next
                                        && !HorizonJobRunning(),
                $"the horizon job has run at {next:O}");
        }
        Clock.SetUtcNow(until);
    }

    private bool HorizonJobRunning()
    {
        using var connection = OpenRaw();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS WHERE TRIGGER_NAME = @name AND TRIGGER_GROUP = @group",
            new { name = HorizonJob.TriggerKey.Name, group = HorizonJob.TriggerKey.Group }) > 0;
    }

    /// <summary>
    /// After a leap of the clock past a trigger's misfire threshold: lets simulated time go on as it would in a real
    /// process (a second every 50 ms) until <paramref name="condition"/> holds, failing after two simulated minutes.
    /// Without it, a misfire scan that was under way during the leap schedules its next look after the leap and waits
    /// for a clock that never moves.
    /// </summary>
    public async Task RunOnUntilAsync(Func<bool> condition, string what)
    {
        var leap = Clock.GetUtcNow();
        while (!condition())
        {
            if (Clock.GetUtcNow() - leap >= TimeSpan.FromMinutes(2))
                throw new TimeoutException($"Not within two simulated minutes of running on: {what}.");
            await Task.Delay(50);
            Clock.Advance(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Polls the database until <paramref name="condition"/> holds; background work has no other signal.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what, int timeoutSeconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(25);
        }
    }

    /// <summary>
    /// Moves the simulated clock to <paramref name="until"/> one trigger time at a time, as the console walks its clock
    /// (<c>ConsoleClock.WaitAsync</c>), and at each stop waits until every trigger due by then has fired and its job has
    /// returned, so everything due fires on time and in order (a leap past a trigger's time would leave it to Quartz's
    /// misfire scan). On return, whatever was due by <paramref name="until"/> has run: the positive signal that shows
    /// nothing else fired, instead of a real-time pause.
    /// </summary>
    public async Task WalkToAsync(DateTimeOffset until)
    {
        while (true)
        {
            var now = Clock.GetUtcNow();
            await FlushTriggersAsync();
            await EventuallyAsync(() => !DueWorkLeft(now), $"the work due by {now:O} has run");
            if (now >= until) return;
            using var connection = OpenRaw();
            var next = connection.ExecuteScalar<long?>("SELECT MIN(NEXT_FIRE_TIME) FROM QRTZ_TRIGGERS WHERE NEXT_FIRE_TIME > @now", new { now = now.UtcTicks });
            Clock.SetUtcNow(next is { } ticks && ticks < until.UtcTicks ? new DateTimeOffset(ticks, TimeSpan.Zero) : until);
        }
    }

    /// <summary>
    /// A trigger (the horizon job's too) due by <paramref name="now"/> and not yet fired, or a firing scheduled by then
    /// not finished. Not <see cref="IScheduledWork.IsIdleAsync"/>: that also counts a trigger Quartz acquired ahead of
    /// its time (it acquires up to the idle wait ahead), which on a clock standing still never fires.
    /// </summary>
    private bool DueWorkLeft(DateTimeOffset now)
    {
        using var connection = OpenRaw();
        return connection.ExecuteScalar<long>("""
            SELECT (SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE NEXT_FIRE_TIME <= @now AND TRIGGER_STATE IN ('WAITING', 'ACQUIRED', 'BLOCKED'))
                 + (SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS WHERE SCHED_TIME <= @now)
            """, new { now = now.UtcTicks }) > 0;
    }

    /// <summary>
    /// Waits until every nudge already due has been delivered (or skipped): those fire in the background, so a
    /// snapshot of triggers taken before this may still list one that is about to go.
    /// </summary>
    public async Task SettledAsync(int timeoutSeconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        await FlushTriggersAsync();
        var repository = Get<INudgeRepository>();
        var scheduler = await Get<ISchedulerFactory>().GetScheduler();
        // A sent nudge's trigger is deleted only after its job returns, so both the rows and the triggers must be done.
        while ((await repository.ListByStateAsync([NudgeState.Pending, NudgeState.Snoozed, NudgeState.Sending], CancellationToken.None))
               .Any(n => n.DueAt <= Clock.GetUtcNow())
               || (await scheduler.GetTriggersOfJob(NudgeJob.Key)).Any(t => t.NextFireTimeUtc is not { } next || next <= Clock.GetUtcNow()))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Timed out waiting for the due nudges to go out.");
            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Database.Dispose();
    }
}
