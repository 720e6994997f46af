using FollowUpBot.Core.Input;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Core.Conversations;

/// <summary>
/// <c>/followup help</c>: every command with an example, from the one command catalog, in as many messages as it
/// takes to keep each within every platform's limit (a command's lines never split).
/// </summary>
internal static class HelpText
{
    private const string Intro = "I nudge you through what to do after a job interview. Commands:";
    private const string Outro = "Values with spaces go in quotes. Nudges come with buttons: Done, Snooze, Skip, or the answers they ask for.";

    public static IReadOnlyList<string> Pages { get; } = Paginate(
        CommandCatalog.All.Select(c => $"• /{c.Name}: {c.Summary}." + (c.Example == "/" + c.Name ? "" : $"\n  Example: {c.Example}"))
            .Append(Outro).ToList());

    public static IReadOnlyList<OutboundAction> Replies => Pages.Select(p => (OutboundAction)new Reply(new Message(p))).ToList();

    private static List<string> Paginate(IReadOnlyList<string> blocks)
    {
        var pages = new List<string>();
        var page = Intro;
        foreach (var block in blocks)
        {
            if (page.Length + 1 + block.Length > Message.MaxTextLength - 100)
            {
                pages.Add(page);
                page = "More commands:";
            }
            page += "\n" + block;
        }
        pages.Add(page);
        return pages;
    }
}
