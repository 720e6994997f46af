using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Playbooks;
using FollowUpBot.Core.Ports;
using FollowUpBot.Core.Time;
using FollowUpBot.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Testing;

/// <summary>
/// The whole bot on one chat platform, composed by <c>AddFollowUpBot</c> as <c>followupbot run</c> composes it: the real
/// engine and shipped playbook, SQLite in a temp folder, Quartz on a simulated clock. Each platform's harness adds its
/// fake and the way a member talks to it.
/// </summary>
public abstract class BotUnderTest(IHost host, SimulatedClock clock, TempDatabase database, CapturedLogs logs) : IAsyncDisposable
{
    public static readonly Playbook Playbook = ShippedPlaybook.Instance;

    public IHost Host { get; } = host;

    public SimulatedClock Clock { get; } = clock;

    public TempDatabase Database { get; } = database;

    public CapturedLogs Logs { get; } = logs;

    public T Get<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    /// <summary>The platform's identity of a member of the fake's workspace.</summary>
    protected abstract MemberKey KeyOf(string userId);

    public Task<Member?> MemberAsync(string userId) => Get<IMemberRepository>().FindAsync(KeyOf(userId), CancellationToken.None);

    public async Task<IReadOnlyList<Interview>> InterviewsAsync(string userId) =>
        await MemberAsync(userId) is { } member
            ? await Get<IInterviewRepository>().ListAsync(member.Id, openOnly: false, CancellationToken.None)
            : [];

    /// <summary>
    /// The bot as <c>followupbot run</c> composes it with <paramref name="platform"/> only, configured by
    /// <paramref name="settings"/> alone (no environment, no appsettings file); <paramref name="services"/> adds
    /// test-only pieces (a cluster node's HTTP handler, an exit code recorder).
    /// </summary>
    public static IHost BuildHost(IEnumerable<KeyValuePair<string, string?>> settings, TimeProvider clock, string contentRoot,
        CapturedLogs logs, LogLevel level, IPlatformModule platform, Action<IServiceCollection>? services = null)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = contentRoot,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(level).AddProvider(logs);
        builder.AddFollowUpBot(new BotSetup(Playbook) { Clock = clock, Platforms = [platform], Services = services });
        return builder.Build();
    }

    /// <summary>Stops the platform's fake after the bot.</summary>
    protected abstract ValueTask DisposeFakeAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await Host.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }
        Host.Dispose();
        await DisposeFakeAsync();
        Database.Dispose();
        GC.SuppressFinalize(this);
    }
}
