using FollowUpBot.Host;

namespace FollowUpBot.Host.Tests;

/// <summary>What one in-process run of the program printed and returned.</summary>
public sealed record ProgramRun(int ExitCode, string Out, string Error)
{
    public string[] OutLines => Out.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();

    public string[] ErrorLines => Error.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
}

/// <summary>Runs <c>followupbot</c> in-process, with stdin, stdout and stderr as strings.</summary>
public static class Followupbot
{
    public static async Task<ProgramRun> RunAsync(string stdin, bool interactive, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var terminal = new HostTerminal(new StringReader(stdin), TextWriter.Synchronized(output), TextWriter.Synchronized(error), interactive);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var code = await BotCommandLine.InvokeAsync(args, terminal, timeout.Token);
        return new ProgramRun(code, output.ToString(), error.ToString());
    }

    public static Task<ProgramRun> RunAsync(params string[] args) => RunAsync("", interactive: false, args);
}
