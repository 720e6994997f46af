using FollowUpBot.Platforms.Slack;
using FollowUpBot.Platforms.Kit;

namespace FollowUpBot.Testing.Slack;

/// <summary>Keeps the exit code a fatal Slack error sets, instead of setting the test host's own.</summary>
public sealed class RecordingExitCode : IExitCodeSink
{
    public int? Code { get; private set; }

    public void Set(int exitCode) => Code = exitCode;
}
