using System.Globalization;
using FollowUpBot.Core.Delivery;
using FollowUpBot.Core.Domain;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Platforms.Console;

/// <summary>
/// Writes everything the console shows. The output grammar is a contract (tests and scripts read it):
/// a nudge starts with <c>[kind] 2026-12-04T16:30:00-05:00</c> (plus <c> (late)</c>, then <c> (possible repeat)</c>), buttons are
/// <c>  /press ID  Label</c>, and no other line starts with '['.
/// </summary>
public sealed class ConsoleRenderer(ConsoleTerminal terminal, ButtonNumbers buttons)
{
    private readonly object _gate = new();

    public static string Header(NudgeHeader header, bool possibleRepeat = false) =>
        $"[{header.Kind.Name()}] {header.LocalDueAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}"
        + (header.Late ? " (late)" : "")
        + (possibleRepeat ? " (possible repeat)" : "");

    /// <summary>Writes and flushes a nudge; <paramref name="possibleRepeat"/> marks one an interrupted run may have shown.</summary>
    public void WriteNudge(NudgeHeader header, Message message, bool possibleRepeat = false)
    {
        lock (_gate)
        {
            terminal.Output.WriteLine(Header(header, possibleRepeat));
            WriteMessageBody(message);
            terminal.Output.Flush();
        }
    }

    public void WriteMessage(Message message, string? fileFolder = null)
    {
        lock (_gate)
        {
            WriteMessageBody(message, fileFolder);
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

    private void WriteMessageBody(Message message, string? fileFolder = null)
    {
        if (message.Sections.Count > 0) WriteSections(message);
        else WriteTextLines(message.Text);
        if (message.Attachment is { } file)
            WriteTextLines(file.IsImage ? $"(image saved: {Save(file, fileFolder)})" : $"(file saved: {Save(file, fileFolder)})");
        foreach (var button in message.Buttons)
            terminal.Output.WriteLine($"  /press {buttons.NumberFor(button.Id)}  {button.Label}");
    }

    /// <summary>Structured content as the terminal shows it best: headings, lines, and tables in aligned columns.</summary>
    private void WriteSections(Message message)
    {
        if (message.Title is { } title) WriteTextLines($"*{title}*");
        foreach (var section in message.Sections)
        {
            WriteTextLines(section.Heading);
            foreach (var line in section.Lines) WriteTextLines(line);
            if (section.Table is { Rows.Count: > 0 } table)
            {
                var widths = table.Columns.Select((c, i) => Math.Max(c.Length, table.Rows.Max(r => i < r.Count ? r[i].Length : 0))).ToList();
                string Row(IReadOnlyList<string> cells) =>
                    "  " + string.Join("  ", widths.Select((w, i) => (i < cells.Count ? cells[i] : "").PadRight(w))).TrimEnd();
                WriteTextLines(Row(table.Columns));
                WriteTextLines("  " + string.Join("  ", widths.Select(w => new string('-', w))));
                foreach (var row in table.Rows) WriteTextLines(Row(row));
            }
        }
    }

    /// <summary>Saves a file the bot sent under a name of its own (never overwriting), and returns the full path.</summary>
    private string Save(Attachment file, string? fileFolder)
    {
        var folder = Path.GetFullPath(fileFolder ?? terminal.FileFolder ?? Directory.GetCurrentDirectory());
        Directory.CreateDirectory(folder);
        var name = Path.GetFileName(file.FileName);
        if (string.IsNullOrWhiteSpace(name)) name = "followupbot-file";
        var path = Path.Combine(folder, name);
        for (var n = 2; File.Exists(path); n++)
            path = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(name)}-{n}{Path.GetExtension(name)}");
        File.WriteAllBytes(path, file.Content);
        return path;
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
