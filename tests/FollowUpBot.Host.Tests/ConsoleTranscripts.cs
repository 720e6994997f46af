namespace FollowUpBot.Host.Tests;

/// <summary>Runs <c>followupbot console</c> in-process over a real SQLite file in a temp folder.</summary>
public sealed class ConsoleTranscripts : IDisposable
{
    private readonly TempFolder _folder = new();

    public string Database => _folder.File("followupbot.db");

    public const string Zone = "America/New_York";

    public const string InterviewDone =
        "/interview done company:\"Acme\" role:\"Backend Engineer\" interviewers:\"Ana Ruiz, Ben Ode\" format:onsite "
        + "decision-date:2026-12-08 follow-up-invited:no references:\"Kim Lee\"";

    public Task<(ProgramRun Run, Transcript Transcript)> RunAsync(string now, params Func<Transcript, string>[] lines) =>
        RunInZoneAsync(Zone, now, lines);

    public async Task<(ProgramRun Run, Transcript Transcript)> RunInZoneAsync(string zone, string now, params Func<Transcript, string>[] lines)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var input = new ScriptedInput(output, lines);
        var terminal = new HostTerminal(input, TextWriter.Synchronized(output), TextWriter.Synchronized(error), IsInteractive: false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var code = await BotCommandLine.InvokeAsync(["console", "--db", Database, "--now", now, "--time-zone", zone], terminal, timeout.Token);
        var run = new ProgramRun(code, output.ToString(), error.ToString());
        var transcript = new Transcript(run.Out);
        _ = transcript.Nudges; // checks the output grammar
        return (run, transcript);
    }

    public static Func<Transcript, string> Line(string text) => _ => text;

    public void Dispose() => _folder.Dispose();
}
