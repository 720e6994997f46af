namespace FollowUpBot.Core;

/// <summary>
/// The process's exit codes, the same for every command and platform (README "Operating" lists them).
/// </summary>
public static class ExitCodes
{
    /// <summary>Stopped as asked: end of input, /quit, Ctrl-C or SIGTERM.</summary>
    public const int Stopped = 0;

    /// <summary>Something the bot did not expect (a bug): the one line says what, Debug logging shows the stack.</summary>
    public const int Unexpected = 1;

    /// <summary>A mistake in options, settings or files, including a token the platform refuses: fix the configuration.</summary>
    public const int Configuration = 2;

    /// <summary>Something the bot needs is not usable at start: the database (unreachable, corrupt, read-only, locked,
    /// full) or the address to listen on (in use, not available).</summary>
    public const int Unavailable = 3;
}
