using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Platforms.Slack.Rendering;

/// <summary>
/// Platform-neutral messages as Block Kit: a header block for the title, mrkdwn sections for the text or for each
/// structured section (tables as aligned code blocks), and actions blocks of buttons whose action_id is the engine's
/// button id. The plain text always goes along as the notification fallback. Everything is cut or split to Block
/// Kit's limits (50 blocks a message, 3,000 characters a section, 150 a header) so Slack never rejects a message for size.
/// </summary>
public static partial class BlockKit
{
    internal const int MaxBlocks = 50;
    internal const int MaxSectionText = 3000;
    internal const int MaxHeaderText = 150;
    internal const int MaxButtonText = 75;
    internal const int MaxActionId = 255;
    internal const int MaxButtonsPerBlock = 25;
    // A column wider than this is cut, so one long company name does not push the table off a phone screen.
    internal const int MaxColumnWidth = 28;
    private const string Fence = "```";

    /// <summary>
    /// chat.update / response_url / ack arguments: text fallback plus blocks, in one message (which cannot be split,
    /// so content beyond 50 blocks is dropped with a note; the engine's pages never come near that).
    /// </summary>
    public static JsonObject MessageBody(Message message)
    {
        var body = new JsonObject { ["text"] = message.Text };
        var blocks = Blocks(message);
        if (blocks.Count > 0) body["blocks"] = blocks;
        return body;
    }

    /// <summary>
    /// chat.postMessage arguments for a message the bot starts (a DM, a digest page): one body normally, several in
    /// order when the blocks exceed one message. The first carries the whole plain text, later ones say they continue;
    /// buttons go with the last.
    /// </summary>
    public static IReadOnlyList<JsonObject> MessageBodies(Message message)
    {
        var content = ContentBlocks(message);
        var actions = ActionBlocks(message);
        var pages = new List<List<JsonObject>>();
        var page = new List<JsonObject>();
        foreach (var block in content)
        {
            if (page.Count == MaxBlocks)
            {
                pages.Add(page);
                page = [];
            }
            page.Add(block);
        }
        if (page.Count + actions.Count > MaxBlocks)
        {
            pages.Add(page);
            page = [];
        }
        page.AddRange(actions);
        pages.Add(page);

        var continued = $"{message.Title ?? "Message"} (continued)";
        return pages.Select((blocks, i) =>
        {
            var body = new JsonObject { ["text"] = i == 0 ? message.Text : continued };
            if (blocks.Count > 0) body["blocks"] = new JsonArray(blocks.Select(b => (JsonNode)b).ToArray());
            return body;
        }).ToList();
    }

    public static JsonArray Blocks(Message message)
    {
        var content = ContentBlocks(message);
        var actions = ActionBlocks(message);
        var room = MaxBlocks - actions.Count;
        if (content.Count > room)
        {
            content = content.Take(room - 1).ToList();
            content.Add(Section("… (more than one Slack message can hold; the rest is in the notification text)"));
        }
        return new JsonArray(content.Concat(actions).Select(b => (JsonNode)b).ToArray());
    }

    private static List<JsonObject> ContentBlocks(Message message)
    {
        var blocks = new List<JsonObject>();
        if (!string.IsNullOrWhiteSpace(message.Title))
            blocks.Add(new JsonObject { ["type"] = "header", ["text"] = PlainText(message.Title, MaxHeaderText) });

        if (message.Sections.Count == 0)
        {
            foreach (var chunk in Chunks(ToMrkdwn(message.Text).Split('\n'), MaxSectionText)) blocks.Add(Section(chunk));
            return blocks;
        }
        foreach (var section in message.Sections)
        {
            var lines = new List<string> { $"*{ToMrkdwn(section.Heading)}*" };
            lines.AddRange(section.Lines.Select(ToMrkdwn));
            foreach (var chunk in Chunks(lines, MaxSectionText)) blocks.Add(Section(chunk));
            if (section.Table is { Rows.Count: > 0 } table)
            {
                // Each piece is its own code block, so a table split across sections still reads as a table.
                foreach (var chunk in Chunks(TableLines(table), MaxSectionText - 2 * (Fence.Length + 1)))
                    blocks.Add(Section($"{Fence}\n{chunk}\n{Fence}"));
            }
        }
        return blocks;
    }

