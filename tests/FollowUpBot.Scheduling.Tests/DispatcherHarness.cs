using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Ports;
using FollowUpBot.Core.Time;
using FollowUpBot.Hosting;
using FollowUpBot.Storage.Migrations;
using FollowUpBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FollowUpBot.Scheduling.Tests;

/// <summary>The dispatcher over real SQLite repositories, with a recording scheduler instead of Quartz.</summary>
internal sealed class DispatcherHarness : IAsyncDisposable
{
    private readonly TempDatabase _database = new();
    private readonly ServiceProvider _services;

    private DispatcherHarness(DateTimeOffset now, IDictionary<string, string?>? settings)
    {
        Clock = new SimulatedClock(now);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(_database.Settings)
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        // The bot's composition without a host: nothing starts, and the recording scheduler stands in for Quartz's.
        services.AddFollowUpBot(configuration, new BotSetup(TestBot.Playbook)
        {
            Clock = Clock,
            Services = s => s.AddSingleton<IChatPlatform>(Platform).AddSingleton<INudgeScheduler>(Scheduler),
        });
        _services = services.BuildServiceProvider();
    }

    public SimulatedClock Clock { get; }
    public RecordingChatPlatform Platform { get; } = new(TestBot.PlatformName);
    public RecordingNudgeScheduler Scheduler { get; } = new();
    public NudgeDispatcher Dispatcher => _services.GetRequiredService<NudgeDispatcher>();
    public INudgeRepository Nudges => _services.GetRequiredService<INudgeRepository>();
    public IInterviewRepository Interviews => _services.GetRequiredService<IInterviewRepository>();
    public IMemberRepository Members => _services.GetRequiredService<IMemberRepository>();

    public static async Task<DispatcherHarness> CreateAsync(DateTimeOffset now, IDictionary<string, string?>? settings = null)
    {
        var harness = new DispatcherHarness(now, settings);
        await harness._services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        return harness;
    }

    public async Task<(Member Member, Interview Interview, Nudge Nudge)> AddNudgeAsync(NudgeKind kind, DateTimeOffset dueAt,
        string timeZone = "UTC")
    {
        var now = Clock.GetUtcNow();
        var member = await Members.FindAsync(new MemberKey(TestBot.PlatformName, "w1", "u1"), CancellationToken.None)
            ?? await Members.SaveAsync(new Member(0, new MemberKey(TestBot.PlatformName, "w1", "u1"), timeZone,
                QuietHours.Default, true, now, now), CancellationToken.None);
        var (interview, nudges) = await Interviews.AddAsync(
            new Interview(0, member.Id, 0, "Acme", "Backend Engineer", ["Ana Ruiz"], InterviewFormat.Video, now, null, false,
                ["Kim Lee"], null, now),
            [new Nudge(0, 0, 0, kind, dueAt, kind == NudgeKind.ThankYou ? "Ana Ruiz" : null, 0, NudgeState.Pending)],
            CancellationToken.None);
        return (member, interview, nudges[0]);
    }

    public async Task<Nudge> NudgeAsync(long id) => (await Nudges.GetAsync(id, CancellationToken.None))!;

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _database.Dispose();
    }
}
