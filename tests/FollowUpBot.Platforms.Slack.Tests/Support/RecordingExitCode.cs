namespace FollowUpBot.Platforms.Slack.Tests.Support;

/// <summary>Keeps the exit code a fatal Slack error sets, instead of setting the test host's own.</summary>
public sealed class RecordingExitCode : IExitCodeSink
{
    public int? Code { get; private set; }

    public void Set(int exitCode) => Code = exitCode;
}
