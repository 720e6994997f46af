using FollowUpBot.Platforms.Kit;

namespace FollowUpBot.Testing;

/// <summary>Keeps the exit code a fatal platform error sets, instead of setting the test process's own
/// (<see cref="Environment.ExitCode"/> is one per process: tests running in parallel would read each other's).</summary>
public sealed class RecordingExitCode : IExitCodeSink
{
    public int? Code { get; private set; }

    public void Set(int exitCode) => Code = exitCode;
}
