using FollowUpBot.Core.Input;

namespace FollowUpBot.Core.Conversations;

/// <summary><c>/followup help</c>: every command with an example, from the one command catalog.</summary>
internal static class HelpText
{
    public static string Text { get; } = string.Join('\n',
        new[] { "I nudge you through what to do after a job interview. Commands:" }
            .Concat(CommandCatalog.All.Select(c => $"• /{c.Name}: {c.Summary}." +
                                                   (c.Example == "/" + c.Name ? "" : $"\n  Example: {c.Example}")))
            .Append("Values with spaces go in quotes. Nudges come with buttons: Done, Snooze, Skip, or the answers they ask for."));
}
