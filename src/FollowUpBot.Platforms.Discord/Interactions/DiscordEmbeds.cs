using System.Text;
using System.Text.Json.Nodes;
using FollowUpBot.Core.Messages;

namespace FollowUpBot.Platforms.Discord.Interactions;

/// <summary>
/// A message's sections as Discord embeds: one embed per section (its heading as the title, its lines as the
/// description), each table row as an inline field named by its first cell. The embeds are grouped into as many
/// messages as Discord's limits need (10 embeds and 6,000 characters per message, 25 fields, 4,096 characters of
/// description per embed), so any content fits, however the engine paged it.
/// </summary>
public static class DiscordEmbeds
{
    public const int MaxEmbeds = 10;
    public const int MaxTotal = 6000;
    public const int MaxFields = 25;
    public const int MaxTitle = 256;
    public const int MaxFieldName = 256;
    public const int MaxFieldValue = 1024;
    public const int MaxDescription = 4096;

    /// <summary>Discord's blurple: the embeds' edge colour.</summary>
    private const int Colour = 0x5865F2;

    /// <summary>A cell left empty: Discord refuses empty field names and values.</summary>
    private const string Empty = "—";

    /// <summary>The embeds of each message to send, in order; empty when the message has no content in sections.</summary>
    public static IReadOnlyList<JsonArray> Messages(IReadOnlyList<MessageSection> sections)
    {
        var messages = new List<JsonArray>();
        var current = new JsonArray();
        var size = 0;
        foreach (var embed in sections.SelectMany(Embeds))
        {
            if (current.Count == MaxEmbeds || (current.Count > 0 && size + embed.Length > MaxTotal))
            {
                messages.Add(current);
                current = [];
                size = 0;
            }
            current.Add(embed.ToJson());
            size += embed.Length;
        }
        if (current.Count > 0) messages.Add(current);
        return messages;
    }

    /// <summary>The characters Discord counts towards the 6,000 of one message.</summary>
    public static int Length(JsonNode embed) =>
        (embed["title"]?.GetValue<string>().Length ?? 0) + (embed["description"]?.GetValue<string>().Length ?? 0) +
        (embed["fields"]?.AsArray().Sum(f => f!["name"]!.GetValue<string>().Length + f["value"]!.GetValue<string>().Length) ?? 0);

    private static IEnumerable<Draft> Embeds(MessageSection section)
    {
        var draft = new Draft(DiscordMessages.Fit(section.Heading.Length > 0 ? section.Heading : Empty, MaxTitle));
        var continued = DiscordMessages.Fit(section.Heading + " (continued)", MaxTitle);
        var table = section.Table;
        var lines = section.Lines.ToList();
        // A table of one column reads best as plain lines.
        if (table is { Columns.Count: <= 1 }) lines.AddRange(table.Rows.Select(r => string.Join(" ", r)));

        foreach (var line in lines.Select(l => DiscordMessages.Fit(DiscordMessages.ChannelMentions(l.Length > 0 ? l : "\u200b"), MaxDescription)))
        {
            if (!draft.FitsLine(line))
            {
                yield return draft;
                draft = new Draft(continued);
            }
            draft.AddLine(line);
        }
        if (table is { Columns.Count: > 1 })
        {
            foreach (var row in table.Rows)
            {
                var (name, value) = Field(table.Columns, row);
                if (!draft.FitsField(name, value))
                {
                    yield return draft;
                    draft = new Draft(continued);
                }
                draft.AddField(name, value);
            }
        }
        if (!draft.IsEmpty) yield return draft;
    }

    /// <summary>A row as a field: the first cell names it, the other cells follow one a line with their column's name.</summary>
    private static (string Name, string Value) Field(IReadOnlyList<string> columns, IReadOnlyList<string> row)
    {
        var name = row.Count > 0 && row[0].Trim().Length > 0 ? row[0].Trim() : Empty;
        var value = new StringBuilder();
        for (var i = 1; i < row.Count; i++)
        {
            if (row[i].Trim().Length == 0) continue;
            if (value.Length > 0) value.Append('\n');
            value.Append(i < columns.Count ? columns[i] : "").Append(": ").Append(row[i].Trim());
        }
        return (DiscordMessages.Fit(name, MaxFieldName),
            DiscordMessages.Fit(DiscordMessages.ChannelMentions(value.Length > 0 ? value.ToString() : Empty), MaxFieldValue));
    }

    /// <summary>One embed being filled, kept within the limits of an embed and of a message on its own.</summary>
    private sealed class Draft(string title)
    {
        private readonly StringBuilder _description = new();
        private readonly List<(string Name, string Value)> _fields = [];

        public int Length { get; private set; } = title.Length;

        public bool IsEmpty => _description.Length == 0 && _fields.Count == 0;

        public bool FitsLine(string line) =>
            IsEmpty || (_fields.Count == 0 && _description.Length + 1 + line.Length <= MaxDescription && Length + 1 + line.Length <= MaxTotal);

        public void AddLine(string line)
        {
            var added = _description.Length > 0 ? 1 + line.Length : line.Length;
            if (_description.Length > 0) _description.Append('\n');
            _description.Append(line);
            Length += added;
        }

        public bool FitsField(string name, string value) =>
            IsEmpty || (_fields.Count < MaxFields && Length + name.Length + value.Length <= MaxTotal);

        public void AddField(string name, string value)
        {
            _fields.Add((name, value));
            Length += name.Length + value.Length;
        }

        public JsonObject ToJson()
        {
            var embed = new JsonObject { ["title"] = title, ["color"] = Colour };
            if (_description.Length > 0) embed["description"] = _description.ToString();
            if (_fields.Count > 0)
                embed["fields"] = new JsonArray(_fields.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["value"] = f.Value, ["inline"] = true }).ToArray());
            return embed;
        }
    }
}
