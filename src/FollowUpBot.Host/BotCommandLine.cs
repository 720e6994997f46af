using System.CommandLine;
using System.CommandLine.Invocation;
using FollowUpBot.Core;
using FollowUpBot.Hosting;
using FollowUpBot.Storage;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Host;

/// <summary>
/// The command line: <c>run</c> (the default), <c>console</c> and <c>plan</c>, with a global <c>--config DIR</c>.
/// Anything the person starting the bot got wrong ends as one line on stderr and exit code 2; a database or an address
/// that cannot be used at start, as one line and exit code 3; anything else, as one line and exit code 1
/// (<see cref="ExitCodes"/>). No stack trace unless Logging:LogLevel:Default is Debug.
/// </summary>
public static class BotCommandLine
{
    public static readonly Option<string?> Config = new("--config")
    {
        Description = "The bot-config folder (appsettings.json, playbook.json). Default: bot-config beside the executable.",
        HelpName = "DIR",
        Recursive = true,
    };

    /// <param name="platforms">The chat platforms <c>run</c> may start; <see cref="PlatformModules.All"/> unless a test adds one.</param>
    public static async Task<int> InvokeAsync(string[] args, HostTerminal terminal, CancellationToken cancellationToken = default,
        IReadOnlyList<IPlatformModule>? platforms = null)
    {
        platforms ??= PlatformModules.All;
        var root = new RootCommand("FollowUpBot: nudges job seekers through what to do after an interview.")
        {
            Config,
            RunCommand.Create(terminal, platforms),
            ConsoleCommand.Create(terminal, platforms),
            PlanCommand.Create(terminal),
        };
        root.SetAction(Guarded(terminal, RunCommand.RunAsync(terminal, platforms)));

        var parsed = root.Parse(args);
        if (parsed.Action is ParseErrorAction && parsed.Errors.Count > 0)
        {
            terminal.Error.WriteLine($"{parsed.Errors[0].Message} (see --help)");
            return StartupProblem.ExitCode;
        }
        // Ctrl-C and SIGTERM cancel cancellationToken (see Program): the commands stop cleanly themselves, so the
        // command line must not end the process on its own.
        var invocation = new InvocationConfiguration { Output = terminal.Out, Error = terminal.Error, ProcessTerminationTimeout = null };
        return await parsed.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>Turns every failure into one line on stderr and its exit code.</summary>
    internal static Func<ParseResult, CancellationToken, Task<int>> Guarded(
        HostTerminal terminal, Func<ParseResult, CancellationToken, Task<int>> action) =>
        async (parsed, cancellationToken) =>
        {
            try
            {
                return await action(parsed, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var (code, line) = Explain(e);
                terminal.Error.WriteLine(line);
                if (code == ExitCodes.Unexpected && ShowsStacks()) terminal.Error.WriteLine(e.ToString());
                return code;
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or SIGTERM while starting: nothing half-done to report.
                return ExitCodes.Stopped;
            }
        };

    /// <summary>The exit code and the one line for a failure, naming the setting or file and the cause.</summary>
    internal static (int Code, string Line) Explain(Exception e)
    {
        if (e is StartupProblem problem) return (ExitCodes.Configuration, problem.Message);
        if (InvalidOptions(e) is { } message) return (ExitCodes.Configuration, $"Configuration problem: {message}");
        if (e is InvalidOperationException && ConfigurationCheck.Describe(e, EmptyConfiguration) is { } binder)
            return (ExitCodes.Configuration, binder);
        if (Find<DatabaseUnavailableException>(e) is { } database) return (ExitCodes.Unavailable, database.Message);
        if (Find<IOException>(e) is { } io && io.Message.StartsWith("Failed to bind to address", StringComparison.Ordinal))
            return (ExitCodes.Unavailable, $"Host:Urls: cannot listen: {BotConfigFolder.OneLine(io.Message)}"
                + (io.InnerException is { } inner && !io.Message.Contains(inner.Message, StringComparison.Ordinal) ? $" ({inner.Message})" : "")
                + " Choose another port in Host:Urls, or stop what uses it.");
        return (ExitCodes.Unexpected, $"Unexpected failure: {e.GetType().Name}: {BotConfigFolder.OneLine(e.Message)}"
            + (ShowsStacks() ? "" : " (set FOLLOWUPBOT_Logging__LogLevel__Default=Debug to see where)"));
    }

    private static readonly Microsoft.Extensions.Configuration.IConfiguration EmptyConfiguration =
        new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddEnvironmentVariables(BotConfigFolder.EnvironmentPrefix).Build();

    private static bool ShowsStacks() =>
        Enum.TryParse<Microsoft.Extensions.Logging.LogLevel>(EmptyConfiguration["Logging:LogLevel:Default"], true, out var level)
        && level <= Microsoft.Extensions.Logging.LogLevel.Debug;

    private static T? Find<T>(Exception e) where T : Exception
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is T found) return found;
            if (current is AggregateException { InnerExceptions: var all } && all.Select(Find<T>).FirstOrDefault(f => f is not null) is { } nested)
                return nested;
        }
        return null;
    }

    // Each failure once: options that other options are configured from (SchedulingOptions feeds four of Quartz's) are
    // validated by every one of their consumers at start, and each reports the same failure.
    private static string? InvalidOptions(Exception e) => e switch
    {
        OptionsValidationException invalid => BotConfigFolder.OneLine(string.Join(" ", invalid.Failures.Distinct(StringComparer.Ordinal))),
        AggregateException { InnerExceptions: var inner } when inner.All(i => i is OptionsValidationException) =>
            BotConfigFolder.OneLine(string.Join(" ", inner.SelectMany(i => ((OptionsValidationException)i).Failures).Distinct(StringComparer.Ordinal))),
        _ => null,
    };
}
