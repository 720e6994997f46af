using System.Text.RegularExpressions;

namespace FollowUpBot.Host.Tests;

/// <summary>Cohorts, digests and members' data end to end through <c>followupbot console</c> on a real SQLite file.</summary>
public sealed partial class CohortConsoleTranscripts : IDisposable
{
    private readonly TempFolder _folder = new();

    private string Database => _folder.File("followupbot.db");

    [GeneratedRegex(@"Its join code is \*([A-Z0-9]{6})\*")]
    private static partial Regex JoinCode();

    [GeneratedRegex(@"\(file saved: (.+)\)")]
    private static partial Regex SavedFile();

    [GeneratedRegex(@"\(image saved: (.+)\)")]
    private static partial Regex SavedImage();

    private async Task<ProgramRun> RunAsync(bool coach, params Func<Transcript, string>[] lines)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var input = new ScriptedInput(output, lines);
        var terminal = new HostTerminal(input, TextWriter.Synchronized(output), TextWriter.Synchronized(error), IsInteractive: false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string[] args = ["console", "--db", Database, "--now", "2026-12-04T16:30", "--time-zone", "America/New_York", .. coach ? new[] { "--coach" } : []];
        var code = await BotCommandLine.InvokeAsync(args, terminal, timeout.Token);
        var run = new ProgramRun(code, output.ToString(), error.ToString());
        _ = new Transcript(run.Out).Nudges; // checks the output grammar: no stray '[' lines
        return run;
    }

    private static Func<Transcript, string> Line(string text) => _ => text;

    private static Func<Transcript, string> Press(string label) =>
        t => "/press " + Regex.Matches(t.Output, $@"^  /press (\S+)  {Regex.Escape(label)}$", RegexOptions.Multiline)[^1].Groups[1].Value;

    [Fact]
    public async Task CoachCreatesCohortMemberJoinsStatusTableExportAndMondayDigest()
    {
        var run = await RunAsync(coach: true,
            Line("/cohort create name:\"Fall 2026\" channel:#career-room"),
            Line(ConsoleTranscripts.InterviewDone),
            t => $"/cohort join code:{JoinCode().Match(t.Output).Groups[1].Value}",
            Press("Plus companies"),
            Line("/cohort status"),
            Line("/followup export"),
            Line("/wait 3d"),
            Line("/quit"));

        Assert.Equal(0, run.ExitCode);
        var output = run.Out;
        Assert.Contains("You joined *Fall 2026*. Its coaches see status plus company names", output);
        // The status as an aligned table, at the level chosen: the company shows, the role does not.
        Assert.Matches(@"(?m)^  Member\s+In progress\s+Thank-yous overdue\s+Follow-ups due\s+Days quiet\s+Interviews\s+Last outcome$", output);
        Assert.Matches(@"(?m)^  \S+\s+1\s+0\s+0\s+0\s+Acme\s+—$", output);
        var statusPart = output[output.IndexOf("Fall 2026: status", StringComparison.Ordinal)..output.IndexOf("(file saved", StringComparison.Ordinal)];
        Assert.DoesNotContain("Backend Engineer", statusPart);

        var path = SavedFile().Match(output).Groups[1].Value;
        Assert.True(File.Exists(path), path);
        Assert.StartsWith(Path.Combine(_folder.Path, "exports"), path);
        var json = await File.ReadAllTextAsync(path);
        Assert.Contains("\"company\": \"Acme\"", json);
        Assert.Contains("\"visibility\": \"companies\"", json);

        // Monday 7 December 09:00 in New York: the digest goes to the coach channel.
        Assert.Contains("(posted to channel career-room)", output);
        Assert.Contains("*Fall 2026: digest, Mon 7 Dec 2026*", output);
        Assert.Contains("Where the applications stand", output);
        // Its chart, saved beside the database, its path printed.
        var chart = SavedImage().Match(output).Groups[1].Value;
        Assert.Equal(Path.Combine(_folder.Path, "fall-2026-2026-12-07.png"), chart);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await File.ReadAllBytesAsync(chart))[..4]);
    }

    [Fact]
    public async Task TheConsoleHasNoWebViewAndSaysSoInsteadOfHandingOutALink()
    {
        var run = await RunAsync(coach: true,
            Line("/cohort create name:\"Fall 2026\" channel:#career-room"),
            Line("/cohort dashboard"),
            Line("/quit"));

        Assert.Contains("This bot has no web view", run.Out);
        Assert.DoesNotContain("/dashboard/login", run.Out);
    }

    [Fact]
    public async Task WithoutCoachFlagCoachCommandsAreRefusedAndDeleteAsksThenRemovesEverything()
    {
        var run = await RunAsync(coach: false,
            Line("/cohort create name:\"Fall 2026\" channel:#career-room"),
            Line("/cohort status"),
            Line(ConsoleTranscripts.InterviewDone),
            Line("/followup delete-my-data"),
            Press("Yes, delete all my data"),
            Line("/interview list"),
            Line("/quit"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Only coaches can use /cohort create.", run.Out);
        Assert.Contains("Only coaches can use /cohort status.", run.Out);
        Assert.Contains("Delete everything I store about you: your settings, 1 interview with all their nudges and notes, 0 cohort memberships?", run.Out);
        Assert.Matches(@"Deleted your settings, 1 interview, \d+ nudges \(none will be sent\), 0 cohort memberships\.", run.Out);
        Assert.Contains("You have no open interviews. Record one with /interview done.", run.Out);
    }

    public void Dispose() => _folder.Dispose();
}
