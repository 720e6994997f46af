using System.Globalization;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Platforms.Console;

/// <summary>
/// Writes everything the console shows. The output grammar is a contract (tests and scripts read it):
/// a nudge starts with <c>[kind] 2026-12-04T16:30:00-05:00</c> (plus <c> (late)</c>), buttons are
/// <c>  /press ID  Label</c>, and no other line starts with '['.
/// </summary>
public sealed class ConsoleRenderer(ConsoleTerminal terminal, ButtonNumbers buttons)
{
    private readonly object _gate = new();

    public static string Header(NudgeHeader header) =>
        $"[{header.Kind.Name()}] {header.LocalDueAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}"
        + (header.Late ? " (late)" : "");

    public void WriteNudge(NudgeHeader header, Message message)
    {
        lock (_gate)
        {
            terminal.Output.WriteLine(Header(header));
            WriteMessageBody(message);
            terminal.Output.Flush();
        }
    }

    public void WriteMessage(Message message)
    {
        lock (_gate)
        {
            WriteMessageBody(message);
            terminal.Output.Flush();
        }
    }

    public void WriteLines(IEnumerable<string> lines)
    {
        lock (_gate)
        {
            foreach (var line in lines) WriteTextLines(line);
            terminal.Output.Flush();
        }
    }

    private void WriteMessageBody(Message message)
    {
        WriteTextLines(message.Text);
        foreach (var button in message.Buttons)
            terminal.Output.WriteLine($"  /press {buttons.NumberFor(button.Id)}  {button.Label}");
    }

    private void WriteTextLines(string text)
    {
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            // Only headers may start with '[': indent anything else that would.
            terminal.Output.WriteLine(raw.StartsWith('[') ? "  " + raw : raw);
        }
    }
}
