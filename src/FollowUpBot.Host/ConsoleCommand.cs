using System.CommandLine;
using System.Text;
using FollowUpBot.Core.Input;
using FollowUpBot.Core.Time;
using FollowUpBot.Hosting;
using FollowUpBot.Platforms.Console;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FollowUpBot.Host;

/// <summary>What <c>followupbot console</c> was asked for, checked: a database file, a clock, a time zone.</summary>
public sealed record ConsoleSettings(string DatabasePath, SimulatedClock? Clock, TimeZoneInfo? TimeZone, bool Coach = false)
{
    public const string DefaultDatabase = "data/followupbot.db";
}

/// <summary><c>followupbot console</c>: a terminal chat with one member, on the real or a simulated clock.</summary>
public static class ConsoleCommand
{
    private static readonly Option<string> Db = new("--db")
    {
        Description = $"The SQLite database file, created if missing. Default: {ConsoleSettings.DefaultDatabase} in the current folder.",
        HelpName = "FILE",
        DefaultValueFactory = _ => ConsoleSettings.DefaultDatabase,
    };

    private static readonly Option<string?> Now = new("--now")
    {
        Description = "Run on a simulated clock starting at this time: local time in --time-zone unless it carries an offset, "
            + "e.g. 2026-12-04T16:30. It stands still between commands; /wait 2d moves it. Default: the real clock.",
        HelpName = "TIME",
    };

    private static readonly Option<string?> Zone = new("--time-zone")
    {
        Description = "Your IANA time zone, e.g. America/New_York; stored as yours. Default: the one stored, else this computer's.",
        HelpName = "ZONE",
    };

    private static readonly Option<bool> Coach = new("--coach")
    {
        Description = "Chat as a career coach: the /cohort create, status and digest commands are allowed. Exports are saved "
            + "in an 'exports' folder beside the database.",
    };

    public static Command Create(HostTerminal terminal, IReadOnlyList<IPlatformModule> platforms)
    {
        var command = new Command("console", "Chat with the bot in this terminal (lines from stdin, typed or piped; EOF or /quit ends).")
        {
            Db, Now, Zone, Coach,
        };
        command.SetAction(BotCommandLine.Guarded(terminal, async (parsed, cancellationToken) =>
        {
            var config = BotConfigFolder.Resolve(parsed.GetValue(BotCommandLine.Config));
            var settings = Check(parsed.GetValue(Db), parsed.GetValue(Now), parsed.GetValue(Zone)) with { Coach = parsed.GetValue(Coach) };
            return await ChatAsync(terminal, config, settings, platforms, cancellationToken);
        }));
        return command;
    }

    /// <summary>Validates the options; a bad one is a <see cref="StartupProblem"/> naming it.</summary>
    public static ConsoleSettings Check(string? db, string? now, string? zoneId)
    {
        TimeZoneInfo? zone = null;
        if (zoneId is not null && !ZonedTime.TryFindZone(zoneId, out zone))
            throw new StartupProblem($"--time-zone: '{zoneId}' is not an IANA time zone; write one like America/New_York or Europe/Berlin.");

        SimulatedClock? clock = null;
        if (now is not null)
        {
            var frame = zone ?? TimeZoneInfo.Local;
            if (!LocalTimeText.TryParse(now, frame, out var start))
                throw new StartupProblem($"--now: '{now}' is not a date and time; write it like {LocalTimeText.Example}.");
            clock = new SimulatedClock(start, frame);
        }

        return new ConsoleSettings(CheckDatabase(string.IsNullOrWhiteSpace(db) ? ConsoleSettings.DefaultDatabase : db), clock, zone);
    }

    private static string CheckDatabase(string db)
    {
        string path;
        try
        {
            path = Path.GetFullPath(db.Trim());
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new StartupProblem($"--db: '{db}' is not a usable file name.");
        }
        if (Directory.Exists(path))
            throw new StartupProblem($"--db: {path} is a folder; give a database file such as {ConsoleSettings.DefaultDatabase}.");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            var header = new byte[16];
            var read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            // An empty file is a new database to SQLite; anything else must carry SQLite's header.
            if (read > 0 && Encoding.ASCII.GetString(header, 0, read) != "SQLite format 3\0")
                throw new StartupProblem($"--db: {path} is not a SQLite database.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupProblem($"--db: cannot open {path} for writing ({BotConfigFolder.OneLine(e.Message)}).");
        }
        return path;
    }

    /// <summary>Starts the bot with the console as its only platform and chats until /quit or EOF.</summary>
    /// <param name="platforms">The platforms the process knows, only so their settings are checked as in <c>run</c>.</param>
    public static async Task<int> ChatAsync(HostTerminal terminal, BotConfigFolder config, ConsoleSettings settings,
        IReadOnlyList<IPlatformModule> platforms, CancellationToken cancellationToken)
    {
        var playbook = config.LoadPlaybook();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var database = new SqliteConnectionStringBuilder { DataSource = settings.DatabasePath }.ToString();
        var terminalPlatform = new ConsoleTerminal(terminal.In, terminal.Out, terminal.IsInteractive, settings.TimeZone?.Id)
        {
            IsCoach = settings.Coach,
            FileFolder = Path.Combine(Path.GetDirectoryName(settings.DatabasePath)!, "exports"),
            OutboxPath = settings.DatabasePath + ".outbox",
            ChannelFileFolder = Path.GetDirectoryName(settings.DatabasePath)!,
        };
        builder.AddBotProcess(config, new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = database,
                // The console serves no web pages: /cohort dashboard says the web view is off rather than hand out a dead link.
                ["Dashboard:PublicUrl"] = "",
                // One member's nudges, on a clock that jumps: every nudge holds its trigger, so /wait stops at each on
                // time (a nudge admitted only when the horizon job runs would wait for Quartz's misfire scan, in real time).
                ["Scheduling:Horizon"] = "3650.00:00:00",
            }, platforms);
        builder.AddFollowUpBot(new BotSetup(playbook)
        {
            // The real scheduler runs on this clock: time moves only when the member types /wait.
            Clock = settings.Clock,
            // The console is the only platform, whatever else is configured.
            Services = services => services.AddConsolePlatform(terminalPlatform),
        });

        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            await host.Services.GetRequiredService<ConsoleChat>().RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM: leave as quietly as EOF does. Deliveries in flight finish during the stop (within
            // 5 s) or stay claimed, and the next start resumes them as possible repeats.
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
        return 0;
    }
}
