using System.Text;
using System.Text.RegularExpressions;

namespace FollowUpBot.Core.Playbooks;

/// <summary>
/// The playbook's wording with {placeholders}. A line whose placeholder has no value (no notes, no decision
/// date, no references) is left out, so a coach writes optional sentences on lines of their own.
/// </summary>
public static partial class MessageTemplate
{
    public const string Company = "company";
    public const string Role = "role";
    public const string Interviewer = "interviewer";
    public const string Interviewers = "interviewers";
    public const string DecisionDate = "decision_date";
    public const string NotesExcerpt = "notes_excerpt";
    public const string References = "references";
    public const string Sequence = "sequence";
    public const string SequenceTotal = "sequence_total";
    /// <summary>The number of the round after this one ("2"): the round the member prepares for.</summary>
    public const string NextRound = "next_round";
    /// <summary>When the next round takes place ("Tuesday 15 December at 10:00").</summary>
    public const string NextRoundAt = "next_round_at";
    /// <summary>The day the employer wants an answer to their offer by.</summary>
    public const string OfferDeadline = "offer_deadline";
    /// <summary>The companies of the member's other open processes ("Beta and Gamma").</summary>
    public const string OtherCompanies = "other_companies";
    /// <summary>The debrief notes of every round of this process, each marked with its round.</summary>
    public const string ProcessNotes = "process_notes";

    public static IReadOnlyList<string> Placeholders { get; } =
        [Company, Role, Interviewer, Interviewers, DecisionDate, NotesExcerpt, References, Sequence, SequenceTotal,
         NextRound, NextRoundAt, OfferDeadline, OtherCompanies, ProcessNotes];

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex PlaceholderPattern();

    /// <summary>The placeholder names a template uses, or an error describing a malformed one.</summary>
    public static IReadOnlyList<string> NamesIn(string template, out string? error)
    {
        error = null;
        var names = new List<string>();
        foreach (Match match in PlaceholderPattern().Matches(template))
        {
            var name = match.Groups[1].Value;
            if (!Placeholders.Contains(name))
            {
                error = $"unknown placeholder '{{{name}}}' (known: {string.Join(", ", Placeholders.Select(p => "{" + p + "}"))})";
                return names;
            }
            names.Add(name);
        }
        var rest = PlaceholderPattern().Replace(template, "");
        if (rest.Contains('{') || rest.Contains('}'))
            error = "an unmatched '{' or '}' (placeholders look like {company})";
        return names;
    }

    /// <summary>Fills the placeholders; lines with a placeholder whose value is null are dropped.</summary>
    public static string Render(string template, IReadOnlyDictionary<string, string?> values)
    {
        var text = new StringBuilder();
        foreach (var line in template.Split('\n'))
        {
            var missing = false;
            var filled = PlaceholderPattern().Replace(line, m =>
            {
                values.TryGetValue(m.Groups[1].Value, out var value);
                missing |= value is null;
                return value ?? "";
            });
            if (missing) continue;
            if (text.Length > 0) text.Append('\n');
            text.Append(filled);
        }
        return text.ToString().Trim();
    }
}
