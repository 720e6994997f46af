using System.CommandLine;
using System.CommandLine.Invocation;
using Microsoft.Extensions.Options;

namespace FollowUpBot.Host;

/// <summary>
/// The command line: <c>run</c> (the default), <c>console</c> and <c>plan</c>, with a global <c>--config DIR</c>.
/// Anything the person starting the bot got wrong ends as one line on stderr and exit code 2.
/// </summary>
public static class BotCommandLine
{
    public static readonly Option<string?> Config = new("--config")
    {
        Description = "The bot-config folder (appsettings.json, playbook.json). Default: bot-config beside the executable.",
        HelpName = "DIR",
        Recursive = true,
    };

    public static async Task<int> InvokeAsync(string[] args, HostTerminal terminal, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("FollowUpBot: nudges job seekers through what to do after an interview.")
        {
            Config,
            RunCommand.Create(terminal),
            ConsoleCommand.Create(terminal),
            PlanCommand.Create(terminal),
        };
        root.SetAction(Guarded(terminal, RunCommand.RunAsync(terminal)));

        var parsed = root.Parse(args);
        if (parsed.Action is ParseErrorAction && parsed.Errors.Count > 0)
        {
            terminal.Error.WriteLine($"{parsed.Errors[0].Message} (see --help)");
            return StartupProblem.ExitCode;
        }
        var invocation = new InvocationConfiguration { Output = terminal.Out, Error = terminal.Error };
        return await parsed.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>Turns startup problems and invalid options into one line on stderr and exit code 2.</summary>
    internal static Func<ParseResult, CancellationToken, Task<int>> Guarded(
        HostTerminal terminal, Func<ParseResult, CancellationToken, Task<int>> action) =>
        async (parsed, cancellationToken) =>
        {
            try
            {
                return await action(parsed, cancellationToken);
            }
            catch (StartupProblem problem)
            {
                terminal.Error.WriteLine(problem.Message);
                return StartupProblem.ExitCode;
            }
            catch (Exception e) when (InvalidOptions(e) is { } message)
            {
                terminal.Error.WriteLine($"Configuration problem: {message}");
                return StartupProblem.ExitCode;
            }
        };

    private static string? InvalidOptions(Exception e) => e switch
    {
        OptionsValidationException invalid => BotConfigFolder.OneLine(string.Join(" ", invalid.Failures)),
        AggregateException { InnerExceptions: var inner } when inner.All(i => i is OptionsValidationException) =>
            BotConfigFolder.OneLine(string.Join(" ", inner.SelectMany(i => ((OptionsValidationException)i).Failures))),
        _ => null,
    };
}
