namespace FollowUpBot.Host;

/// <summary>
/// Something the person starting the bot can fix (a bad option, a broken playbook, a missing setting).
/// The message is shown as one line on stderr and the process exits with code 2.
/// </summary>
public sealed class StartupProblem(string message) : Exception(message)
{
    public const int ExitCode = FollowUpBot.Core.ExitCodes.Configuration;
}
