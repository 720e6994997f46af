using System.Text;

namespace FollowUpBot.Core.Messages;

/// <summary>
/// Splits structured content into messages that each fit every platform: at most <see cref="MaxRowsPerPage"/>
/// table rows and a plain text of at most <see cref="MaxPageText"/> characters per message (the structured parts
/// hold the same words, so they fit too). A section cut across pages continues under its heading on the next.
/// </summary>
public static class MessagePager
{
    /// <summary>Rows per message: Discord embeds take 25 fields, Slack messages 50 blocks; 20 leaves room for the rest.</summary>
    public const int MaxRowsPerPage = 20;

    /// <summary>Below <see cref="Message.MaxTextLength"/>, leaving room for a page number and buttons' labels.</summary>
    public const int MaxPageText = Message.MaxTextLength - 100;

    public static IReadOnlyList<Message> Paginate(string title, IReadOnlyList<MessageSection> sections,
        int maxRows = MaxRowsPerPage, int maxText = MaxPageText)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxText, 200);
        var pages = new List<List<MessageSection>>();
        var page = new List<MessageSection>();

        foreach (var section in sections.Where(s => s.Lines.Count > 0 || s.Table is { Rows.Count: > 0 }))
        {
            var heading = section.Heading;
            var lines = new List<string>();
            var rows = new List<IReadOnlyList<string>>();
            MessageSection Partial() => new(heading, lines.ToList(), section.Table?.WithRows(rows.ToList()));
            bool Fits() => page.Sum(RowCount) + rows.Count <= maxRows && PlainText(title, [.. page, Partial()]).Length <= maxText;
            void NextPage()
            {
                if (lines.Count > 0 || rows.Count > 0) page.Add(Partial());
                pages.Add(page);
                page = [];
                heading = section.Heading + " (continued)";
                lines.Clear();
                rows.Clear();
            }

            foreach (var line in section.Lines)
            {
                var fitted = Cut(line, maxText / 2);
                lines.Add(fitted);
                if (Fits()) continue;
                lines.RemoveAt(lines.Count - 1);
                NextPage();
                lines.Add(fitted);
            }
            foreach (var row in section.Table?.Rows ?? [])
            {
                var fitted = row.Select(c => Cut(c, maxText / (2 * Math.Max(1, row.Count)))).ToList();
                rows.Add(fitted);
                if (Fits()) continue;
                rows.RemoveAt(rows.Count - 1);
                NextPage();
                rows.Add(fitted);
            }
            page.Add(Partial());
        }
        if (page.Count > 0 || pages.Count == 0) pages.Add(page);

        return pages.Select((p, i) =>
        {
            var pageTitle = pages.Count == 1 ? title : $"{title} ({i + 1}/{pages.Count})";
            return new Message(PlainText(pageTitle, p)) { Title = pageTitle, Sections = p };
        }).ToList();
    }

    /// <summary>The plain-text form of structured content: what platforms without rich layout show.</summary>
    public static string PlainText(string? title, IReadOnlyList<MessageSection> sections)
    {
        var text = new StringBuilder();
        if (!string.IsNullOrEmpty(title)) text.Append('*').Append(title).Append('*').Append('\n');
        foreach (var section in sections)
        {
            if (text.Length > 0) text.Append('\n');
            text.Append(section.Heading).Append('\n');
            foreach (var line in section.Lines) text.Append(line).Append('\n');
            if (section.Table is { Rows.Count: > 0 } table)
            {
                text.Append(string.Join(" | ", table.Columns)).Append('\n');
                foreach (var row in table.Rows) text.Append(string.Join(" | ", row)).Append('\n');
            }
        }
        return text.ToString().TrimEnd('\n');
    }

    private static int RowCount(MessageSection section) => section.Table?.Rows.Count ?? 0;

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
