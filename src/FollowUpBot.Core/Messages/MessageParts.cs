namespace FollowUpBot.Core.Messages;

/// <summary>
/// A table of plain-text cells. <see cref="Columns"/> names each column; every row has exactly that many cells.
/// A cell holds no markup, so an adapter can lay it out as it likes (embed fields, a code block, aligned text).
/// </summary>
public sealed record MessageTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public MessageTable WithRows(IReadOnlyList<IReadOnlyList<string>> rows) => this with { Rows = rows };
}

/// <summary>
/// One part of a structured message: a heading, plain lines, and optionally a table after the lines.
/// An empty section (no lines, no rows) is not sent.
/// </summary>
public sealed record MessageSection(string Heading, IReadOnlyList<string> Lines, MessageTable? Table = null);

/// <summary>A file sent with a message. <see cref="FileName"/> has no directory part.</summary>
public sealed record Attachment(string FileName, string ContentType, byte[] Content)
{
    /// <summary>What an image shows, in words, for screen readers (platforms' alt text). Null for other files.</summary>
    public string? AltText { get; init; }

    public bool IsImage => ContentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase);
}
