using FollowUpBot.Core.Domain;

namespace FollowUpBot.Platforms.Console;

/// <summary>
/// Where the console chat reads and writes (stdin/stdout in the program, strings in tests), and who is typing.
/// <see cref="TimeZoneId"/>, when set, is stored as the member's own time zone before the chat starts.
/// </summary>
public sealed record ConsoleTerminal(TextReader Input, TextWriter Output, bool IsInteractive = false, string? TimeZoneId = null)
{
    public const string PlatformName = "console";

    /// <summary>The one member of a console chat: the person at the keyboard.</summary>
    public MemberKey Member { get; init; } = new(PlatformName, "local",
        string.IsNullOrWhiteSpace(Environment.UserName) ? "me" : Environment.UserName);

    /// <summary>Whether the person at the keyboard is a coach (<c>--coach</c>): sent with every event.</summary>
    public bool IsCoach { get; init; }

    /// <summary>Where files the bot sends (a data export) are saved; the current folder when null.</summary>
    public string? FileFolder { get; init; }

    /// <summary>The <see cref="ConsoleOutbox"/> file (beside the database); null keeps held nudges in memory only.</summary>
    public string? OutboxPath { get; init; }

    /// <summary>Reads a line without blocking the caller: stdin's own ReadLineAsync ignores cancellation, and a
    /// Ctrl-C or SIGTERM must end the chat while it waits for the member.</summary>
    public Task<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Input.ReadLine(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            .WaitAsync(cancellationToken);
    /// <summary>Where files posted to a channel (a digest's chart) are saved: beside the database; <see cref="FileFolder"/> when null.</summary>
    public string? ChannelFileFolder { get; init; }
}
