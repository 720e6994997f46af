using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using FollowUpBot.Core.Conversations;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Ports;
using FollowUpBot.Core.Time;
using FollowUpBot.Host;
using FollowUpBot.Hosting;
using FollowUpBot.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FollowUpBot.Testing.Dashboard;

/// <summary>
/// The bot's web host as <c>followupbot run</c> builds it with the web view on (AddBotProcess, AddFollowUpBot and UseCoachDashboard),
/// on a SQLite file, a simulated clock and a real Kestrel port on 127.0.0.1. Coaches and members act through the
/// engine, as a chat platform would hand it their commands.
/// </summary>
public sealed partial class DashboardSite : IAsyncDisposable
{
    /// <summary>Monday 7 December 2026, 10:00 UTC.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    public static readonly MemberContext Coach = new(new MemberKey("test", "w1", "coach"), "Europe/Berlin", "Cleo Coach", IsCoach: true);
    public static readonly MemberContext OtherCoach = new(new MemberKey("test", "w1", "coach2"), "Europe/Berlin", "Dev Coach", IsCoach: true);

    private readonly TempDatabase _database;
    private readonly WebApplication _app;

    private DashboardSite(TempDatabase database, WebApplication app, SimulatedClock clock, CapturedLogs logs, Uri address)
    {
        _database = database;
        _app = app;
        Clock = clock;
        Logs = logs;
        Address = address;
    }

    public SimulatedClock Clock { get; }

    public CapturedLogs Logs { get; }

    /// <summary>Where the site listens (also its Dashboard:PublicUrl unless the test gave another).</summary>
    public Uri Address { get; }

    public string DatabaseFolder => _database.Folder;

    public T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <param name="settings">Configuration entries over the test's own (another database, say).</param>
    /// <param name="services">Test-only services (a chat platform the digests go to, say).</param>
    public static async Task<DashboardSite> StartAsync(string? publicUrl = null, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var database = new TempDatabase();
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var clock = new SimulatedClock(T0);
        var logs = new CapturedLogs();
        var overrides = new Dictionary<string, string?>(database.Settings)
        {
            ["Dashboard:PublicUrl"] = publicUrl ?? address.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) overrides[key] = value;

        var config = BotConfigFolder.Resolve(null);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = database.Folder });
        builder.AddBotProcess(config, overrides).AddFollowUpBot(new BotSetup(config.LoadPlaybook()) { Clock = clock });
        // Every line at every level, whatever the configuration says, for the tests that look for tokens in logs.
        builder.Logging.AddProvider(logs).AddFilter<CapturedLogs>(null, LogLevel.Trace);
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseUrls(address.ToString());
        builder.Services.AddRoutingCore();
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseCoachDashboard();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.StartAsync(timeout.Token);
        return new DashboardSite(database, app, clock, logs, address);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // ---- acting through the engine

    public async Task<string> SayAsync(MemberContext from, string line)
    {
        Assert.True(CommandText.TryParse(line, from, out var command, out var error), error);
        return Text(await Get<IConversationEngine>().HandleAsync(command!, CancellationToken.None));
    }

    public async Task<string> PressAsync(MemberContext from, string buttonId) =>
        Text(await Get<IConversationEngine>().HandleAsync(new ButtonPressed(from, buttonId), CancellationToken.None));

    private static string Text(IReadOnlyList<OutboundAction> actions) => string.Join("\n", actions.Select(a => a switch
    {
        Reply r => r.Message.Text,
        UpdateMessage u => u.Message.Text,
        _ => "",
    }));

    [GeneratedRegex(@"Its join code is \*([A-Z0-9]{6})\*")]
    private static partial Regex JoinCode();

    [GeneratedRegex(@"(https?://\S+/dashboard/login#[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();

    /// <summary>Creates a cohort for <paramref name="coach"/> and returns it.</summary>
    public async Task<Cohort> CreateCohortAsync(MemberContext coach, string name = "Fall 2026")
    {
        var answer = await SayAsync(coach, $"/cohort create name:\"{name}\" channel:#career-room time-zone:Europe/Berlin");
        var code = JoinCode().Match(answer).Groups[1].Value;
        return (await Get<ICohortRepository>().FindByJoinCodeAsync(code, CancellationToken.None))!;
    }

    /// <summary>A member with one interview (Acme, "Backend Engineer", decision Thursday) who joins at <paramref name="level"/>.</summary>
    public async Task<MemberContext> MemberJoinsAsync(Cohort cohort, string name, string level, string company = "Acme", bool interview = true)
    {
        var member = new MemberContext(new MemberKey("test", "w1", name.ToLowerInvariant()), "Europe/Berlin", name);
        if (interview)
            await SayAsync(member, $"/interview done company:\"{company}\" role:\"Backend Engineer\" interviewers:\"Kim Lee\" format:video " +
                               $"decision-date:2026-12-10 follow-up-invited:no references:none ended:09:30 notes:\"{SampleCohort.SecretNotes}\"");
        await PressAsync(member, $"cohort:join:{cohort.JoinCode}:{level}");
        return member;
    }

    /// <summary>The one-time link <c>/cohort dashboard</c> gives <paramref name="coach"/>.</summary>
    public async Task<Uri> LinkAsync(MemberContext? coach = null)
    {
        var answer = await SayAsync(coach ?? Coach, "/cohort dashboard");
        var match = LinkPattern().Match(answer);
        Assert.True(match.Success, answer);
        return new Uri(match.Groups[1].Value);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
            _database.Dispose();
        }
    }
}