    /// <summary>Columns padded to a common width; cells escaped after padding, so the escapes don't skew it.</summary>
    private static IEnumerable<string> TableLines(MessageTable table)
    {
        var rows = new List<IReadOnlyList<string>> { table.Columns };
        rows.AddRange(table.Rows);
        var widths = Enumerable.Range(0, table.Columns.Count)
            .Select(c => Math.Min(MaxColumnWidth, rows.Max(r => c < r.Count ? Flat(r[c]).Length : 0)))
            .ToArray();
        foreach (var row in rows)
        {
            var cells = widths.Select((w, c) => Cut(c < row.Count ? Flat(row[c]) : "", w).PadRight(w));
            yield return Escape(string.Join("  ", cells).TrimEnd());
        }
    }

    private static string Flat(string cell) => cell.Replace('\n', ' ').Replace("`", "'");

    private static List<JsonObject> ActionBlocks(Message message)
    {
        var blocks = new List<JsonObject>();
        var buttons = message.Buttons.Where(b => b.Id.Length is > 0 and <= MaxActionId)
            .DistinctBy(b => b.Id, StringComparer.Ordinal).ToList();
        for (var i = 0; i < buttons.Count; i += MaxButtonsPerBlock)
        {
            var elements = new JsonArray();
            foreach (var button in buttons.Skip(i).Take(MaxButtonsPerBlock)) elements.Add(Button(button));
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["block_id"] = i == 0 ? "buttons" : $"buttons-{(i / MaxButtonsPerBlock) + 1}",
                ["elements"] = elements,
            });
        }
        return blocks;
    }

    private static JsonObject Section(string mrkdwn) => new() { ["type"] = "section", ["text"] = Mrkdwn(mrkdwn) };

    private static JsonObject Button(Button button)
    {
        var element = new JsonObject
        {
            ["type"] = "button",
            ["text"] = PlainText(button.Label, MaxButtonText),
            ["action_id"] = button.Id,
            ["value"] = button.Id,
        };
        // Slack knows only primary and danger; anything else is its default look.
        var style = button.Style switch
        {
            ButtonStyle.Primary or ButtonStyle.Success => "primary",
            ButtonStyle.Danger => "danger",
            _ => null,
        };
        if (style is not null) element["style"] = style;
        return element;
    }

    /// <summary>A mrkdwn text object of text that is already mrkdwn.</summary>
    internal static JsonObject Mrkdwn(string mrkdwn) => new() { ["type"] = "mrkdwn", ["text"] = mrkdwn };

    /// <summary>
    /// The engine's plain text as mrkdwn: control characters escaped, and a channel the engine names by id
    /// ("#C0123ABCD", as /cohort create stored it) shown as Slack's channel link, so coaches see its name.
    /// </summary>
    internal static string ToMrkdwn(string text) => ChannelById().Replace(Escape(text), "<#$1>");

    internal static JsonObject PlainText(string text, int max) =>
        new() { ["type"] = "plain_text", ["text"] = Cut(string.IsNullOrWhiteSpace(text) ? "-" : text, max), ["emoji"] = true };

    /// <summary>Slack's mrkdwn treats &amp;, &lt; and &gt; as control characters; the engine's text is plain.</summary>
    internal static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    internal static string Cut(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    /// <summary>Lines joined into pieces of at most <paramref name="size"/> characters, breaking between lines where possible.</summary>
    private static IEnumerable<string> Chunks(IEnumerable<string> lines, int size)
    {
        var chunk = new StringBuilder();
        foreach (var whole in lines)
        {
            var line = whole;
            while (line.Length > size)
            {
                if (chunk.Length > 0)
                {
                    yield return chunk.ToString();
                    chunk.Clear();
                }
                yield return line[..size];
                line = line[size..];
            }
            if (chunk.Length > 0 && chunk.Length + 1 + line.Length > size)
            {
                yield return chunk.ToString();
                chunk.Clear();
            }
            if (chunk.Length > 0) chunk.Append('\n');
            chunk.Append(line);
        }
        if (chunk.ToString().Trim().Length > 0) yield return chunk.ToString();
    }

    [GeneratedRegex(@"(?<![\w<&/])#([CG][A-Z0-9]{6,20})\b")]
    private static partial Regex ChannelById();
}
