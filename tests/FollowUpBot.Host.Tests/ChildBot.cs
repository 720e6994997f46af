using System.Diagnostics;
using System.Text;

namespace FollowUpBot.Host.Tests;

/// <summary>
/// The built followupbot as a real child process (signals, kill -9, what stderr really shows), with stdin kept open
/// for writing, stdout and stderr collected as they come.
/// </summary>
public sealed class ChildBot : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();
    private readonly object _gate = new();

    private ChildBot(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_gate) _out.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_gate) _error.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static ChildBot Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "followupbot.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // The child's configuration is what the test gives it, not what this shell happens to export.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("FOLLOWUPBOT_", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        return new ChildBot(Process.Start(start)!);
    }

    public int Id => _process.Id;

    public StreamWriter Input => _process.StandardInput;

    public string Out { get { lock (_gate) return _out.ToString(); } }

    public string Error { get { lock (_gate) return _error.ToString(); } }

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Waits for the exit; false when it did not come within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task WaitUntilAsync(Func<ChildBot, bool> condition, string what, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!condition(this))
        {
            if (watch.Elapsed > timeout) throw new TimeoutException($"Waited {timeout.TotalSeconds} s for {what}. stderr: {Error}");
            if (_process.HasExited && !condition(this)) throw new InvalidOperationException($"The bot exited ({_process.ExitCode}) before {what}. stderr: {Error}");
            await Task.Delay(50);
        }
    }

    public void Signal(int signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", _process.Id.ToString() } })!;
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
