using System.Text;
using FollowUpBot.Core.Conversations;

namespace FollowUpBot.Core.Input;

/// <summary>
/// Reads a typed command line — <c>/interview done company:"Acme" interviewers:"Ana Ruiz, Ben Ode" format:onsite</c> —
/// into a <see cref="SlashCommand"/>. Values may be quoted with straight or curly quotes; an unquoted value runs to
/// the next space. Every problem comes back as one polite sentence naming what was wrong and how to write it.
/// </summary>
public static class CommandText
{
    private const string DoubleOpeners = "\"“”„";
    private const string DoubleClosers = "\"”“";
    private const string SingleOpeners = "'‘’";
    private const string SingleClosers = "'’‘";

    /// <summary>A whole line as typed in the console: "/interview done company:Acme".</summary>
    public static bool TryParse(string line, MemberContext from, out SlashCommand? command, out string? error)
    {
        command = null;
        var reader = new Reader(line ?? "");
        var group = reader.NextWord();
        if (group is null)
        {
            error = "Type a command, for example /interview done or /followup help.";
            return false;
        }
        group = group.TrimStart('/').ToLowerInvariant();
        if (CommandCatalog.InGroup(group).Count == 0)
        {
            error = CommandCatalog.UnknownCommand(group);
            return false;
        }

        var sub = reader.PeekWord();
        if (sub is null || sub.Contains(':'))
        {
            error = CommandCatalog.MissingSubCommand(group);
            return false;
        }
        reader.NextWord();
        var spec = CommandCatalog.Find($"{group} {sub}");
        if (spec is null)
        {
            error = CommandCatalog.UnknownSubCommand(group, sub);
            return false;
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.SkipSpaces())
        {
            if (!TryReadOption(ref reader, spec, out var name, out var value, out error)) return false;
            if (!spec.Options.Contains(name))
            {
                error = CommandCatalog.UnknownOption(spec, name);
                return false;
            }
            if (options.TryGetValue(name, out var earlier))
            {
                error = $"You gave {name} twice ({Wording.Quote(earlier)} and {Wording.Quote(value)}). Give it once, for example: {spec.Example}";
                return false;
            }
            options[name] = value;
        }

        command = new SlashCommand(from, spec.Name, options);
        error = null;
        return true;
    }

    /// <summary>A command as platforms deliver it: the command ("/interview") and its text ("done company:Acme") apart.</summary>
    public static bool TryParse(string commandName, string? text, MemberContext from, out SlashCommand? command, out string? error) =>
        TryParse($"{commandName} {text}", from, out command, out error);

    private static bool TryReadOption(ref Reader reader, CommandSpec spec, out string name, out string value, out string? error)
    {
        name = value = "";
        var token = reader.PeekWord()!;
        var colon = token.IndexOf(':');
        if (colon <= 0)
        {
            error = colon == 0
                ? $"{Wording.Quote(token)} has no option name before the colon. Options look like name:value, for example: {spec.Example}"
                : spec.Options.Count == 0
                    ? $"/{spec.Name} takes nothing after it, so I can't use {Wording.Quote(token)}. Just type: {spec.Example}"
                    : $"I didn't understand {Wording.Quote(token)}. Options look like name:value; if {Wording.Quote(token)} belongs to the value " +
                      $"before it, put that value in quotes. For example: {spec.Example}";
            return false;
        }
        name = CommandCatalog.NormalizeOptionName(token[..colon]);
        reader.Advance(colon + 1);

        // "company: Acme" is natural to type; the space is skipped unless what follows is the next option.
        if (reader.AtSpace())
        {
            var save = reader.Position;
            reader.SkipSpaces();
            var next = reader.PeekWord();
            if (next is null || LooksLikeOption(next, spec))
            {
                reader.Position = save;
                error = null;
                return true;
            }
        }

        var open = reader.Current;
        var closers = DoubleOpeners.Contains(open) ? DoubleClosers : SingleOpeners.Contains(open) ? SingleClosers : null;
        if (closers is null)
        {
            value = reader.NextWord() ?? "";
            error = null;
            return true;
        }

        reader.Advance(1);
        var text = new StringBuilder();
        while (!reader.AtEnd && !closers.Contains(reader.Current))
        {
            text.Append(reader.Current);
            reader.Advance(1);
        }
        if (reader.AtEnd)
        {
            error = $"The value of {name} starts with a quote ({open}) that is never closed. " +
                    $"Close it after the value, for example {name}:{Wording.Quote(text.ToString().Trim())}.";
            return false;
        }
        reader.Advance(1);
        if (!reader.AtEnd && !reader.AtSpace())
        {
            error = $"After the closing quote of {name} I expected a space before the next option. For example: {spec.Example}";
            return false;
        }
        value = text.ToString().Trim();
        error = null;
        return true;
    }

    private static bool LooksLikeOption(string word, CommandSpec spec)
    {
        var colon = word.IndexOf(':');
        return colon > 0 && spec.Options.Contains(CommandCatalog.NormalizeOptionName(word[..colon]));
    }

    private struct Reader(string text)
    {
        public int Position = 0;

        public readonly bool AtEnd => Position >= text.Length;
        public readonly char Current => text[Position];
        public readonly bool AtSpace() => !AtEnd && char.IsWhiteSpace(text[Position]);

        public void Advance(int by) => Position = Math.Min(text.Length, Position + by);

        /// <summary>Skips white space; false when nothing follows.</summary>
        public bool SkipSpaces()
        {
            while (AtSpace()) Position++;
            return !AtEnd;
        }

        public readonly string? PeekWord()
        {
            var copy = this;
            return copy.NextWord();
        }

        public string? NextWord()
        {
            if (!SkipSpaces()) return null;
            var start = Position;
            while (!AtEnd && !AtSpace()) Position++;
            return text[start..Position];
        }
    }
}
